using PolicyGen.Check;
using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.NamespaceWide;

/// <summary><c>npgen check</c> knows the namespace-wide rules: what unselected pods still get, and their peers.</summary>
public sealed class NamespaceWideCheckTests
{
    private const string Intent = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        spec:
          namespaces:
            shop:
              managed: true
              ingress:
              - from: [{namespaceLabels: {team: ops}}]
                ports: [9090/TCP]
              calls: [{namespace: shop}]
            ops: {labels: {team: ops}}
          apps:
            web:
              namespace: shop
              selector: {app: web}
        """;

    private static CheckReport Check(string manifests)
    {
        var loaded = ManifestLoader.LoadText("cluster.yaml", manifests);
        Assert.False(loaded.HasErrors, Dump(loaded.Diagnostics));
        return IntentChecker.Check(LoadValid(Intent), loaded.Cluster);
    }

    private const string Manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: ops, labels: {team: platform}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, namespace: shop, labels: {app: web}}
        spec: {containers: [{name: c}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: cron-1, namespace: shop, labels: {app: cron}}
        spec: {containers: [{name: c}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: coredns-1, namespace: kube-system, labels: {k8s-app: kube-dns}}
        spec: {containers: [{name: c}]}
        """;

    [Fact]
    public void Unselected_pods_of_a_managed_namespace_are_said_to_get_the_namespace_wide_rules()
    {
        var finding = Assert.Single(Check(Manifests).Findings, f => f.Code == DiagnosticCodes.CheckUnselectedPods);
        Assert.Equal(["shop/cron-1 (Pod)"], finding.Objects.ToArray());
        Assert.Contains("they get only the namespace-wide rules of shop", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cuts them off", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_namespaceLabels_peer_of_a_namespace_wide_rule_is_checked_against_the_real_namespace()
    {
        var finding = Assert.Single(Check(Manifests).Findings, f => f.Code == DiagnosticCodes.CheckNamespaceLabelPeer);
        Assert.StartsWith("namespace \"shop\": ingress[0]: {namespaceLabels: team=ops} does not match namespace ops", finding.Message, StringComparison.Ordinal);
        Assert.Equal(8, finding.IntentLocation!.Line);
    }
}
