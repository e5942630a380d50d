using System.Text;
using System.Text.Json;
using PolicyGen.Yaml;
using YamlDotNet.Core;

namespace PolicyGen.Core.Tests.Manifests;

/// <summary>Writes YAML manifests as the JSON kubectl prints (indented; a List with items before kind), keeping what each scalar means.</summary>
internal static class ManifestJson
{
    /// <summary>Every document of <paramref name="yaml"/> as one <c>kind: List</c>, kubectl's key order (apiVersion, items, kind, metadata).</summary>
    public static string AsList(string yaml)
    {
        var (documents, error) = SourceNodeReader.Read("in.yaml", yaml, YamlLimits.Manifest);
        Assert.Null(error);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", "v1");
            json.WritePropertyName("items");
            json.WriteStartArray();
            foreach (var document in documents.Where(d => d is MappingNode))
            {
                Write(json, document);
            }

            json.WriteEndArray();
            json.WriteString("kind", "List");
            json.WritePropertyName("metadata");
            json.WriteStartObject();
            json.WriteString("resourceVersion", "");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>One document as a JSON value.</summary>
    public static string Of(string yaml)
    {
        var (documents, error) = SourceNodeReader.Read("in.yaml", yaml, YamlLimits.Manifest);
        Assert.Null(error);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            Write(json, Assert.Single(documents));
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter json, SourceNode node)
    {
        switch (node)
        {
            case MappingNode map:
                json.WriteStartObject();
                foreach (var (key, value) in map.Entries)
                {
                    json.WritePropertyName(key.Value);
                    Write(json, value);
                }

                json.WriteEndObject();
                break;
            case SequenceNode list:
                json.WriteStartArray();
                foreach (var item in list.Items)
                {
                    Write(json, item);
                }

                json.WriteEndArray();
                break;
            case ScalarNode { Style: ScalarStyle.Plain } s when s.Value is "true" or "false":
                json.WriteBooleanValue(s.Value == "true");
                break;
            case ScalarNode { IsNull: true }:
                json.WriteNullValue();
                break;
            case ScalarNode { Style: ScalarStyle.Plain } s when long.TryParse(s.Value, System.Globalization.CultureInfo.InvariantCulture, out var number)
                && number.ToString(System.Globalization.CultureInfo.InvariantCulture) == s.Value:
                json.WriteNumberValue(number);
                break;
            case ScalarNode s:
                json.WriteStringValue(s.Value);
                break;
        }
    }
}
