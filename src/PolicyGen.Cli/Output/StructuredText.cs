using System.Globalization;
using System.Text;
using PolicyGen.Yaml;

namespace PolicyGen.Cli.Output;

/// <summary>
/// Writes a tree of ordered maps, lists, strings, numbers and booleans as JSON or YAML, so that
/// reports have one shape in both formats and keep their key order.
/// </summary>
internal static class StructuredText
{
    public static string Json(object? value)
        => JsonText.Write(writer => WriteJson(writer, value));

    private static void WriteJson(System.Text.Json.Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case OrderedDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, item);
                }

                writer.WriteEndObject();
                break;
            case System.Collections.IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    public static string Yaml(object? value)
    {
        var text = new StringBuilder();
        WriteYaml(text, value, 0, inList: false);
        return text.ToString();
    }

    private static void WriteYaml(StringBuilder text, object? value, int indent, bool inList)
    {
        var pad = new string(' ', indent);
        switch (value)
        {
            case OrderedDictionary<string, object?> map:
                var first = true;
                foreach (var (key, item) in map)
                {
                    text.Append(first && inList ? "" : pad).Append(YamlQuoting.Quote(key)).Append(':');
                    first = false;
                    WriteValue(text, item, indent);
                }

                if (map.Count == 0)
                {
                    text.Append("{}\n");
                }

                break;
            default:
                text.Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static void WriteValue(StringBuilder text, object? item, int indent)
    {
        switch (item)
        {
            case OrderedDictionary<string, object?> { Count: > 0 } child:
                text.Append('\n');
                WriteYaml(text, child, indent + 2, inList: false);
                break;
            case OrderedDictionary<string, object?>:
                text.Append(" {}\n");
                break;
            case string or bool or int or long or null:
                text.Append(' ').Append(Scalar(item)).Append('\n');
                break;
            case System.Collections.IEnumerable list:
                var items = list.Cast<object?>().ToList();
                if (items.Count == 0)
                {
                    text.Append(" []\n");
                    break;
                }

                text.Append('\n');
                foreach (var element in items)
                {
                    text.Append(new string(' ', indent)).Append("- ");
                    if (element is OrderedDictionary<string, object?> { Count: > 0 } m)
                    {
                        WriteYaml(text, m, indent + 2, inList: true);
                    }
                    else
                    {
                        text.Append(Scalar(element)).Append('\n');
                    }
                }

                break;
            default:
                text.Append(' ').Append(Scalar(item)).Append('\n');
                break;
        }
    }

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => YamlQuoting.Quote(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
