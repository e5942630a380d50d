using System.Text.Json;

namespace PolicyGen.Cli.Tests;

/// <summary>S18 through the built npgen: eval names the tier and rule, validate and eval refuse a cluster policy the API rejects, lint names what it leaves out.</summary>
public sealed class ClusterPolicyCliTests
{
    private const string Case = "tests/conformance/87-cnp-admin-and-baseline-tiers";

    [Fact]
    public void S18_2_eval_json_says_which_tier_and_which_cluster_policy_rule_decided_each_direction()
    {
        var run = Npgen.Run("eval", "-f", $"{Case}/cluster.yaml", "-f", $"{Case}/policies.yaml", "--from", "x/b", "--to", "z/c", "--port", "80", "-o", "json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.StdOut);
        var egress = json.RootElement.EnumerateObject().Select(p => p.Value).First(v => v.ValueKind == JsonValueKind.Object && v.TryGetProperty("egress", out _)).GetProperty("egress");
        Assert.Equal("Admin", egress.GetProperty("tier").GetString());
        var rule = egress.GetProperty("decidedBy");
        Assert.Equal(("ClusterNetworkPolicy", "deny-x-to-z-80", 1, "Deny"),
            (rule.GetProperty("kind").GetString(), rule.GetProperty("policy").GetString(), rule.GetProperty("priority").GetInt32(), rule.GetProperty("action").GetString()));
    }

    [Fact]
    public void S18_2_eval_text_names_the_tier_rule_and_priority()
    {
        var run = Npgen.Run("eval", "-f", $"{Case}/cluster.yaml", "-f", $"{Case}/policies.yaml", "--from", "y/a", "--to", "x/a", "--port", "81");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("DENIED", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("the baseline applies: ingress from y/a on 81/TCP denied by ClusterNetworkPolicy baseline-deny-from-y tier Baseline (priority 1) ingress rule 0", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void S18_8_validate_and_eval_refuse_a_cluster_policy_the_API_rejects()
    {
        var dir = Directory.CreateTempSubdirectory("npgen-anp-");
        try
        {
            var bad = Path.Combine(dir.FullName, "bad.yaml");
            File.WriteAllText(bad, "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: base}\nspec:\n  subject: {namespaces: {}}\n  ingress: [{action: Deny, from: [{namespaces: {}}]}]\n");
            var validate = Npgen.Run("validate", "-f", bad);
            Assert.Equal(1, validate.ExitCode);
            Assert.Contains("bad.yaml:3:", validate.StdOut, StringComparison.Ordinal);
            Assert.Contains("error NPG520", validate.StdOut, StringComparison.Ordinal);
            var eval = Npgen.Run("matrix", "-f", $"{Case}/cluster.yaml", "-f", bad);
            Assert.Equal(2, eval.ExitCode);
            Assert.Contains("NPG520", eval.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void S18_lint_names_the_cluster_policies_it_does_not_lint()
    {
        var run = Npgen.Run("lint", "-f", $"{Case}/cluster.yaml", "-f", $"{Case}/policies.yaml");
        Assert.Contains("not linted: ClusterNetworkPolicy/accept-x-to-z-a, ClusterNetworkPolicy/baseline-deny-from-y, ClusterNetworkPolicy/deny-x-to-z-80", run.StdErr, StringComparison.Ordinal);
    }
}
