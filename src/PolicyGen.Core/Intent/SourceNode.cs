using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Intent;

/// <summary>
/// A YAML node that remembers the file, line and column it came from, even after an environment
/// overlay has been merged into the base: each node keeps its own location.
/// </summary>
public abstract record SourceNode(SourceLocation Location);

public sealed record ScalarNode(string Value, bool Quoted, SourceLocation Location) : SourceNode(Location)
{
    /// <summary>A plain <c>~</c>, <c>null</c> or empty value.</summary>
    public bool IsNull => !Quoted && Value is "" or "~" or "null" or "Null" or "NULL";
}

public sealed record MappingNode(ImmutableArray<KeyValuePair<ScalarNode, SourceNode>> Entries, SourceLocation Location) : SourceNode(Location)
{
    /// <summary>The value of the first entry with this key (a plain loop: the binder asks this for every field of every app).</summary>
    public SourceNode? this[string key]
    {
        get
        {
            foreach (var entry in Entries)
            {
                if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
                {
                    return entry.Value;
                }
            }

            return null;
        }
    }
}

public sealed record SequenceNode(ImmutableArray<SourceNode> Items, SourceLocation Location) : SourceNode(Location);
