using System.Text.Json;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// <c>npgen lint</c> through the built CLI on examples/lint-mistakes: each mistake gives its finding
/// (code, severity, object, field, file:line:col), the exit code follows the severities, and -o json
/// is a LintReport.
/// </summary>
public sealed class LintCliTests
{
    private const string Example = "examples/lint-mistakes/";
    private const string Policies = "examples/lint-mistakes/policies.yaml";

    private static readonly Lazy<NpgenRun> Text = new(() => Npgen.Run("lint", "-f", Example));

    [Theory]
    [InlineData("policies.yaml:18:26: warning NPL002: NetworkPolicy store/web spec.ingress[0].from[0].namespaceSelector: matches no namespace of the inputs (kubernetes.io/metadata.name=ingress-ngnix)")]
    [InlineData("cluster.yaml:18:1: warning NPL003: Pod store/web: isolated for egress by store/default-deny, store/partner, store/web, which allow some egress but no DNS (53/UDP)")]
    [InlineData("policies.yaml:34:5: warning NPL004: NetworkPolicy store/api spec.ingress[1]: allows nothing that spec.ingress[0] does not already allow")]
    [InlineData("policies.yaml:45:5: warning NPL011: NetworkPolicy store/api-metrics spec.ingress[0]: allows nothing in practice: the clients' egress (monitoring/default-deny-egress, monitoring/prometheus-dns) denies every connection it matches")]
    [InlineData("policies.yaml:59:26: warning NPL001: NetworkPolicy store/db spec.ingress[0].from[0].podSelector: matches no pod or workload in namespace store (app=apii)")]
    [InlineData("policies.yaml:62:20: warning NPL008: NetworkPolicy store/db spec.ingress[1].ports[0].port: no selected pod declares a TCP port named postgres")]
    [InlineData("policies.yaml:68:20: warning NPL005: NetworkPolicy store/db spec.egress[1].to[0].ipBlock: 10.0.0.0/8 contains the address of 6 pods")]
    [InlineData("policies.yaml:72:16: warning NPL006: NetworkPolicy store/db spec.egress[2].to[1].ipBlock: 203.0.113.128/26 overlaps 203.0.113.0/24 except 203.0.113.128/25")]
    [InlineData("policies.yaml:83:5: warning NPL010: NetworkPolicy store/debug-open spec.ingress[0]: allows all ingress (an empty rule) for the pods it selects (app=debug), which voids the default deny store/default-deny")]
    [InlineData("policies.yaml:93:53: error NPL007: NetworkPolicy store/partner spec.egress[0].to[0].ipBlock.except[0]: except 192.0.2.0/28 lies outside the cidr 198.51.100.0/24")]
    [InlineData("policies.yaml:99:34: warning NPL009: NetworkPolicy stroe/web metadata.namespace: namespace stroe is not among the inputs' Namespace objects")]
    [InlineData("policies.yaml:86:1: info NPL000: NetworkPolicy store/partner: the API server would reject this policy")]
    public void Each_mistake_of_the_example_gives_its_finding_with_place_object_and_field(string line)
    {
        Assert.True(Text.Value.ExitCode == 1, Text.Value.ToString());
        Assert.Contains("examples/lint-mistakes/" + line, Text.Value.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_finding_of_the_example_is_one_the_tests_name_and_each_has_a_hint()
    {
        var findings = Text.Value.StdOut.Split('\n').Where(l => l.StartsWith("examples/", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, findings.Count);
        Assert.Equal(12, Text.Value.StdOut.Split('\n').Count(l => l.StartsWith("  hint: ", StringComparison.Ordinal)));
        Assert.Contains("npgen lint: 10 policies, 6 pods and workloads, 4 namespaces: 1 error, 10 warnings, 1 info", Text.Value.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_is_a_lint_report_with_object_field_and_location()
    {
        var run = Npgen.Run("lint", "-f", Example, "-o", "json");
        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.StdOut);
        var root = json.RootElement;
        Assert.Equal("npgen.dev/v1alpha1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("LintReport", root.GetProperty("kind").GetString());
        Assert.False(root.GetProperty("passed").GetBoolean());
        Assert.Equal(1, root.GetProperty("errors").GetInt32());
        var except = root.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "NPL007");
        Assert.Equal("error", except.GetProperty("severity").GetString());
        Assert.Equal("partner", except.GetProperty("object").GetProperty("name").GetString());
        Assert.Equal("NetworkPolicy", except.GetProperty("object").GetProperty("kind").GetString());
        Assert.Equal("spec.egress[0].to[0].ipBlock.except[0]", except.GetProperty("field").GetString());
        Assert.Equal(Policies, except.GetProperty("location").GetProperty("file").GetString());
        Assert.Equal(93, except.GetProperty("location").GetProperty("line").GetInt32());
        Assert.False(string.IsNullOrEmpty(except.GetProperty("hint").GetString()));
    }

    [Fact]
    public void Warnings_alone_exit_0_and_unreadable_input_exits_2()
    {
        // The cluster without the rejected policy: warnings remain, no error.
        var temp = Directory.CreateTempSubdirectory("npgen-lint-").FullName;
        try
        {
            File.Copy(Path.Combine(Npgen.Repo, Example, "cluster.yaml"), Path.Combine(temp, "cluster.yaml"));
            var policies = File.ReadAllText(Path.Combine(Npgen.Repo, Policies));
            File.WriteAllText(Path.Combine(temp, "policies.yaml"), policies.Replace("except: [192.0.2.0/28]", "except: [198.51.100.0/28]", StringComparison.Ordinal));
            var run = Npgen.Run("lint", "-f", temp);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain("NPL007", run.StdOut, StringComparison.Ordinal);
            Assert.Contains("warning NPL002", run.StdOut, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(temp, "broken.yaml"), "kind: [");
            var broken = Npgen.Run("lint", "-f", temp);
            Assert.True(broken.ExitCode == 2, broken.ToString());
            Assert.Contains("broken.yaml:", broken.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [Fact]
    public void The_examples_readme_shows_what_the_command_prints()
    {
        var readme = File.ReadAllText(Path.Combine(Npgen.Repo, Example, "README.md"));
        foreach (var line in Text.Value.StdOut.Split('\n').Where(l => l.Length > 0))
        {
            Assert.Contains(line, readme, StringComparison.Ordinal);
        }
    }
}
