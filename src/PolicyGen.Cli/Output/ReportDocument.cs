using System.Text.Json;
using PolicyGen.Output;

namespace PolicyGen.Cli.Output;

/// <summary>The first two fields of every machine-readable document npgen prints: apiVersion and kind (docs/output.md).</summary>
internal static class ReportDocument
{
    /// <summary>A report tree (for <see cref="StructuredText"/>) that starts with apiVersion and kind.</summary>
    public static OrderedDictionary<string, object?> Start(string kind) => new()
    {
        ["apiVersion"] = ReportKinds.ApiVersion,
        ["kind"] = kind,
    };

    /// <summary>Writes apiVersion and kind as the first properties of the object just started.</summary>
    public static void WriteHeader(Utf8JsonWriter writer, string kind)
    {
        writer.WriteString("apiVersion", ReportKinds.ApiVersion);
        writer.WriteString("kind", kind);
    }
}
