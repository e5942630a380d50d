using System.Text;
using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Workloads;
using PolicyGen.Yaml;

namespace PolicyGen.Core.Tests.Manifests;

/// <summary>
/// The JSON reader steps over fields npgen does not read (managedFields, status, env, volumes) with a
/// byte scanner instead of tokenising them. It must give what tokenising gives: the same located
/// nodes, the same errors at the same line and column, and it must leave to the tokens every value it
/// is not sure of.
/// </summary>
public sealed class JsonSkippedValueTests
{
    private const string PodHead = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\", \"namespace\": \"n\"},\n";

    /// <summary>What a reader gives for <paramref name="bytes"/>: its documents' nodes with their places, or its error.</summary>
    private static (string Text, int Scanned) Read(byte[] bytes, bool scan, int prefix = 0)
    {
        var reader = new JsonManifestReader("in.json", new MemoryStream(bytes, prefix, bytes.Length - prefix), bytes.AsSpan(0, prefix)) { ScanSkippedValues = scan };
        var text = new StringBuilder();
        try
        {
            reader.Read((document, _) => Print(document, text, ""), null);
        }
        catch (ManifestJsonException e)
        {
            text.Append($"error {e.Diagnostic.Code} at {e.Diagnostic.Location}: {e.Diagnostic.Message}");
        }
        catch (FullReadRequired e)
        {
            text.Append($"full read: {e.Message}");
        }

        return (text.ToString(), reader.ValuesScanned);
    }

    private static void Print(SourceNode node, StringBuilder text, string indent)
    {
        text.Append($"{indent}{node.Line}:{node.Column} ");
        switch (node)
        {
            case ScalarNode scalar:
                text.Append($"{scalar.Style} {scalar.Value}\n");
                break;
            case MappingNode map:
                text.Append("map\n");
                foreach (var (key, value) in map.Entries)
                {
                    text.Append($"{indent}  key {key.Line}:{key.Column} {key.Value}\n");
                    Print(value, text, indent + "    ");
                }

                break;
            case SequenceNode list:
                text.Append("list\n");
                foreach (var item in list.Items)
                {
                    Print(item, text, indent + "  ");
                }

                break;
        }
    }

