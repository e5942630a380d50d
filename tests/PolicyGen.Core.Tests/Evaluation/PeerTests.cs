namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>S5: label selectors and the kinds of peer entry.</summary>
public sealed class PeerTests
{
    /// <summary>Clients in x (labels vary per test), a server x/s selected by the policies.</summary>
    private static Scenario Clients(string clients) => Scenario.Create()
        .Namespaces("x")
        .Pod("x/s role=server ip=10.1.0.100")
        .Pods(clients);

    private static Evaluated IngressFrom(string clients, string fromEntries)
        => Clients(clients).Policy("x/server", $"""
            podSelector: {"{matchLabels: {role: server}}"}
            ingress:
            - from:
            {fromEntries}
            """).Build();

    /// <summary>Which of the given clients may reach x/s on 80/TCP.</summary>
    private static string Reaching(Evaluated s, params string[] clients)
        => string.Join(' ', clients.Where(c => s.Allowed(c, "x/s", 80)));

    // ---- S5.1 -------------------------------------------------------------------------------

    [Fact]
    public void S5_1_matchLabels_and_matchExpressions_are_all_ANDed()
    {
        var s = IngressFrom("""
            x/a tier=web env=prod
            x/b tier=web env=dev
            x/c tier=db env=prod
            x/d tier=web
            """, """
              - podSelector:
                  matchLabels: {tier: web}
                  matchExpressions:
                  - {key: env, operator: Exists}
                  - {key: env, operator: NotIn, values: [dev]}
            """);

        Assert.Equal("x/a", Reaching(s, "x/a", "x/b", "x/c", "x/d"));
    }

    [Fact]
    public void S5_1_In_needs_the_key_present_with_a_listed_value()
    {
        var s = IngressFrom("""
            x/a tier=web
            x/b tier=api
            x/c tier=db
            x/d other=web
            """, """
              - podSelector: {matchExpressions: [{key: tier, operator: In, values: [web, api]}]}
            """);

        Assert.Equal("x/a x/b", Reaching(s, "x/a", "x/b", "x/c", "x/d"));
    }

    [Fact]
    public void S5_1_NotIn_matches_when_key_is_absent()
    {
        var s = IngressFrom("""
            x/a tier=web
            x/b tier=db
            x/c other=web
            """, """
              - podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [web]}]}
            """);

        var absent = s.Eval("x/c", "x/s", 80);
        Expect.AllowedBy(absent.Ingress, ("x/server", 0));
        Assert.Equal("x/b x/c", Reaching(s, "x/a", "x/b", "x/c"));
    }

    [Fact]
    public void S5_1_Exists_and_DoesNotExist_test_only_whether_the_key_is_present()
    {
        const string clients = """
            x/a canary=true
            x/b canary=false
            x/c canary=
            x/d other=true
            """;
        var exists = IngressFrom(clients, "  - podSelector: {matchExpressions: [{key: canary, operator: Exists}]}");
        var missing = IngressFrom(clients, "  - podSelector: {matchExpressions: [{key: canary, operator: DoesNotExist}]}");

        Assert.Equal("x/a x/b x/c", Reaching(exists, "x/a", "x/b", "x/c", "x/d"));
        Assert.Equal("x/d", Reaching(missing, "x/a", "x/b", "x/c", "x/d"));
    }

    [Fact]
    public void S5_1_matchExpressions_with_all_four_operators()
    {
        var s = IngressFrom("""
            x/a tier=web track=stable
            x/b tier=web track=stable canary=yes
            x/c tier=web track=beta
            x/d tier=web
            x/e tier=db track=stable
            x/f track=stable
            """, """
              - podSelector:
                  matchExpressions:
                  - {key: tier, operator: In, values: [web]}
                  - {key: track, operator: NotIn, values: [beta]}
                  - {key: tier, operator: Exists}
                  - {key: canary, operator: DoesNotExist}
            """);

        // a: all four hold. b: has canary. c: track=beta. d: track absent, so NotIn holds. e: tier=db. f: no tier.
        Assert.Equal("x/a x/d", Reaching(s, "x/a", "x/b", "x/c", "x/d", "x/e", "x/f"));
    }

