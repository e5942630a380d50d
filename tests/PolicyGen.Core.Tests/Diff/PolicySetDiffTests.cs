using PolicyGen.Diff;
using PolicyGen.Manifests;

namespace PolicyGen.Core.Tests.Diff;

/// <summary>
/// PolicySetDiff on two sets of plain NetworkPolicies (no intent on either side): connectivity is
/// compared, so a renamed policy is no change, and a new rule is one flow named by what it selects.
/// </summary>
public sealed class PolicySetDiffTests
{
    private const string DbFromApi = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: NAME, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: db}}
          policyTypes: [Ingress]
          ingress:
          - from: [{podSelector: {matchLabels: {app: api}}}]
            ports: [{port: 5432}]
        """;

    private const string DbFromOps = """
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: db-from-ops, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: db}}
          policyTypes: [Ingress]
          ingress:
          - from: [{namespaceSelector: {matchLabels: {team: ops}}}]
            ports: [{port: 5432}]
        """;

    private static DiffSide Side(string name, string yaml)
    {
        var loaded = ManifestLoader.LoadText(name, yaml);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        return new DiffSide { Source = name, Kind = "policies", Policies = loaded.Cluster.Policies };
    }

    [Fact]
    public void A_renamed_policy_is_no_change()
    {
        var report = PolicySetDiff.Compare(Side("old.yaml", DbFromApi.Replace("NAME", "db-ingress", StringComparison.Ordinal)),
            Side("new.yaml", DbFromApi.Replace("NAME", "allow-api-to-db", StringComparison.Ordinal)));

        Assert.True(report.Changes.IsEmpty, string.Join("\n", report.Changes.All));
        Assert.False(report.Widened);
    }

    [Fact]
    public void A_new_rule_is_one_added_flow_named_by_what_it_selects()
    {
        var report = PolicySetDiff.Compare(Side("old.yaml", DbFromApi.Replace("NAME", "db-ingress", StringComparison.Ordinal)),
            Side("new.yaml", DbFromApi.Replace("NAME", "db-ingress", StringComparison.Ordinal) + "\n" + DbFromOps));

        var added = Assert.Single(report.Changes.Added);
        Assert.Empty(report.Changes.Removed);
        Assert.True(report.Widened);
        Assert.StartsWith("(namespaces team=ops)/", added.From);
        Assert.Equal("shop/{app=db}", added.To);
        Assert.Equal("5432/TCP", added.Ports);
        Assert.Equal([new PolicyGen.Intent.PortRange(PolicyGen.Model.Protocol.TCP, 5432, 5432)], added.PortRanges.ToArray());

        var reverse = PolicySetDiff.Compare(report.New, report.Old);
        Assert.Equal(added with { Added = false }, Assert.Single(reverse.Changes.Removed));
        Assert.Empty(reverse.Changes.Added);
    }
}
