namespace PolicyGen.Cli.Tests;

/// <summary><c>npgen build</c> on an intent with namespace-wide rules and everyApp, through the built CLI.</summary>
public sealed class NamespaceWideCliTests : IDisposable
{
    private const string Intent = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: secondary}
        spec:
          namespaces:
            secondary:
              ingress:
              - from: [{namespace: secondary}]
                ports: [PORT]
              egress: none
              everyApp:
                ingress:
                - from: [{namespace: monitoring, podLabels: {app: prometheus}}]
                  ports: [metrics]
          apps:
            web:
              namespace: secondary
              selector: {app: web}
              ports: {http: 8080/TCP, metrics: 9090/TCP}
        """;

    private readonly string temp = Directory.CreateTempSubdirectory("npgen-cli-nswide-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private string Write(string port)
    {
        var path = Path.Combine(temp, "intents.yaml");
        File.WriteAllText(path, Intent.Replace("PORT", port, StringComparison.Ordinal));
        return path;
    }

    [Fact]
    public void Build_prints_the_namespace_wide_policies_and_exits_0()
    {
        var run = Npgen.Run("build", Write("80/TCP"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var documents = run.StdOut.Split("\n---\n");
        var ingress = Assert.Single(documents, d => d.Contains("  name: namespace-ingress\n", StringComparison.Ordinal));
        Assert.Contains("spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n", ingress, StringComparison.Ordinal);
        var egress = Assert.Single(documents, d => d.Contains("  name: namespace-egress\n", StringComparison.Ordinal));
        Assert.Contains("spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress: []", egress, StringComparison.Ordinal);
        var web = Assert.Single(documents, d => d.Contains("  name: web-ingress\n", StringComparison.Ordinal));
        Assert.Contains("port: 9090", web, StringComparison.Ordinal); // everyApp's metrics, resolved on web
    }

    [Fact]
    public void A_port_name_in_a_namespace_wide_rule_is_reported_at_its_place_with_exit_2()
    {
        var path = Write("http");
        var run = Npgen.Run("build", path);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{path}:9:17: error NPG314:", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("hint:", run.StdErr, StringComparison.Ordinal);
        Assert.Equal("", run.StdOut);
    }
}
