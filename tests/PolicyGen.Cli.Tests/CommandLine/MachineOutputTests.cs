using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests.CommandLine;

/// <summary>
/// Every JSON or YAML document npgen prints for programs starts with apiVersion npgen.dev/v1alpha1
/// and its kind (docs/output.md), and keeps one shape whatever the input's size.
/// </summary>
public sealed class MachineOutputTests : IDisposable
{
    private const string ApiVersion = "npgen.dev/v1alpha1";
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-machine-output-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    public static TheoryData<string, string[]> JsonDocuments => new()
    {
        { "BuildReport", ["build", "examples/shop/intents.yaml", "--env", "prod", "--report", "json"] },
        { "VerifyReport", ["verify", "examples/shop/intents.yaml", "-o", "json"] },
        { "CheckReport", ["check", "examples/shop/intents.yaml", "--env", "prod", "-f", "examples/shop/manifests/", "-o", "json"] },
        { "EvalReport", ["eval", "-f", "examples/cluster/", "--from", "shop/web", "--to", "shop/db", "--port", "5432", "-o", "json"] },
        { "MatrixReport", ["matrix", "-f", "examples/cluster/", "-o", "json"] },
        { "ValidateReport", ["validate", "-f", "examples/cluster/", "-o", "json"] },
    };

    [Theory]
    [MemberData(nameof(JsonDocuments))]
    public void Json_documents_start_with_apiVersion_and_kind(string kind, string[] args)
    {
        var run = Npgen.Run(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StdOut);
        var first = json.RootElement.EnumerateObject().Take(2).Select(p => (p.Name, p.Value.GetString())).ToList();
        Assert.Equal([("apiVersion", ApiVersion), ("kind", kind)], first);
    }

    public static TheoryData<string, string[]> YamlDocuments => new()
    {
        { "BuildReport", ["build", "examples/shop/intents.yaml", "--report", "yaml"] },
        { "VerifyReport", ["verify", "examples/shop/intents.yaml", "-o", "yaml"] },
    };

    [Theory]
    [MemberData(nameof(YamlDocuments))]
    public void Yaml_documents_start_with_apiVersion_and_kind(string kind, string[] args)
    {
        var run = Npgen.Run(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        var stream = new YamlStream();
        stream.Load(new StringReader(run.StdOut));
        var root = (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
        var first = root.Children.Take(2).Select(e => (((YamlScalarNode)e.Key).Value, ((YamlScalarNode)e.Value).Value)).ToList();
        Assert.Equal([("apiVersion", ApiVersion), ("kind", kind)], first);
    }

    [Fact]
    public void Rendered_verification_report_is_versioned()
    {
        var rendered = Path.Combine(temp, "rendered.yaml");
        Assert.Equal(0, Npgen.Run("build", "examples/shop/intents.yaml", "-o", rendered).ExitCode);
        var run = Npgen.Run("verify", "examples/shop/intents.yaml", "--rendered", "-f", rendered, "-o", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StdOut);
        Assert.Equal(ApiVersion, json.RootElement.GetProperty("apiVersion").GetString());
        Assert.Equal("RenderedVerifyReport", json.RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public void Bench_manifest_is_versioned()
    {
        var run = Npgen.Run("bench", "gen", "--preset", "S", "--seed", "1", "--digest", "never", "-o", temp);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp, "manifest.json")));
        Assert.Equal(ApiVersion, json.RootElement.GetProperty("apiVersion").GetString());
        Assert.Equal("BenchWorkloadManifest", json.RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public void Matrix_json_has_one_shape_and_lists_pairs_only_when_asked()
    {
        var grouped = Npgen.Run("matrix", "-f", "examples/cluster/", "-o", "json");
        var withPairs = Npgen.Run("matrix", "-f", "examples/cluster/", "-o", "json", "--pairs");
        Assert.True(withPairs.ExitCode == 0, withPairs.ToString());
        using var a = JsonDocument.Parse(grouped.StdOut);
        using var b = JsonDocument.Parse(withPairs.StdOut);
        var keys = a.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["apiVersion", "kind", "options", "ports", "endpoints", "groups", "rows", "egress", "ingress"], keys);
        Assert.Equal([.. keys, "results"], b.RootElement.EnumerateObject().Select(p => p.Name));
        var endpoints = a.RootElement.GetProperty("endpoints").GetArrayLength();
        var ports = a.RootElement.GetProperty("ports").GetArrayLength();
        Assert.Equal(endpoints * endpoints * ports, b.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public void Matrix_pairs_auto_is_gone_with_a_message_and_pairs_needs_json()
    {
        var auto = Npgen.Run("matrix", "-f", "examples/cluster/", "-o", "json", "--pairs", "auto");
        Assert.Equal(2, auto.ExitCode);
        Assert.Contains("one shape", auto.StdErr, StringComparison.Ordinal);
        var table = Npgen.Run("matrix", "-f", "examples/cluster/", "--pairs");
        Assert.Equal(2, table.ExitCode);
        Assert.Contains("-o json", table.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_document_kind_is_described_in_docs_output_md()
    {
        var doc = File.ReadAllText(Path.Combine(Npgen.Repo, "docs", "output.md"));
        foreach (var kind in new[] { "BuildReport", "VerifyReport", "RenderedVerifyReport", "CheckReport", "EvalReport", "MatrixReport", "ValidateReport", "PublishReport", "BenchWorkloadManifest" })
        {
            Assert.Contains($"## {kind}", doc, StringComparison.Ordinal);
        }
    }
}