    [Fact]
    public void S5_1_matchExpressions_on_namespaces_use_the_same_operators()
    {
        var s = Scenario.Create()
            .Namespace("x", "ns=x")
            .Namespace("p", "env=prod")
            .Namespace("q", "env=dev")
            .Namespace("r", "team=r")
            .Pods("""
                x/s role=server ip=10.1.0.100
                p/a ip=10.3.0.1
                q/a ip=10.4.0.1
                r/a ip=10.5.0.1
                """)
            .Policy("x/server", """
                podSelector: {matchLabels: {role: server}}
                ingress:
                - from:
                  - namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [dev]}, {key: ns, operator: DoesNotExist}]}
                """)
            .Build();

        // p: env=prod. q: env=dev. r: no env (NotIn holds). x: has ns, so DoesNotExist fails.
        Assert.Equal("p/a r/a", Reaching(s, "p/a", "q/a", "r/a"));
        Expect.Denied(s.Eval("q/a", "x/s", 80));
    }

    [Fact]
    public void S5_1_an_empty_selector_matches_everything()
    {
        var s = Scenario.Create()
            .Namespace("x", "ns=x")
            .Namespace("y")
            .Pods("""
                x/s role=server ip=10.1.0.100
                x/a ip=10.1.0.1
                y/a ip=10.2.0.1
                """)
            .Policy("x/server", """
                podSelector: {matchLabels: {role: server}}
                ingress:
                - from: [{namespaceSelector: {}, podSelector: {}}]
                """)
            .Build();

        Expect.Allowed(s.Eval("x/a", "x/s", 80)); // no labels at all
        Expect.Allowed(s.Eval("y/a", "x/s", 80)); // a namespace with no labels of its own
    }

    [Fact]
    public void S5_1_spec_podSelector_uses_the_same_operators()
    {
        // NotIn also selects the pod without the key, so x/b and x/c are isolated; x/a (tier=edge) is not.
        var s = Clients("""
            x/a tier=edge
            x/b tier=web
            x/c other=1
            """).Policy("x/not-edge", """
            podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [edge]}]}
            policyTypes: [Ingress]
            """).Build();

        Expect.NotIsolated(s.Eval("x/s", "x/a", 80).Ingress);
        Expect.IsolatedBy(s.Eval("x/s", "x/b", 80).Ingress, "x/not-edge");
        Expect.IsolatedBy(s.Eval("x/s", "x/c", 80).Ingress, "x/not-edge");
        Expect.IsolatedBy(s.Eval("x/a", "x/s", 80).Ingress, "x/not-edge"); // x/s has no tier label either
    }

    // ---- S5.2 -------------------------------------------------------------------------------

    private static Scenario ThreeNamespaces() => Scenario.Create()
        .Namespaces("x", "y", "z")
        .Pods("""
            x/s role=server ip=10.1.0.100
            x/a pod=a ip=10.1.0.1
            x/b pod=b ip=10.1.0.2
            y/a pod=a ip=10.2.0.1
            y/b pod=b ip=10.2.0.2
            z/a pod=a ip=10.3.0.1
            z/b pod=b ip=10.3.0.2
            """);

    private static readonly string[] AllClients = ["x/a", "x/b", "y/a", "y/b", "z/a", "z/b"];

    private static Evaluated ServerFrom(string fromEntries) => ThreeNamespaces().Policy("x/server", $"""
        podSelector: {"{matchLabels: {role: server}}"}
        ingress:
        - from:
        {fromEntries}
        """).Build();

    [Fact]
    public void S5_2_podSelector_only_peer_means_pods_of_the_policy_namespace()
    {
        var s = ServerFrom("  - podSelector: {matchLabels: {pod: a}}");

        Assert.Equal("x/a", Reaching(s, AllClients));
        Expect.Halves(s.Eval("y/a", "x/s", 80), egress: true, ingress: false);
    }

    [Fact]
    public void S5_2_namespaceSelector_only_peer_means_all_pods_of_matching_namespaces_including_its_own()
    {
        var other = ServerFrom("  - namespaceSelector: {matchLabels: {ns: y}}");
        var own = ServerFrom("  - namespaceSelector: {matchExpressions: [{key: ns, operator: In, values: [x, z]}]}");

        Assert.Equal("y/a y/b", Reaching(other, AllClients));
        Assert.Equal("x/a x/b z/a z/b", Reaching(own, AllClients));
    }

    [Fact]
    public void S5_2_ns_and_pod_selector_in_one_entry_are_ANDed()
    {
        var s = ServerFrom("  - {namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}");

        Assert.Equal("y/a", Reaching(s, AllClients));
    }

    [Fact]
    public void S5_2_ns_and_pod_selector_in_two_entries_are_ORed()
    {
        var s = ServerFrom("""
              - namespaceSelector: {matchLabels: {ns: y}}
              - podSelector: {matchLabels: {pod: a}}
            """);

        // every pod of y, plus pod=a of the policy's own namespace x (not of z)
        Assert.Equal("x/a y/a y/b", Reaching(s, AllClients));
    }

