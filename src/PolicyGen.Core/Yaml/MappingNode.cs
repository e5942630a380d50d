using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using PolicyGen.Diagnostics;

namespace PolicyGen.Yaml;

/// <summary>
/// A mapping with its entries in the order they were written (merge keys already resolved). Keys
/// are scalars; a mapping or list used as a key is kept as a <see cref="ComplexKeyTag"/> placeholder
/// that no field lookup finds.
/// </summary>
public sealed record MappingNode : SourceNode
{
    /// <summary>The tag of the placeholder key that stands for a mapping or list used as a key.</summary>
    public const string ComplexKeyTag = "npgen:complex-key";

    public MappingNode(ImmutableArray<KeyValuePair<ScalarNode, SourceNode>> entries, string file, int line, int column)
        : base(file, line, column)
    {
        Entries = entries;
    }

    public MappingNode(ImmutableArray<KeyValuePair<ScalarNode, SourceNode>> entries, SourceLocation location)
        : this(entries, location.File, location.Line, location.Column)
    {
    }

    /// <summary>Written as <c>{a: b}</c> rather than in block style: kept so objects passed through (KRM) stay as they were written.</summary>
    public bool Flow { get; init; }

    /// <summary>Keys and values in the order they were written; keys are unique.</summary>
    public ImmutableArray<KeyValuePair<ScalarNode, SourceNode>> Entries { get; init; }

    /// <summary>
    /// The value of the untagged key <paramref name="key"/>, or null (a plain loop: the binder asks
    /// this for every field of every app, and most mappings are small).
    /// </summary>
    public SourceNode? this[string key] => TryGetValue(key, out var value) ? value : null;

    /// <summary>The value of the untagged scalar key <paramref name="key"/> (<c>!!str team</c> is another key than <c>team</c>).</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out SourceNode value)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Tag is null && string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
            {
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/> (replaced in place, or added at the end).</summary>
    public MappingNode With(ScalarNode key, SourceNode value)
    {
        for (var i = 0; i < Entries.Length; i++)
        {
            if (Entries[i].Key.Tag is null && Entries[i].Key.Value == key.Value)
            {
                return this with { Entries = Entries.SetItem(i, KeyValuePair.Create(Entries[i].Key, value)) };
            }
        }

        return this with { Entries = Entries.Add(KeyValuePair.Create(key, value)) };
    }
}
