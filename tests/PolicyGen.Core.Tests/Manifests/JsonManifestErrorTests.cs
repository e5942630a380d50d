using System.Text;
using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Yaml;

namespace PolicyGen.Core.Tests.Manifests;

/// <summary>JSON input npgen refuses: one located error (file:line:col, a code, a hint), nothing of the source read, never an exception.</summary>
public sealed class JsonManifestErrorTests
{
    private static Diagnostic SingleError(string text, string name = "dump.json")
    {
        var result = ManifestLoader.LoadText(name, text);
        Assert.Empty(result.Cluster.Endpoints);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.NotNull(error.Hint);
        return error;
    }

    [Fact]
    public void Invalid_json_is_an_error_at_its_line_and_column()
    {
        var error = SingleError("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"}},\n  {\"kind\": \"Pod\" \"metadata\": {}}\n]}");
        Assert.Equal(DiagnosticCodes.JsonSyntax, error.Code);
        Assert.Equal(new SourceLocation("dump.json", 3, 18), error.Location);
        Assert.StartsWith("invalid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_cut_short_is_an_error_and_nothing_of_it_is_read()
    {
        var error = SingleError("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"}},\n");
        Assert.Equal(DiagnosticCodes.JsonSyntax, error.Code);
        Assert.Equal(3, error.Location!.Line);
    }

    [Fact]
    public void Json_nested_too_deep_is_refused_where_it_passes_the_bound_even_in_a_skipped_field()
    {
        var text = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"},\n\"status\": " + new string('[', 5000) + new string(']', 5000) + "}";
        var error = SingleError(text);
        Assert.Equal(DiagnosticCodes.YamlTooDeep, error.Code);
        Assert.Equal(new SourceLocation("dump.json", 2, 11 + 999), error.Location); // the 1,001st level: 1 object + 999 lists before it
    }

    [Fact]
    public void A_duplicate_key_in_a_field_npgen_reads_is_refused()
    {
        var error = SingleError("{\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n \"metadata\": {\"name\": \"a\", \"labels\": {\"app\": \"x\", \"app\": \"y\"}}}");
        Assert.Equal(DiagnosticCodes.JsonSyntax, error.Code);
        Assert.Equal(new SourceLocation("dump.json", 2, 51), error.Location);
        Assert.Contains("duplicate key \"app\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_value_longer_than_the_bound_is_refused_with_its_place()
    {
        var text = "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"},\n \"data\": {\"big\": \"" + new string('x', 3 << 20) + "\"}}";
        var reader = new JsonManifestReader("big.json", new MemoryStream(Encoding.UTF8.GetBytes(text)), []) { MaxValueBytes = 1 << 20 };
        var refused = Assert.Throws<ManifestJsonException>(() => reader.Read((_, _) => { }, null));
        Assert.Equal(DiagnosticCodes.JsonValueTooLarge, refused.Diagnostic.Code);
        Assert.Equal(new SourceLocation("big.json", 2, 18), refused.Diagnostic.Location);

        // Within the bound, the same value is stepped over as any skipped field is.
        var within = new JsonManifestReader("big.json", new MemoryStream(Encoding.UTF8.GetBytes(text)), []) { MaxValueBytes = 8 << 20 };
        var documents = new List<SourceNode>();
        within.Read((document, _) => documents.Add(document), null);
        var map = Assert.IsType<MappingNode>(Assert.Single(documents));
        Assert.Null(map["data"]);
    }

    [Fact]
    public void Text_that_starts_like_json_but_is_yaml_is_read_as_yaml()
    {
        var result = ManifestLoader.LoadText("flow.yaml", "{apiVersion: v1, kind: Pod, metadata: {name: a, namespace: n}}\n");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal("n/a", Assert.Single(result.Cluster.Endpoints).Id);
    }

    [Fact]
    public void Several_json_objects_one_after_another_are_all_read()
    {
        var result = ManifestLoader.LoadText("stream.json",
            "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"}}\n{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"b\"}}\n");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal(["default/a", "default/b"], result.Cluster.Endpoints.Select(e => e.Id));
    }

    [Fact]
    public void A_json_array_or_value_is_named_as_no_kubernetes_object_without_its_content()
    {
        var result = ManifestLoader.LoadText("a.json", "[{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"secret-name\"}}]");
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.NotKubernetesObjects, warning.Code);
        Assert.Contains("holds a list", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-name", warning.Message, StringComparison.Ordinal);
    }
}
