using PolicyGen.Diagnostics;

namespace PolicyGen.Yaml;

/// <summary>
/// A YAML node that remembers the file, line and column it came from, even after an environment
/// overlay has been merged into the base or a merge key copied it into another mapping: each node
/// keeps its own location. The one node model of every reader (intents, overlays, manifests, the
/// generator config, KRM input, rendered templates), built by <see cref="YamlEventReader"/>.
/// The location is kept as three fields and made on demand: manifests hold millions of nodes.
/// </summary>
public abstract record SourceNode
{
    protected SourceNode(string file, int line, int column)
    {
        File = file;
        Line = line;
        Column = column;
    }

    protected SourceNode(SourceLocation location)
        : this(location.File, location.Line, location.Column)
    {
    }

    public string File { get; init; }

    /// <summary>1-based line of the node's first character.</summary>
    public int Line { get; init; }

    /// <summary>1-based column of the node's first character.</summary>
    public int Column { get; init; }

    public SourceLocation Location => new(File, Line, Column);
}
