using PolicyGen.Manifests;
using PolicyGen.Review.Lint;

namespace PolicyGen.Core.Tests.Review;

/// <summary>
/// Each lint rule on a small cluster: it fires on the mistake, and stays quiet on the correct
/// neighbour a reviewer would accept (so a rule that fires on everything fails here).
/// </summary>
public sealed class LintRuleTests
{
    private const string Cluster = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: a}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: kube-system}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: a, labels: {app: web}}
        spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]}
        status: {podIP: 10.1.0.1}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api, namespace: a, labels: {app: api}}
        spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 8000}, {name: dns, containerPort: 53, protocol: UDP}]}]}
        status: {podIP: 10.1.0.2}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
        spec: {containers: [{name: c, image: i}]}
        status: {podIP: 10.1.9.9}
        ---

        """;

    private static List<LintFinding> Lint(string policies, string code)
    {
        var loaded = ManifestLoader.LoadText("in.yaml", Cluster + policies);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        return [.. Linter.Lint(loaded.Cluster).Findings.Where(f => f.Code == code)];
    }

    private static string Policy(string name, string spec)
        => $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: {name}, namespace: a}}\nspec:\n{spec}\n---\n";

    private const string DnsRule = "  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]\n    ports: [{port: 53, protocol: UDP}]";

    [Fact]
    public void NPL001_a_peer_selector_with_a_typo_is_flagged_with_the_closest_pod_and_a_correct_one_is_not()
    {
        var typo = Lint(Policy("p", "  podSelector: {matchLabels: {app: api}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: wbe}}}]}]"), LintCodes.PodSelectorMatchesNothing);
        var finding = Assert.Single(typo);
        Assert.Equal("spec.ingress[0].from[0].podSelector", finding.Field);
        Assert.Contains("a/web (Pod) has app=web", finding.Hint, StringComparison.Ordinal);
        Assert.Equal("in.yaml", finding.Location!.File);
        Assert.Empty(Lint(Policy("p", "  podSelector: {matchLabels: {app: api}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]"), LintCodes.PodSelectorMatchesNothing));
    }

    [Fact]
    public void NPL003_no_dns_is_flagged_only_when_some_egress_is_allowed()
    {
        var forgot = Lint(Policy("p", "  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress: [{to: [{podSelector: {matchLabels: {app: api}}}]}]".Replace("}]}]", "}], ports: [{port: 8000}]}]", StringComparison.Ordinal)), LintCodes.NoDnsPath);
        Assert.Equal("a/web", Assert.Single(forgot).Subject.Namespace + "/" + forgot[0].Subject.Name);
        Assert.Empty(Lint(Policy("p", "  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress:\n" + DnsRule), LintCodes.NoDnsPath));
        Assert.Empty(Lint(Policy("p", "  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]"), LintCodes.NoDnsPath));
        // A named port that resolves to 53/UDP on a pod is a DNS path too (S7.4).
        Assert.Empty(Lint(Policy("p", "  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress: [{ports: [{port: dns, protocol: UDP}]}]"), LintCodes.NoDnsPath));
    }

    [Fact]
    public void NPL004_a_narrower_rule_is_shadowed_but_one_on_another_port_is_not()
    {
        var shadowed = Lint(Policy("p", "  podSelector: {}\n  ingress:\n  - from: [{podSelector: {}}]\n    ports: [{port: 8000}]\n  - from: [{podSelector: {matchLabels: {app: web}}}]\n    ports: [{port: 8000}]"), LintCodes.ShadowedRule);
        Assert.Equal("spec.ingress[1]", Assert.Single(shadowed).Field);
        Assert.Empty(Lint(Policy("p", "  podSelector: {}\n  ingress:\n  - from: [{podSelector: {}}]\n    ports: [{port: 8000}]\n  - from: [{podSelector: {matchLabels: {app: web}}}]\n    ports: [{port: 8080}]"), LintCodes.ShadowedRule));
        // A rule of a policy that selects fewer pods cannot shadow one that selects more.
        var narrowerPolicy = Policy("p", "  podSelector: {}\n  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]")
            + Policy("q", "  podSelector: {matchLabels: {app: api}}\n  ingress: [{from: [{podSelector: {}}]}]");
        Assert.DoesNotContain(Lint(narrowerPolicy, LintCodes.ShadowedRule), f => f.Subject.Name == "p");
    }

    [Fact]
    public void NPL005_and_NPL006_and_NPL007_ip_blocks()
    {
        Assert.Single(Lint(Policy("p", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]"), LintCodes.IpBlockHoldsPods));
        Assert.Empty(Lint(Policy("p", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]"), LintCodes.IpBlockHoldsPods));
        Assert.Single(Lint(Policy("p", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 192.0.2.0/24}}, {ipBlock: {cidr: 192.0.2.0/25}}]}]"), LintCodes.IpBlocksOverlap));
        Assert.Empty(Lint(Policy("p", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 192.0.2.0/25}}, {ipBlock: {cidr: 192.0.2.128/25}}]}]"), LintCodes.IpBlocksOverlap));
        var except = Assert.Single(Lint(Policy("p", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 192.0.2.0/24, except: [192.0.2.0/24]}}]}]"), LintCodes.ExceptOutsideCidr));
        Assert.Equal(LintSeverity.Error, except.Severity);
        Assert.Equal("spec.egress[0].to[0].ipBlock.except[0]", except.Field);
    }

    [Fact]
    public void NPL008_a_named_port_resolves_on_the_destination()
    {
        // Ingress: the selected pods (api) declare http; egress to web: web declares http too, but not as UDP.
        Assert.Empty(Lint(Policy("p", "  podSelector: {matchLabels: {app: api}}\n  ingress: [{ports: [{port: http}]}]"), LintCodes.NamedPortUndeclared));
        var udp = Assert.Single(Lint(Policy("p", "  podSelector: {matchLabels: {app: api}}\n  policyTypes: [Egress]\n  egress: [{to: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: http, protocol: UDP}]}]"), LintCodes.NamedPortUndeclared));
        Assert.Contains("the protocol differs", udp.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void NPL010_allow_all_next_to_a_default_deny_and_NPL011_a_rule_the_other_side_denies()
    {
        var deny = Policy("deny", "  podSelector: {}\n  policyTypes: [Ingress, Egress]");
        Assert.Single(Lint(deny + Policy("open", "  podSelector: {matchLabels: {app: api}}\n  ingress: [{}]"), LintCodes.AllowAllDefeatsDefaultDeny));
        Assert.Empty(Lint(Policy("open", "  podSelector: {matchLabels: {app: api}}\n  ingress: [{}]"), LintCodes.AllowAllDefeatsDefaultDeny));

        // web may send to api on 8000, but api's ingress (default deny) accepts nothing: dead. Allowing it on api's side revives it.
        var send = Policy("web", "  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress:\n  - to: [{podSelector: {matchLabels: {app: api}}}]\n    ports: [{port: 8000}]\n" + DnsRule);
        var dead = Assert.Single(Lint(deny + send, LintCodes.DeadRule));
        Assert.Equal("spec.egress[0]", dead.Field);
        var accept = Policy("api", "  podSelector: {matchLabels: {app: api}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8000}]}]");
        Assert.Empty(Lint(deny + send + accept, LintCodes.DeadRule));
    }

    [Fact]
    public void NPL009_and_NPL000_namespaces()
    {
        var policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: b}\nspec: {podSelector: {}}\n";
        Assert.Single(Lint(policy, LintCodes.NamespaceMissing));
        Assert.Empty(Lint(Policy("p", "  podSelector: {}"), LintCodes.NamespaceMissing));
        var bare = Linter.Lint(ManifestLoader.LoadText("p.yaml", policy).Cluster);
        Assert.Equal(2, bare.Findings.Count(f => f.Code == LintCodes.NotChecked));
        Assert.True(bare.Passed);
    }
}
