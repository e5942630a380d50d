using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.ClusterIntent;

/// <summary>
/// <c>spec.cluster</c> binding: its defaults, and every mistake and contradiction with the rest of
/// the intent reported at the file, line and column where it is written, with a fix.
/// </summary>
public sealed class ClusterSectionBinderTests
{
    private const string Apps = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: platform}
        spec:
          namespaces:
            shop: {managed: true}
          apps:
            web:
              namespace: shop
              selector: {app: web}
              ports: {http: 8080/TCP}
              calls: [api]
            api:
              namespace: shop
              selector: {app: api}
              ports: {http: 8000/TCP}
        """;

    private static string With(string cluster) => Apps + "\n  cluster:\n" + string.Join('\n', cluster.Split('\n').Select(l => "    " + l)) + "\n";

    [Fact]
    public void An_intent_without_the_section_has_no_cluster_intent()
        => Assert.Null(LoadValid(Apps).Cluster);

    [Fact]
    public void An_empty_mapping_takes_every_default()
    {
        var cluster = LoadValid(With("{}").Replace("  cluster:\n    {}", "  cluster: {}", StringComparison.Ordinal)).Cluster!;
        Assert.Equal(ClusterOutputKind.AdminNetworkPolicy, cluster.Output);
        Assert.Equal(20, cluster.Priority);
        Assert.Equal("kube-node-lease, kube-public, kube-system", string.Join(", ", cluster.ExemptNamespaces));
        Assert.True(cluster.BaselineDenyIngress && cluster.BaselineDenyEgress && cluster.Dns);
        Assert.Null(cluster.Monitoring);
        Assert.Empty(cluster.Protected);
        Assert.True(cluster.Covers("team-created-tomorrow", new Dictionary<string, string>()));
        Assert.False(cluster.Covers("kube-system", new Dictionary<string, string>()));
    }

    [Fact]
    public void Every_key_binds_and_a_label_exempts_a_namespace()
    {
        var cluster = LoadValid(With("""
            output: ClusterNetworkPolicy
            priority: 300
            exempt: {namespaces: [kube-system], namespaceLabels: {policy: exempt}}
            baselineDeny: {ingress: false, egress: true}
            dns: false
            monitoring: {from: {namespace: monitoring, podLabels: {app: prometheus}}, ports: [9090/TCP, 9100-9110/TCP]}
            protectedNamespaces: [vault, secrets, vault]
            """)).Cluster!;
        Assert.Equal(ClusterOutputKind.ClusterNetworkPolicy, cluster.Output);
        Assert.Equal(300, cluster.Priority);
        Assert.False(cluster.BaselineDenyIngress);
        Assert.False(cluster.Dns);
        Assert.Equal(["secrets", "vault"], cluster.Protected.Select(p => p.Namespace));
        Assert.Equal(2, cluster.Monitoring!.Ports.Length);
        Assert.False(cluster.Covers("tools", new Dictionary<string, string> { ["policy"] = "exempt" }));
        Assert.True(cluster.Covers("tools", new Dictionary<string, string> { ["policy"] = "other" }));
    }

    [Fact]
    public void A_misspelt_key_is_NPG300_with_the_key_it_meant()
        => AssertDiagnostic(SingleError(With("protectedNamespace: [vault]")), DiagnosticCodes.IntentUnknownKey, 18, 5,
            ["spec.cluster", "unknown key \"protectedNamespace\""], "did you mean \"protectedNamespaces\"?");

    [Fact]
    public void An_unknown_output_kind_is_NPG330_naming_the_two_kinds()
        => AssertDiagnostic(SingleError(With("output: NetworkPolicy")), DiagnosticCodes.ClusterSectionInvalid, 18, 13,
            ["\"NetworkPolicy\" is not an output kind"], "ClusterNetworkPolicy");

    [Fact]
    public void A_priority_outside_0_to_1000_is_NPG335()
        => AssertDiagnostic(SingleError(With("priority: 1001")), DiagnosticCodes.ClusterPriority, 18, 15,
            ["\"1001\" is not a priority"], "0 to 1000");

    [Fact]
    public void A_priority_that_leaves_no_room_for_the_admin_objects_is_NPG335_at_the_priority()
    {
        var intent = LoadValid(With("priority: 999\nprotectedNamespaces: [a, b, c]"));
        var (plans, diagnostics) = PolicyGen.Compile.ClusterPolicyCompiler.Compile(intent, intent.Cluster!.Output);
        var error = Assert.Single(diagnostics);
        AssertDiagnostic(error, DiagnosticCodes.ClusterPriority, 18, 15, ["leaves no room", "up to 1003"], "996 or less");
        Assert.NotEmpty(plans);
    }

    [Fact]
    public void A_namespace_both_protected_and_exempt_is_NPG330()
        => AssertDiagnostic(SingleError(With("protectedNamespaces: [kube-system]")), DiagnosticCodes.ClusterSectionInvalid, 18, 27,
            ["\"kube-system\" is also exempt"], "remove \"kube-system\" from one of the two lists");

    [Fact]
    public void An_app_rule_reaching_a_protected_namespace_from_another_namespace_is_NPG331_at_the_rule()
    {
        var text = With("protectedNamespaces: [shop]");
        LoadValid(text); // web calls api within shop: allowed; a call from another namespace into shop is not.

        var outsider = text.Replace("  cluster:", """
                tool:
                  namespace: tools
                  selector: {app: tool}
                  calls: [{app: api, ports: [http]}]
              cluster:
            """.Replace("\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        var error = Assert.Single(Errors(outsider), d => d.Code == DiagnosticCodes.ClusterProtectedConflict);
        AssertDiagnostic(error, DiagnosticCodes.ClusterProtectedConflict, 20, 15,
            ["app \"tool\" calls api", "namespace shop", "never be reached"], "remove shop from protectedNamespaces");
    }

    [Fact]
    public void Egress_none_against_the_cluster_wide_DNS_allow_is_NPG332_at_the_app()
    {
        var text = Apps.Replace("      calls: [api]", "      calls: [api]\n    db:\n      namespace: shop\n      selector: {app: db}\n      egress: none", StringComparison.Ordinal)
            + "\n  cluster: {baselineDeny: {ingress: false, egress: false}}\n";
        var error = Assert.Single(Errors(text));
        AssertDiagnostic(error, DiagnosticCodes.ClusterDnsConflict, 13, 5, ["app \"db\" says egress: none", "spec.cluster.dns allows DNS"], "spec.cluster.dns: false");
        LoadValid(text.Replace("cluster: {", "cluster: {dns: false, ", StringComparison.Ordinal));
    }

    [Fact]
    public void Ingress_none_against_the_monitoring_allow_is_NPG333_at_the_app()
    {
        var text = Apps.Replace("      ports: {http: 8000/TCP}", "      ports: {http: 8000/TCP}\n      ingress: none", StringComparison.Ordinal)
            .Replace("      calls: [api]", "      calls: []", StringComparison.Ordinal)
            + "\n  cluster: {monitoring: {from: {namespace: monitoring}, ports: [9090/TCP]}}\n";
        var error = Assert.Single(Errors(text));
        AssertDiagnostic(error, DiagnosticCodes.ClusterMonitoringConflict, 13, 5, ["app \"api\" says ingress: none", "monitoring"], "exempt the namespace");
    }

    [Fact]
    public void A_call_to_an_app_no_NetworkPolicy_isolates_is_NPG334_since_the_baseline_refuses_it()
    {
        var text = Apps.Replace("shop: {managed: true}", "shop: {}", StringComparison.Ordinal) + "\n  cluster: {}\n";
        var error = Assert.Single(Errors(text));
        AssertDiagnostic(error, DiagnosticCodes.ClusterBaselineConflict, 12, 15,
            ["app \"web\" calls \"api\"", "no NetworkPolicy isolates \"api\" for ingress", "baseline deny"], "ingress: []");
        LoadValid(text.Replace("  cluster: {}", "  cluster: {baselineDeny: {ingress: false}}", StringComparison.Ordinal));
        LoadValid(text.Replace("  cluster: {}", "  cluster: {exempt: {namespaces: [shop]}}", StringComparison.Ordinal));
    }

    [Fact]
    public void Monitoring_needs_from_and_numbered_ports()
    {
        AssertDiagnostic(SingleError(With("monitoring: {from: {namespace: monitoring}}")), DiagnosticCodes.IntentMissingField, 18, 17,
            ["monitoring: ports is missing"], "as numbers");
        AssertDiagnostic(SingleError(With("monitoring: {from: {namespace: monitoring}, ports: [metrics]}")), DiagnosticCodes.IntentBadPort, 18, 57,
            ["\"metrics\" is not a port"], "port name");
        AssertDiagnostic(SingleError(With("monitoring: {from: prometheus, ports: [9090]}")), DiagnosticCodes.IntentUnknownReference, 18, 24,
            ["there is no app \"prometheus\""], "name an app of spec.apps");
    }

    [Fact]
    public void An_overlay_adds_the_section_and_replaces_its_lists()
    {
        var added = LoadValid(Apps, ("environments/prod.yaml", "spec:\n  cluster:\n    protectedNamespaces: [vault]\n")).Cluster!;
        Assert.Equal(["vault"], added.Protected.Select(p => p.Namespace));
        Assert.Equal("environments/prod.yaml", added.Protected[0].Source.File);

        var replaced = LoadValid(With("output: ClusterNetworkPolicy\nprotectedNamespaces: [vault]"),
            ("environments/prod.yaml", "spec:\n  cluster:\n    output: AdminNetworkPolicy\n    protectedNamespaces: [secrets]\n")).Cluster!;
        Assert.Equal(ClusterOutputKind.AdminNetworkPolicy, replaced.Output);
        Assert.Equal(["secrets"], replaced.Protected.Select(p => p.Namespace));
    }
}