    /// <summary>Both ways give the same; returns how many values the scanner stepped over.</summary>
    private static int AssertSame(string json, int prefix = 0)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var tokens = Read(bytes, scan: false, prefix);
        var scanned = Read(bytes, scan: true, prefix);
        Assert.Equal(tokens.Text, scanned.Text);
        Assert.Equal(0, tokens.Scanned);
        return scanned.Scanned;
    }

    private static string Dump(string preset, ulong seed)
    {
        var workload = WorkloadGenerator.Generate(WorkloadParameters.FromPreset(preset)!, seed);
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            KubectlDump.Write(workload, writer, KubectlFormat.Json);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData("S", 1UL)]
    [InlineData("S", 7UL)]
    public void A_kubectl_dump_gives_the_same_nodes_and_cluster_as_reading_every_token(string preset, ulong seed)
    {
        var json = Dump(preset, seed);
        Assert.True(AssertSame(json) > 1000, "the scanner stepped over the dump's managedFields, status, env and volumes");

        // And through the loader, the same cluster, at the same places, as the full-tree reader gives.
        var pruned = ManifestLoader.Load([new ManifestSource("dump.json", json)], null, ManifestReading.Pruned);
        var tree = ManifestLoader.Load([new ManifestSource("dump.json", json)], null, ManifestReading.FullTree);
        Assert.False(pruned.HasErrors, string.Join("\n", pruned.Diagnostics));
        Assert.Equal(ClusterText.Of(tree, positions: true), ClusterText.Of(pruned, positions: true));
    }

    [Theory]
    [InlineData("\"status\": {\"a\": \"x\\\"y\\\\\", \"b\": \"\\u00e9\\n\\t\\/\", \"c\\\"d\": [\"]\", \"}\", \"{[\"]},\n\"spec\": {\"hostNetwork\": true}}")]
    [InlineData("\"status\": {\"é\": \"ü 😀 日本\", \"x\": [[[], [{}]], [[1, -2.5e+3, 0, 0.5, 1E9]], true, false, null]},\n\"spec\": {\"containers\": [{\"env\": [{\"name\": \"A\", \"value\": \"]}\"}], \"ports\": [{\"containerPort\": 80}]}]}}")]
    [InlineData("\"status\": {},\n\"spec\": {\"volumes\": [],\n  \"containers\": [{\"resources\": {}, \"ports\": [{\"containerPort\": 80, \"protocol\": \"UDP\"}]}]}}")]
    [InlineData("\"status\":{\"conditions\":[{\"type\":\"Ready\"}],\"podIP\":\"10.0.0.1\"},\"spec\":{\"volumes\":[{\"name\":\"v\"}]}}")]
    [InlineData("\"status\": {\r\n  \"conditions\": [\r\n    {\"type\": \"Ready\"}\r\n  ],\r\n  \"podIP\": \"10.0.0.1\"\r\n}}")]
    [InlineData("\"spec\": {\"tolerations\": [{\"key\": \"a\"}], \"containers\": [{\"ports\": [{\"containerPort\": 1}]}]}, \"status\": {\"podIPs\": [{\"ip\": \"10.0.0.1\", \"extra\": {\"deep\": [1]}}]}}")]
    public void Skipped_values_with_escapes_unicode_nesting_and_line_ends_give_the_same_nodes(string body)
        => Assert.True(AssertSame(PodHead + body) > 0);

    [Theory]
    [InlineData("\"status\": {\"a\": [1, 2,]},\n\"spec\": {}}")] // trailing comma
    [InlineData("\"status\": {\"a\": 01},\n\"spec\": {}}")] // leading zero
    [InlineData("\"status\": {\"a\": \"x\ty\"},\n\"spec\": {}}")] // raw control character in a string
    [InlineData("\"status\": {\"a\": \"\\x\"},\n\"spec\": {}}")] // unknown escape
    [InlineData("\"status\": {\"a\": \"\\u12g4\"},\n\"spec\": {}}")] // bad \u escape
    [InlineData("\"status\": {\"a\": tru},\n\"spec\": {}}")] // broken literal
    [InlineData("\"status\": {\"a\" 1},\n\"spec\": {}}")] // missing colon
    [InlineData("\"status\": {\"a\": 1 \"b\": 2},\n\"spec\": {}}")] // missing comma
    [InlineData("\"status\": {\"a\": [1}},\n\"spec\": {}}")] // brackets that do not match
    [InlineData("\"status\": {\n  \"a\": // comment\n 1},\n\"spec\": {}}")] // a comment
    [InlineData("\"status\": {'a': 1},\n\"spec\": {}}")] // single quotes
    [InlineData("\"status\": {\"a\": 1, \"a\": 2},\n\"spec\": {\"hostNetwork\": true}}")] // duplicate key inside a skipped value: not checked, as before
    public void Invalid_json_inside_a_skipped_value_is_the_same_error_at_the_same_place(string body)
    {
        var json = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n" + PodHead + "\"status\": {\"ok\": [1, 2]},\n\"spec\": {}},\n" + PodHead + body + "\n]}";
        AssertSame(json);
        var (text, _) = Read(Encoding.UTF8.GetBytes(json), scan: true);
        if (!body.Contains("\"a\": 2}", StringComparison.Ordinal))
        {
            Assert.StartsWith("error " + DiagnosticCodes.JsonSyntax, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_error_after_skipped_values_is_placed_on_the_line_and_column_the_tokens_give()
    {
        // Several skipped multi-line values before the error, on the same line and on later lines.
        var json = PodHead + "\"status\": {\n  \"conditions\": [\n    {\"type\": \"Ready\"}\n  ]\n}, \"x\": {\"a\": 1}, \"spec\": {\"containers\": [{\"ports\": [{\"containerPort\": 80 \"name\": \"h\"}]}]}}";
        Assert.True(AssertSame(json) > 0);
        var (text, _) = Read(Encoding.UTF8.GetBytes(json), scan: true);
        Assert.StartsWith($"error {DiagnosticCodes.JsonSyntax} at in.json:6:", text, StringComparison.Ordinal);

        var sameLine = PodHead + "\"status\": {\"a\": [1]}, \"x\": {\"b\": {}} \"spec\": {}}";
        AssertSame(sameLine);
        Assert.Contains("in.json:2:", Read(Encoding.UTF8.GetBytes(sameLine), scan: true).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_input_and_several_values_in_a_row_read_alike()
    {
        var pod = PodHead + "\"status\": {\"conditions\": [{\"type\": \"Ready\"}], \"podIP\": \"10.0.0.1\"}}";
        AssertSame(pod + "\n" + pod + "\n" + pod);
        AssertSame(pod + pod);
        for (var cut = pod.Length - 1; cut > PodHead.Length; cut -= 7)
        {
            AssertSame(pod[..cut]);
        }
    }

    [Fact]
    public void Nesting_past_the_bound_in_a_skipped_value_is_refused_where_the_tokens_refuse_it()
    {
        var deep = PodHead + "\"status\": " + new string('[', 1200) + new string(']', 1200) + "}";
        AssertSame(deep);
        Assert.StartsWith("error " + DiagnosticCodes.YamlTooDeep, Read(Encoding.UTF8.GetBytes(deep), scan: true).Text, StringComparison.Ordinal);

        // Deep but within the bound: the tokens step over what the scanner leaves to them.
        AssertSame(PodHead + "\"status\": " + new string('[', 200) + new string(']', 200) + ", \"spec\": {\"hostNetwork\": true}}");
    }

    [Fact]
    public void A_byte_order_mark_and_invalid_utf8_in_a_skipped_string_read_alike()
    {
        Assert.True(AssertSame("\uFEFF" + PodHead + "\"status\": {\"a\": [\"x\"]}, \"spec\": {\"hostNetwork\": true}}", prefix: 3) > 0);
        var bytes = Encoding.UTF8.GetBytes(PodHead + "\"status\": {\"a\": [\"x?y\"]}, \"spec\": {\"hostNetwork\": true}}");
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xFF;
        Assert.Equal(Read(bytes, scan: false).Text, Read(bytes, scan: true).Text);
        Assert.Equal(0, Read(bytes, scan: true).Scanned); // the scanner leaves it to the tokens
    }

    [Fact]
    public void Values_longer_than_the_buffer_go_token_by_token_and_read_alike()
    {
        var big = string.Concat(Enumerable.Range(0, 100_000).Select(i => $"{{\"k\": \"value {i}\"}}, "));
        var json = PodHead + "\"status\": {\"list\": [" + big + "{}]}, \"spec\": {\"containers\": [{\"ports\": [{\"containerPort\": 80}]}]}}";
        Assert.True(json.Length > 2 << 20);
        AssertSame(json);
    }
}
