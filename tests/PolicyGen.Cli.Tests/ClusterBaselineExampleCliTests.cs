namespace PolicyGen.Cli.Tests;

/// <summary>
/// examples/cluster-baseline as its README shows it: npgen eval over the example's cluster and its
/// committed output answers across the tiers and names the tier and policy that decided; npgen build
/// --cluster-output picks the kind over the intent's own.
/// </summary>
public sealed class ClusterBaselineExampleCliTests
{
    private static NpgenRun Eval(string from, string to, string port)
        => Npgen.Run("eval", "-f", "examples/cluster-baseline/cluster.yaml", "-f", "examples/cluster-baseline/output/", "--from", from, "--to", to, "--port", port);

    [Theory]
    // A namespace created after the intent was written: the baseline denies it, both halves.
    [InlineData("team-new/worker", "team-new/cache", "6379", "DENIED", "denied by BaselineAdminNetworkPolicy default egress rule 0 \"deny-all\"")]
    // DNS from that namespace: the admin tier allows it before any NetworkPolicy.
    [InlineData("team-new/worker", "kube-system/coredns", "53/UDP", "ALLOWED", "allowed by AdminNetworkPolicy platform-dns (priority 21) egress rule 0 \"allow-dns\", before any NetworkPolicy")]
    // Monitoring reaches an app whose namespace has a default deny.
    [InlineData("monitoring/prometheus", "shop/api", "9090", "ALLOWED", "allowed by AdminNetworkPolicy platform-monitoring (priority 23) ingress rule 0 \"allow-monitoring\"")]
    // The app edge: NetworkPolicy decides, no cluster-wide rule matches.
    [InlineData("shop/web", "shop/api", "8000", "ALLOWED", "allowed by shop/api-ingress ingress rule 0")]
    // The protected namespace: the admin Deny wins over the monitoring allow.
    [InlineData("monitoring/prometheus", "vault/vault-0", "9090", "DENIED", "denied by AdminNetworkPolicy platform-protect-vault (priority 20) ingress rule 0 \"deny-from-other-namespaces\"")]
    // A namespace exempted by label is left alone; the new namespace it calls is not.
    [InlineData("sandbox/tool", "team-new/cache", "6379", "DENIED", "ingress from sandbox/tool on 6379/TCP denied by BaselineAdminNetworkPolicy default ingress rule 0")]
    public void Eval_answers_across_the_tiers_and_names_the_deciding_policy(string from, string to, string port, string verdict, string explanation)
    {
        var run = Eval(from, to, port);
        Assert.True(run.ExitCode == 0, run.ToString());
        var first = run.StdOut.Split('\n')[0];
        Assert.EndsWith(": " + verdict, first, StringComparison.Ordinal);
        Assert.Contains(explanation, run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_cluster_output_overrides_the_intents_kind_and_an_unknown_kind_is_refused()
    {
        var build = Npgen.Run("build", "examples/cluster-baseline/intents.yaml", "--cluster-output", "ClusterNetworkPolicy");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: platform-baseline\n", build.StdOut, StringComparison.Ordinal);
        Assert.Contains("  tier: Baseline\n", build.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: AdminNetworkPolicy", build.StdOut, StringComparison.Ordinal);

        var wrong = Npgen.Run("build", "examples/cluster-baseline/intents.yaml", "--cluster-output", "NetworkPolicy");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("ClusterNetworkPolicy", wrong.StdErr, StringComparison.Ordinal);
        Assert.Empty(wrong.StdOut);
    }
}
