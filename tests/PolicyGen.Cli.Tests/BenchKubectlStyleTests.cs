using System.Text.Json;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// npgen bench gen --style kubectl: a dump users would recognise, that npgen reads back as the same
/// cluster, and flags that refuse what they cannot do instead of writing something else.
/// </summary>
public sealed class BenchKubectlStyleTests
{
    [Fact]
    public void A_kubectl_style_dump_reads_back_with_the_plain_outputs_digest()
    {
        var plain = Directory.CreateTempSubdirectory("npgen-bench-plain-").FullName;
        var dump = Directory.CreateTempSubdirectory("npgen-bench-dump-").FullName;
        try
        {
            var gen = Npgen.Run("bench", "gen", "--preset", "S", "--seed", "4", "-o", plain);
            Assert.True(gen.ExitCode == 0, gen.ToString());
            var kubectl = Npgen.Run("bench", "gen", "--preset", "S", "--seed", "4", "--style", "kubectl", "--format", "yaml", "-o", dump);
            Assert.True(kubectl.ExitCode == 0, kubectl.ToString());
            Assert.Equal(["cluster.yaml"], Directory.GetFiles(Path.Combine(dump, "manifests")).Select(Path.GetFileName));
            Assert.StartsWith("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n", File.ReadAllText(Path.Combine(dump, "manifests", "cluster.yaml")));
            Assert.Equal(Digest(plain), Digest(dump));
            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dump, "manifest.json")));
            Assert.Equal("kubectl -o yaml", manifest.RootElement.GetProperty("style").GetString());

            // npgen reads the dump without an error (its Deployments and ReplicaSets are read too).
            var validate = Npgen.Run("validate", "-f", Path.Combine(dump, "manifests", "cluster.yaml"));
            Assert.True(validate.ExitCode == 0, validate.ToString());
        }
        finally
        {
            Directory.Delete(plain, recursive: true);
            Directory.Delete(dump, recursive: true);
        }
    }

    [Fact]
    public void Format_without_kubectl_style_and_kubectl_style_without_pods_are_usage_errors()
    {
        var format = Npgen.Run("bench", "gen", "--preset", "S", "--format", "yaml", "-o", Path.Combine(Path.GetTempPath(), "npgen-never-written"));
        Assert.Equal(2, format.ExitCode);
        Assert.Contains("--format applies to --style kubectl", format.StdErr);

        var workloads = Npgen.Run("bench", "gen", "--preset", "S", "--style", "kubectl", "--set", "objects=workloads", "-o", Path.Combine(Path.GetTempPath(), "npgen-never-written"));
        Assert.Equal(2, workloads.ExitCode);
        Assert.Contains("--style kubectl dumps the pods of a cluster", workloads.StdErr);
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), "npgen-never-written")));
    }

    private static string Digest(string directory)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")));
        return manifest.RootElement.GetProperty("expected").GetProperty("reachability").GetProperty("sha256").GetString()!;
    }
}
