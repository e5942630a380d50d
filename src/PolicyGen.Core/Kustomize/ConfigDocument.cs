using System.Collections.Immutable;
using PolicyGen.Yaml;

namespace PolicyGen.Kustomize;

/// <summary>
/// A function or generator config as the user's own file holds it. Kustomize and kpt hand npgen a
/// re-serialized copy (kustomize: a temporary file with its keys sorted; kpt: the object inside the
/// ResourceList, blank lines dropped, bookkeeping annotations added), so line numbers in the copy
/// mean nothing to the user. When the file on disk holds the same object, npgen reads that instead:
/// <see cref="Text"/> is the file with every other document blanked, so line and column numbers are
/// the file's own.
/// </summary>
public sealed record ConfigDocument(string Name, string Text, MappingNode Node, int Index)
{
    private static readonly string[] IdentityKeys = ["apiVersion", "kind"];

    /// <summary>
    /// Document <paramref name="index"/> of the file, when it holds the same data as
    /// <paramref name="copy"/> (apart from metadata other than name and namespace, where the tools add
    /// their annotations); null when it does not, or the file cannot be read or parsed.
    /// </summary>
    public static ConfigDocument? AtIndex(string fullPath, string name, int index, MappingNode copy)
    {
        var (documents, text) = Read(fullPath, name);
        return text is not null && index >= 0 && index < documents.Length && documents[index] is MappingNode node && SameConfig(node, copy)
            ? new ConfigDocument(name, Isolate(text, documents, index), node, index)
            : null;
    }

    /// <summary>The one document of the file that holds the same data as <paramref name="copy"/>, or null (none, or several).</summary>
    public static ConfigDocument? Matching(string fullPath, string name, MappingNode copy)
    {
        var (documents, text) = Read(fullPath, name);
        var matches = Enumerable.Range(0, documents.Length).Where(i => documents[i] is MappingNode node && SameConfig(node, copy)).ToList();
        return text is not null && matches.Count == 1
            ? new ConfigDocument(name, Isolate(text, documents, matches[0]), (MappingNode)documents[matches[0]], matches[0])
            : null;
    }

    /// <summary>Same apiVersion, kind, name and namespace, and the same data in every other top-level field.</summary>
    public static bool SameConfig(MappingNode a, MappingNode b)
    {
        if (IdentityKeys.Any(k => Scalar(a, k) != Scalar(b, k))
            || Scalar(a["metadata"] as MappingNode, "name") != Scalar(b["metadata"] as MappingNode, "name")
            || Scalar(a["metadata"] as MappingNode, "namespace") != Scalar(b["metadata"] as MappingNode, "namespace"))
        {
            return false;
        }

        var keys = a.Entries.Select(e => e.Key.Value).Concat(b.Entries.Select(e => e.Key.Value)).Where(k => k != "metadata").ToHashSet(StringComparer.Ordinal);
        return keys.All(k => YamlFieldPath.SameData(a[k], b[k]));
    }

    private static (ImmutableArray<SourceNode> Documents, string? Text) Read(string fullPath, string name)
    {
        if (!File.Exists(fullPath))
        {
            return ([], null);
        }

        var (text, tooLarge) = BoundedText.ReadFile(fullPath, YamlLimits.ResourceList);
        if (text is null || tooLarge is not null)
        {
            return ([], null);
        }

        var (documents, error) = SourceNodeReader.Read(name, text, YamlLimits.ResourceList);
        return error is null ? (documents, text) : ([], null);
    }

    /// <summary>The text with every line outside document <paramref name="index"/> blanked: one document, at its own line numbers.</summary>
    private static string Isolate(string text, ImmutableArray<SourceNode> documents, int index)
    {
        if (documents.Length == 1)
        {
            return text;
        }

        var lines = text.Split('\n');
        var start = documents[index].Line - 1;
        var end = lines.Length;
        if (index + 1 < documents.Length)
        {
            end = documents[index + 1].Line - 1;
            for (var i = end - 1; i >= start; i--)
            {
                if (lines[i].StartsWith("---", StringComparison.Ordinal))
                {
                    end = i;
                    break;
                }
            }
        }

        for (var i = 0; i < lines.Length; i++)
        {
            if (i < start || i >= end)
            {
                lines[i] = "";
            }
        }

        return string.Join('\n', lines);
    }

    private static string? Scalar(MappingNode? map, string key) => map?[key] is ScalarNode s ? s.Value : null;
}
