using System.Text;

namespace PolicyGen.Yaml;

/// <summary>
/// The field path (<c>spec.apps.web.calls[0]</c>) of the node at a position in a parsed document:
/// what a KRM result's <c>field.path</c> holds, and a place that survives re-serialization (a tool
/// that re-writes the YAML moves lines, never fields).
/// </summary>
public static class YamlFieldPath
{
    /// <summary>
    /// The path of the deepest node that starts exactly at <paramref name="line"/>:<paramref name="column"/>
    /// (a key points at its entry), else of the last node that starts before it; null when the
    /// position lies before the document's first node.
    /// </summary>
    public static string? At(SourceNode root, int line, int column)
    {
        string? exact = null;
        string? before = null;
        (int Line, int Column) best = (0, 0);
        Visit(root, "");
        return exact ?? before;

        void Consider(SourceNode node, string path)
        {
            if (node.Line == line && node.Column == column)
            {
                exact = path; // later (deeper) visits overwrite: the deepest node at the position wins
            }
            else if ((node.Line, node.Column).CompareTo((line, column)) < 0 && (node.Line, node.Column).CompareTo(best) >= 0)
            {
                best = (node.Line, node.Column);
                before = path;
            }
        }

        void Visit(SourceNode node, string path)
        {
            if (path.Length > 0)
            {
                Consider(node, path);
            }

            switch (node)
            {
                case MappingNode map:
                    foreach (var (key, value) in map.Entries)
                    {
                        var child = Append(path, key.Value);
                        Consider(key, child);
                        Visit(value, child);
                    }

                    break;
                case SequenceNode sequence:
                    for (var i = 0; i < sequence.Items.Length; i++)
                    {
                        Visit(sequence.Items[i], $"{path}[{i}]");
                    }

                    break;
            }
        }
    }

    private static string Append(string path, string key)
    {
        // Plain keys join with '.'; a key that holds '.', '[' or ']' is bracketed so the path stays unambiguous.
        var plain = key.Length > 0 && key.IndexOfAny(['.', '[', ']', '"', '\n', '\r']) < 0;
        if (plain)
        {
            return path.Length == 0 ? key : path + "." + key;
        }

        var quoted = new StringBuilder(path).Append("[\"");
        foreach (var c in key)
        {
            quoted.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\r' => "\\r", _ => c.ToString() });
        }

        return quoted.Append("\"]").ToString();
    }

    /// <summary>
    /// Two nodes hold the same data, whatever their style, comments, positions or key order (kustomize
    /// sorts the keys of the copy it passes a plugin).
    /// </summary>
    public static bool SameData(SourceNode? a, SourceNode? b) => (a, b) switch
    {
        (null, null) => true,
        (MappingNode x, MappingNode y) => x.Entries.Length == y.Entries.Length
            && x.Entries.All(e => y.TryGetValue(e.Key.Value, out var other) && SameData(e.Value, other)),
        (SequenceNode x, SequenceNode y) => x.Items.Length == y.Items.Length && x.Items.Zip(y.Items).All(p => SameData(p.First, p.Second)),
        (ScalarNode x, ScalarNode y) => x.Value == y.Value,
        _ => false,
    };
}
