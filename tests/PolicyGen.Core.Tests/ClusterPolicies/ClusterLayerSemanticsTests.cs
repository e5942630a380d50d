using PolicyGen.Evaluation;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Validation;

namespace PolicyGen.Core.Tests.ClusterPolicies;

/// <summary>One test per S18 rule (docs/semantics.md section 18), on small hand-made clusters.</summary>
public sealed class ClusterLayerSemanticsTests
{
    private const string World = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop, labels: {team: shop}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: mon}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}, {name: dns, containerPort: 53, protocol: UDP}]}]}
        status: {podIP: 10.1.0.1}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: db, namespace: shop, labels: {app: db}}
        status: {podIP: 10.1.0.2}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: prom, namespace: mon, labels: {app: prom}}
        status: {podIP: 10.9.0.1}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: n1, labels: {role: infra}}
        status: {addresses: [{type: InternalIP, address: 192.168.0.5}]}
        ---
        """;

    private static PolicyEvaluator Evaluator(string policies)
    {
        var loaded = ManifestLoader.LoadText("t.yaml", World + "\n" + policies);
        Assert.Empty(loaded.Diagnostics);
        Assert.Empty(ClusterPolicyValidator.Validate(loaded.Cluster).Where(d => d.Severity == PolicyGen.Diagnostics.Severity.Error));
        return PolicyEvaluator.Create(loaded.Cluster);
    }

    private static Verdict Eval(PolicyEvaluator evaluator, string from, string to, int port, Protocol protocol = Protocol.TCP)
    {
        Assert.True(evaluator.TryResolve(from, out var a, out _));
        Assert.True(evaluator.TryResolve(to, out var b, out _));
        var verdict = evaluator.Evaluate(a!, b!, port, protocol);
        Assert.Equal(verdict.Allowed, evaluator.IsAllowed(a!, b!, port, protocol));
        var matrix = ReachabilityMatrix.Compute(evaluator, [new PortProbe(port, protocol)]);
        if (!a!.IsExternal && !b!.IsExternal)
        {
            Assert.Equal(verdict.Allowed, matrix.Get(0, a.EndpointIndex, b.EndpointIndex).Allowed);
        }

        return verdict;
    }

    [Fact]
    public void S18_2_an_admin_deny_decides_before_a_NetworkPolicy_that_allows_and_eval_names_the_tier_and_rule()
    {
        var evaluator = Evaluator("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: open, namespace: shop}
            spec: {podSelector: {}, ingress: [{}]}
            ---
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: deny-monitoring}
            spec:
              priority: 10
              subject: {namespaces: {matchLabels: {team: shop}}}
              ingress:
              - {name: no-scrape, action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: mon}}}]}
            """);
        var verdict = Eval(evaluator, "mon/prom", "shop/web", 8080);
        Assert.False(verdict.Allowed);
        Assert.Equal(DecidingTier.Admin, verdict.Ingress.Tier);
        Assert.Equal(new ClusterRuleRef(ClusterPolicyKind.AdminNetworkPolicy, "deny-monitoring", ClusterPolicyTier.Admin, 10, PolicyDirection.Ingress, 0, "no-scrape", ClusterPolicyAction.Deny),
            verdict.Ingress.ClusterRule);
        Assert.Contains("denied by AdminNetworkPolicy deny-monitoring (priority 10) ingress rule 0 \"no-scrape\"", verdict.Ingress.Reason, StringComparison.Ordinal);
        Assert.True(Eval(evaluator, "shop/db", "shop/web", 8080).Allowed); // the NetworkPolicy still decides the rest
    }

    [Fact]
    public void S18_3_Pass_hands_over_to_NetworkPolicy_and_a_later_admin_rule_does_not_apply()
    {
        var evaluator = Evaluator("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: from-mon, namespace: shop}
            spec:
              podSelector: {}
              ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mon}}}]}]
            ---
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: pass-mon}
            spec:
              priority: 1
              subject: {namespaces: {}}
              ingress: [{action: Pass, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: mon}}}]}]
            ---
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: deny-all}
            spec:
              priority: 2
              subject: {namespaces: {}}
              ingress: [{action: Deny, from: [{namespaces: {}}]}]
            """);
        var passed = Eval(evaluator, "mon/prom", "shop/web", 80);
        Assert.True(passed.Allowed);
        Assert.Equal(DecidingTier.NetworkPolicy, passed.Ingress.Tier);
        Assert.Equal("pass-mon", passed.Ingress.PassedBy?.Policy);
        Assert.False(Eval(evaluator, "shop/db", "shop/web", 80).Allowed);
    }

    [Fact]
    public void S18_4_lower_priority_numbers_go_first_and_within_a_policy_the_first_matching_rule_decides()
    {
        var evaluator = Evaluator("""
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: a-late-allow}
            spec:
              priority: 50
              subject: {namespaces: {}}
              egress: [{action: Allow, to: [{namespaces: {}}]}]
            ---
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: z-early}
            spec:
              priority: 5
              subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}
              egress:
              - {action: Allow, to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}}]}
              - {action: Deny, to: [{namespaces: {}}]}
            """);
        Assert.True(Eval(evaluator, "shop/web", "shop/db", 5432).Allowed);
        var denied = Eval(evaluator, "shop/web", "mon/prom", 9090);
        Assert.False(denied.Allowed);
        Assert.Equal(1, denied.Egress.ClusterRule?.Rule);
    }

    [Fact]
    public void S18_4_equal_priorities_that_overlap_are_a_warning_naming_both_policies()
    {
        var loaded = ManifestLoader.LoadText("t.yaml", World + "\n" + """
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: one}
            spec: {priority: 7, subject: {namespaces: {}}, egress: [{action: Deny, to: [{namespaces: {}}]}]}
            ---
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: two}
            spec: {tier: Admin, priority: 7, subject: {namespaces: {matchLabels: {team: shop}}}, egress: [{action: Accept, to: [{namespaces: {}}]}]}
            ---
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: other-tier}
            spec: {tier: Baseline, priority: 7, subject: {namespaces: {}}, egress: [{action: Deny, to: [{namespaces: {}}]}]}
            """);
        var warning = Assert.Single(ClusterPolicyValidator.Validate(loaded.Cluster));
        Assert.Equal(("NPG521", PolicyGen.Diagnostics.Severity.Warning), (warning.Code, warning.Severity));
        Assert.Contains("AdminNetworkPolicy one and ClusterNetworkPolicy two", warning.Message, StringComparison.Ordinal);
        // npgen's documented tie-break: kind, then name, so the ANP's Deny comes first.
        Assert.False(Eval(PolicyEvaluator.Create(loaded.Cluster), "shop/web", "shop/db", 80).Allowed);
    }

    [Fact]
    public void S18_5_the_baseline_applies_only_where_no_NetworkPolicy_isolates_and_a_baseline_Pass_allows()
    {
        var evaluator = Evaluator("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-open, namespace: shop}
            spec: {podSelector: {matchLabels: {app: db}}, ingress: [{}]}
            ---
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: pass-mon}
            spec:
              tier: Baseline
              priority: 1
              subject: {namespaces: {}}
              ingress: [{action: Pass, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: mon}}}]}]
            ---
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: BaselineAdminNetworkPolicy
            metadata: {name: default}
            spec:
              subject: {namespaces: {}}
              ingress: [{action: Deny, from: [{namespaces: {}}]}]
            """);
        var isolated = Eval(evaluator, "shop/web", "shop/db", 80);
        Assert.True(isolated.Allowed);
        Assert.Equal(DecidingTier.NetworkPolicy, isolated.Ingress.Tier);
        var baseline = Eval(evaluator, "shop/db", "shop/web", 80);
        Assert.False(baseline.Allowed);
        Assert.Equal((DecidingTier.Baseline, "default"), (baseline.Ingress.Tier, baseline.Ingress.ClusterRule?.Policy));
        Assert.True(Eval(evaluator, "mon/prom", "shop/web", 80).Allowed); // the CNP baseline Pass comes first and hands over to the default
    }

    [Fact]
    public void S18_6_networks_match_pod_ips_and_external_addresses_and_nodes_match_their_addresses()
    {
        var evaluator = Evaluator("""
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: egress}
            spec:
              priority: 1
              subject: {namespaces: {matchLabels: {team: shop}}}
              egress:
              - {action: Allow, to: [{nodes: {matchLabels: {role: infra}}}]}
              - {action: Deny, to: [{networks: [10.9.0.0/16, 203.0.113.0/24]}]}
            """);
        Assert.False(Eval(evaluator, "shop/web", "mon/prom", 80).Allowed);
        Assert.False(Eval(evaluator, "shop/web", "203.0.113.9", 443).Allowed);
        Assert.True(Eval(evaluator, "shop/web", "198.51.100.1", 443).Allowed);
        Assert.True(Eval(evaluator, "shop/web", "192.168.0.5", 10250).Allowed);
    }

    [Fact]
    public void S18_7_a_named_port_matches_the_destination_container_port_of_that_name_in_its_own_protocol_and_ranges_are_inclusive()
    {
        var evaluator = Evaluator("""
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: ports}
            spec:
              priority: 1
              subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: mon}}}
              egress:
              - action: Deny
                to: [{namespaces: {}}]
                ports: [{namedPort: dns}, {portRange: {start: 9000, end: 9100}}]
            """);
        Assert.False(Eval(evaluator, "mon/prom", "shop/web", 53, Protocol.UDP).Allowed);
        Assert.True(Eval(evaluator, "mon/prom", "shop/web", 53, Protocol.TCP).Allowed);
        Assert.True(Eval(evaluator, "mon/prom", "shop/db", 53, Protocol.UDP).Allowed); // db declares no port named dns
        Assert.False(Eval(evaluator, "mon/prom", "shop/db", 9100).Allowed);
        Assert.True(Eval(evaluator, "mon/prom", "shop/db", 9101).Allowed);
        Assert.True(Eval(evaluator, "mon/prom", "shop/db", 9050, Protocol.UDP).Allowed);
    }
}