    [Fact]
    public void S5_2_empty_namespaceSelector_with_podSelector_matches_those_pods_in_any_namespace()
    {
        var s = ServerFrom("  - {namespaceSelector: {}, podSelector: {matchLabels: {pod: b}}}");

        Assert.Equal("x/b y/b z/b", Reaching(s, AllClients));
    }

    [Fact]
    public void S5_2_empty_podSelector_alone_means_every_pod_of_the_policy_namespace()
    {
        var s = ServerFrom("  - podSelector: {}");

        Assert.Equal("x/a x/b", Reaching(s, AllClients));
        Expect.Denied(s.Eval("192.0.2.1", "x/s", 80));
    }

    [Fact]
    public void S5_2_empty_namespaceSelector_alone_means_every_pod_of_every_namespace()
    {
        var s = ServerFrom("  - namespaceSelector: {}");

        Assert.Equal("x/a x/b y/a y/b z/a z/b", Reaching(s, AllClients));
    }

    // ---- S5.3 -------------------------------------------------------------------------------

    [Fact]
    public void S5_3_selectors_never_match_external_ips()
    {
        var s = ServerFrom("  - {namespaceSelector: {}, podSelector: {}}");

        foreach (var ip in new[] { "192.0.2.1", "10.1.0.77", "2001:db8::1" })
        {
            var verdict = s.Eval(ip, "x/s", 80);
            Expect.Halves(verdict, egress: true, ingress: false);
            Assert.False(verdict.Egress.Applies);
            Expect.IsolatedBy(verdict.Ingress, "x/server");
        }

        Expect.Allowed(s.Eval("10.2.0.1", "x/s", 80)); // y/a's IP is y/a (S11.3), which the selectors match
    }

    [Fact]
    public void S5_3_selectors_never_match_hostNetwork_pods_by_default()
    {
        var s = ThreeNamespaces()
            .Pod("x/agent pod=a ip=192.168.0.10 hostNetwork")
            .Policy("x/server", """
                podSelector: {matchLabels: {role: server}}
                ingress:
                - from: [{podSelector: {matchLabels: {pod: a}}}, {namespaceSelector: {}}]
                """)
            .Build();

        Expect.Allowed(s.Eval("x/a", "x/s", 80));
        Expect.Halves(s.Eval("x/agent", "x/s", 80), egress: true, ingress: false);
    }

    // ---- S5.4 -------------------------------------------------------------------------------

    [Fact]
    public void S5_4_every_namespace_carries_its_name_label()
    {
        var s = Scenario.Create()
            .Namespace("x", "ns=x")
            .Namespace("y", "team=blue") // a Namespace object without the name label
            .Pods("""
                x/s role=server ip=10.1.0.100
                y/a ip=10.2.0.1
                z/a ip=10.3.0.1
                w/a ip=10.4.0.1
                """) // z and w have no Namespace object at all
            .Policy("x/server", """
                podSelector: {matchLabels: {role: server}}
                ingress:
                - from:
                  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
                  - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [z]}]}
                """)
            .Build();

        Expect.AllowedBy(s.Eval("y/a", "x/s", 80).Ingress, ("x/server", 0));
        Expect.AllowedBy(s.Eval("z/a", "x/s", 80).Ingress, ("x/server", 0));
        Expect.Denied(s.Eval("w/a", "x/s", 80));

        var y = s.Evaluator.Cluster.Namespaces.Single(n => n.Name == "y");
        Assert.Equal("y", y.Labels["kubernetes.io/metadata.name"]);
        Assert.Equal("blue", y.Labels["team"]);
    }

    [Fact]
    public void S5_4_the_name_label_always_equals_the_namespace_name()
    {
        // The control plane overwrites a different value written in the manifest: y cannot pose as z.
        var s = Scenario.Create()
            .Namespace("x", "ns=x")
            .Namespace("y", "kubernetes.io/metadata.name=z")
            .Pods("""
                x/s role=server ip=10.1.0.100
                y/a ip=10.2.0.1
                """)
            .Policy("x/server", """
                podSelector: {matchLabels: {role: server}}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]
                  ports: [{port: 80}]
                - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: z}}}]
                  ports: [{port: 81}]
                """)
            .Build();

        Expect.AllowedBy(s.Eval("y/a", "x/s", 80).Ingress, ("x/server", 0));
        Expect.Denied(s.Eval("y/a", "x/s", 81));
    }
}
