using System.Diagnostics.CodeAnalysis;
using YamlDotNet.Core;

namespace PolicyGen.Manifests;

/// <summary>
/// One node of a manifest document: just what the loader reads (values, styles, positions), built
/// straight from the parser's events by <see cref="ManifestDocumentReader"/>. Lighter than
/// YamlDotNet's representation model, which hashes every key into an ordered dictionary.
/// </summary>
internal abstract class ManifestNode(int line, int column)
{
    /// <summary>1-based line of the node's first character.</summary>
    public int Line { get; } = line;

    /// <summary>1-based column of the node's first character.</summary>
    public int Column { get; } = column;
}

internal sealed class ManifestScalar(string value, ScalarStyle style, string? tag, int line, int column) : ManifestNode(line, column)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    /// <summary>The explicit tag (<c>!!str</c> ...) or null. A tagged key is never the plain key of the same text.</summary>
    public string? Tag { get; } = tag;
}

internal sealed class ManifestSequence(IReadOnlyList<ManifestNode> items, int line, int column) : ManifestNode(line, column)
{
    public IReadOnlyList<ManifestNode> Items { get; } = items;
}

internal sealed class ManifestMapping(IReadOnlyList<KeyValuePair<ManifestNode, ManifestNode>> entries, int line, int column)
    : ManifestNode(line, column)
{
    /// <summary>Keys and values in the order they were written; keys are unique.</summary>
    public IReadOnlyList<KeyValuePair<ManifestNode, ManifestNode>> Entries { get; } = entries;

    /// <summary>The value of the untagged scalar key <paramref name="key"/> (what YamlDotNet's <c>Children[new YamlScalarNode(key)]</c> finds).</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ManifestNode value)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key is ManifestScalar { Tag: null } scalar && scalar.Value == key)
            {
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }
}
