using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PolicyGen.Model;
using PolicyGen.Verify;

namespace PolicyGen.Diff;

/// <summary>
/// <see cref="ConnectivityDiffReport"/> as text (a terminal), Markdown (a pull-request comment) or
/// JSON (scripts; docs/diff.md describes it). Each flow is one source and one destination with
/// every port that changed between them; sorted by source, destination, ports: deterministic.
/// </summary>
public static class DiffReportFormatter
{
    public static string Text(ConnectivityDiffReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append($"OLD {Describe(report.Old)}\n");
        text.Append($"NEW {Describe(report.New)}\n");
        var changes = report.Changes;
        if (changes.IsEmpty)
        {
            return text.Append("No change in connectivity: NEW allows exactly the flows OLD allows.\n").ToString();
        }

        text.Append($"{Summary(report)}\n");
        foreach (var (title, sign, flows) in Sections(changes))
        {
            text.Append($"\n{title}:\n");
            var width = flows.Max(f => f.From.Length + 4 + f.To.Length);
            foreach (var flow in flows)
            {
                text.Append($"  {sign} {(flow.From + " -> " + flow.To).PadRight(width)}  {flow.Ports}\n");
            }
        }

        return text.ToString();
    }

    public static string Markdown(ConnectivityDiffReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append($"### npgen diff: {Code(report.Old.Source)} → {Code(report.New.Source)}\n\n");
        var changes = report.Changes;
        if (changes.IsEmpty)
        {
            return text.Append("**No change in connectivity**: NEW allows exactly the flows OLD allows.\n").ToString();
        }

        text.Append($"**{Summary(report)}**{(report.Widened ? " — NEW allows flows OLD did not" : "")}\n\n");
        text.Append("| change | from | to | ports |\n|---|---|---|---|\n");
        foreach (var (_, sign, flows) in Sections(changes))
        {
            foreach (var flow in flows)
            {
                text.Append($"| {(sign == "+" ? "➕ added" : "➖ removed")} | {Code(flow.From)} | {Code(flow.To)} | {Cell(flow.Ports)} |\n");
            }
        }

        return text.Append($"\n<sub>OLD {Cell(Describe(report.Old))}; NEW {Cell(Describe(report.New))}.</sub>\n").ToString();
    }

    public static string Json(ConnectivityDiffReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", ConnectivityDiffReport.ApiVersion);
            writer.WriteString("kind", ConnectivityDiffReport.Kind);
            WriteSide(writer, "old", report.Old);
            WriteSide(writer, "new", report.New);
            writer.WriteNumber("workloads", report.Workloads);
            writer.WriteStartObject("summary");
            writer.WriteNumber("added", report.Changes.Added.Length);
            writer.WriteNumber("removed", report.Changes.Removed.Length);
            writer.WriteBoolean("changed", !report.Changes.IsEmpty);
            writer.WriteBoolean("widened", report.Widened);
            writer.WriteEndObject();
            WriteFlows(writer, "added", report.Changes.Added);
            WriteFlows(writer, "removed", report.Changes.Removed);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteSide(Utf8JsonWriter writer, string name, DiffSide side)
    {
        writer.WriteStartObject(name);
        writer.WriteString("source", side.Source);
        writer.WriteString("kind", side.Kind);
        WriteOptional("intent", side.Intent?.Name);
        WriteOptional("environment", side.Environment);
        WriteOptional("commit", side.Commit);
        writer.WriteNumber("policies", side.Policies.Length);
        writer.WriteEndObject();

        void WriteOptional(string key, string? value)
        {
            if (value is null)
            {
                writer.WriteNull(key);
            }
            else
            {
                writer.WriteString(key, value);
            }
        }
    }

    private static void WriteFlows(Utf8JsonWriter writer, string name, IEnumerable<FlowChange> flows)
    {
        writer.WriteStartArray(name);
        foreach (var flow in flows)
        {
            writer.WriteStartObject();
            writer.WriteString("from", flow.From);
            writer.WriteString("to", flow.To);
            writer.WriteStartArray("ports");
            foreach (var range in flow.PortRanges)
            {
                writer.WriteStartObject();
                writer.WriteString("protocol", range.Protocol.Name());
                writer.WriteNumber("port", range.Low);
                writer.WriteNumber("endPort", range.High);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("portsText", flow.Ports);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static IEnumerable<(string Title, string Sign, IReadOnlyList<FlowChange> Flows)> Sections(ConnectivityChanges changes)
    {
        if (!changes.Added.IsEmpty)
        {
            yield return ("Added (NEW allows, OLD did not)", "+", changes.Added);
        }

        if (!changes.Removed.IsEmpty)
        {
            yield return ("Removed (OLD allowed, NEW does not)", "-", changes.Removed);
        }
    }

    private static string Summary(ConnectivityDiffReport report)
        => $"{Count(report.Changes.Added.Length, "flow")} added, {report.Changes.Removed.Length} removed";

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    private static string Describe(DiffSide side)
    {
        var parts = new List<string> { side.Kind == "intent" ? $"intent {side.Intent?.Name}" : "policies" };
        if (side.Environment is { } environment)
        {
            parts.Add($"env {environment}");
        }

        if (side.Commit is { } commit)
        {
            parts.Add($"commit {commit[..Math.Min(12, commit.Length)]}");
        }

        parts.Add(Count(side.Policies.Length, "NetworkPolicy").Replace("Policys", "Policies", StringComparison.Ordinal));
        return $"{side.Source} ({string.Join(", ", parts)})";
    }

    /// <summary>A Markdown code span that no backtick or pipe in a name can break out of.</summary>
    private static string Code(string text) => $"`{text.Replace("`", "'", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)}`";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal);
}
