using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyGen.Yaml;

namespace PolicyGen.Workloads;

/// <summary>
/// Prints a JSON tree the way <c>kubectl get -o yaml</c> does: keys in ordinal order (kubectl goes
/// through a map), block style, sequence items at the indentation of their key, empty maps and
/// lists as <c>{}</c> and <c>[]</c>. Strings go through <see cref="YamlQuoting.Quote"/>, so a
/// value that YAML would read as another type (a number, a timestamp, <c>true</c>) stays a string.
/// </summary>
internal static class KubectlYaml
{
    public static void WriteMapping(TextWriter w, JsonObject map, int indent, string? firstLead = null)
    {
        var lead = firstLead;
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.Write(lead ?? new string(' ', indent));
            lead = null;
            w.Write(YamlQuoting.Quote(key));
            w.Write(':');
            WriteValue(w, value, indent);
        }
    }

    /// <summary>Writes what follows <c>key:</c> on its line, and the block below it.</summary>
    private static void WriteValue(TextWriter w, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                w.Write(" {}\n");
                break;
            case JsonObject child:
                w.Write('\n');
                WriteMapping(w, child, indent + 2);
                break;
            case JsonArray { Count: 0 }:
                w.Write(" []\n");
                break;
            case JsonArray items:
                w.Write('\n');
                WriteSequence(w, items, indent);
                break;
            default:
                w.Write(' ');
                w.Write(Scalar(value));
                w.Write('\n');
                break;
        }
    }

    private static void WriteSequence(TextWriter w, JsonArray items, int indent)
    {
        var dash = new string(' ', indent) + "- ";
        foreach (var item in items)
        {
            if (item is JsonObject { Count: > 0 } map)
            {
                WriteMapping(w, map, indent + 2, dash);
            }
            else if (item is JsonObject or JsonArray { Count: 0 })
            {
                w.Write(dash);
                w.Write(item is JsonObject ? "{}\n" : "[]\n");
            }
            else if (item is JsonArray)
            {
                throw new NotSupportedException("kubectl objects hold no list directly in a list");
            }
            else
            {
                w.Write(dash);
                w.Write(Scalar(item));
                w.Write('\n');
            }
        }
    }

    private static string Scalar(JsonNode? value) => value is null ? "null" : value.GetValueKind() switch
    {
        JsonValueKind.String => YamlQuoting.Quote(value.GetValue<string>()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.ToJsonString(),
        _ => "null",
    };
}
