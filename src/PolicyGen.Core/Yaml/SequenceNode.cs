using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Yaml;

public sealed record SequenceNode : SourceNode
{
    public SequenceNode(ImmutableArray<SourceNode> items, string file, int line, int column)
        : base(file, line, column)
    {
        Items = items;
    }

    public SequenceNode(ImmutableArray<SourceNode> items, SourceLocation location)
        : this(items, location.File, location.Line, location.Column)
    {
    }

    public ImmutableArray<SourceNode> Items { get; init; }

    /// <summary>Written as <c>[a, b]</c> rather than in block style (see <see cref="MappingNode.Flow"/>).</summary>
    public bool Flow { get; init; }
}
