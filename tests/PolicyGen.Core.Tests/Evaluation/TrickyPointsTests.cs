using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>S15: one test per row of the table of tricky points, on a small x/y/z cluster.</summary>
public sealed class TrickyPointsTests
{
    private static Scenario Cluster() => Scenario.Create()
        .Namespaces("x", "y", "z")
        .Pods("""
            x/a pod=a ip=10.1.0.11 port=serve-80-tcp:80 port=serve-80-udp:80/UDP port=serve-81-tcp:81
            x/b pod=b ip=10.1.0.12 port=serve-80-tcp:80 port=serve-80-udp:80/UDP port=serve-81-tcp:81
            y/a pod=a ip=10.2.0.11 port=serve-80-tcp:80 port=serve-80-udp:80/UDP port=serve-81-tcp:81
            y/b pod=b ip=10.2.0.12 port=serve-80-tcp:8080 port=serve-80-udp:80/UDP port=serve-81-tcp:81
            z/a pod=a ip=10.3.0.11 port=serve-80-tcp:80 port=serve-80-udp:80/UDP port=serve-81-tcp:81
            z/b pod=b ip=10.3.0.12 port=serve-80-tcp:80 port=serve-80-udp:80/UDP port=serve-81-tcp:81
            """);

    private static readonly string[] Everyone = ["x/a", "x/b", "y/a", "y/b", "z/a", "z/b"];

    private static string Reaching(Evaluated s, string to, int port = 80, Protocol protocol = Protocol.TCP)
        => string.Join(' ', Everyone.Where(f => f != to && s.Allowed(f, to, port, protocol)));

    [Fact]
    public void S15_01_only_egress_rules_without_policyTypes_isolate_ingress_too()
    {
        var s = Cluster().Policy("x/egress-only", "podSelector: {matchLabels: {pod: a}}\negress: [{}]").Build();

        Assert.Equal("", Reaching(s, "x/a"));
        Expect.IsolatedBy(s.Eval("y/a", "x/a", 80).Ingress, "x/egress-only");
        Expect.AllowedBy(s.Eval("x/a", "z/b", 80).Egress, ("x/egress-only", 0));
    }

    [Fact]
    public void S15_02_empty_policyTypes_is_treated_like_absent()
    {
        var empty = Cluster().Policy("x/p", "podSelector: {}\npolicyTypes: []\negress: [{to: [{podSelector: {}}]}]").Build();
        var absent = Cluster().Policy("x/p", "podSelector: {}\negress: [{to: [{podSelector: {}}]}]").Build();

        Assert.Equal(absent.AllowedPairs(80), empty.AllowedPairs(80));
        Expect.Halves(empty.Eval("x/a", "y/a", 80), egress: false, ingress: true);
        Expect.Halves(empty.Eval("y/a", "x/a", 80), egress: true, ingress: false);
        Expect.Halves(empty.Eval("x/a", "x/b", 80), egress: true, ingress: false); // Ingress defaulted, no ingress rules
    }

    [Fact]
    public void S15_03_rules_of_an_unlisted_direction_are_ignored()
    {
        var s = Cluster().Policy("x/p", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]
            egress: [{to: [{podSelector: {matchLabels: {pod: b}}}]}]
            """).Build();

        Assert.Equal("x/b y/a y/b z/a z/b", Reaching(s, "x/a")); // the ingress rule does not isolate
        Expect.Allowed(s.Eval("x/a", "x/b", 80));
        Expect.Halves(s.Eval("x/a", "y/b", 80), egress: false, ingress: true);
    }

    [Fact]
    public void S15_04_a_podSelector_only_peer_selects_in_the_policy_namespace_only()
    {
        var s = Cluster().Policy("y/p", "podSelector: {matchLabels: {pod: b}}\ningress: [{from: [{podSelector: {matchLabels: {pod: a}}}]}]").Build();

        Assert.Equal("y/a", Reaching(s, "y/b"));
    }

    [Fact]
    public void S15_05_ns_and_pod_selector_in_one_entry_AND_in_two_entries_OR()
    {
        var and = Cluster().Policy("x/p", """
            podSelector: {matchLabels: {pod: a}}
            ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: b}}}]}]
            """).Build();
        var or = Cluster().Policy("x/p", """
            podSelector: {matchLabels: {pod: a}}
            ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}, {podSelector: {matchLabels: {pod: b}}}]}]
            """).Build();

        Assert.Equal("y/b", Reaching(and, "x/a"));
        Assert.Equal("x/b y/a y/b", Reaching(or, "x/a"));
    }

    [Fact]
    public void S15_06_a_named_port_resolves_on_the_destination_with_name_and_protocol()
    {
        var s = Cluster().Policy("x/p", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            egress:
            - ports: [{port: serve-80-tcp}]
            - ports: [{port: serve-80-udp}]
            """).Build();

        Expect.AllowedBy(s.Eval("x/a", "y/a", 80).Egress, ("x/p", 0));
        Expect.Halves(s.Eval("x/a", "y/b", 80), egress: false, ingress: true); // y/b's serve-80-tcp is 8080
        Expect.AllowedBy(s.Eval("x/a", "y/b", 8080).Egress, ("x/p", 0));
        Expect.Halves(s.Eval("x/a", "y/a", 80, Protocol.UDP), egress: false, ingress: true); // serve-80-udp is UDP, entry is TCP
    }

    [Fact]
    public void S15_07_an_omitted_protocol_is_TCP()
    {
        var s = Cluster().Policy("x/p", "podSelector: {}\ningress: [{ports: [{port: 80}]}]").Build();

        Assert.Equal("x/b y/a y/b z/a z/b", Reaching(s, "x/a", 80, Protocol.TCP));
        Assert.Equal("", Reaching(s, "x/a", 80, Protocol.UDP));
        Assert.Equal("", Reaching(s, "x/a", 80, Protocol.SCTP));
    }

    [Fact]
    public void S15_08_ipBlock_matches_pod_ips()
    {
        var s = Cluster().Policy("x/p", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{ipBlock: {cidr: 10.2.0.0/16}}]}]").Build();

        Assert.Equal("y/a y/b", Reaching(s, "x/a"));
    }

    [Fact]
    public void S15_09_an_except_is_re_allowed_by_another_policy()
    {
        var s = Cluster()
            .Policy("x/p1", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.2.0.0/16]}}]}]")
            .Policy("x/p2", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{ipBlock: {cidr: 10.2.0.12/32}}]}]")
            .Build();

        Assert.Equal("x/b y/b z/a z/b", Reaching(s, "x/a"));
        Expect.AllowedBy(s.Eval("y/b", "x/a", 80).Ingress, ("x/p2", 0));
    }

    [Fact]
    public void S15_10_a_UDP_or_SCTP_only_rule_isolates_and_never_matches_TCP()
    {
        var udp = Cluster().Policy("x/p", "podSelector: {matchLabels: {pod: a}}\ningress: [{ports: [{port: 80, protocol: UDP}]}]").Build();
        var sctp = Cluster().Policy("x/p", "podSelector: {matchLabels: {pod: a}}\ningress: [{ports: [{protocol: SCTP}]}]").Build();

        Assert.Equal("", Reaching(udp, "x/a", 80, Protocol.TCP));
        Assert.Equal("x/b y/a y/b z/a z/b", Reaching(udp, "x/a", 80, Protocol.UDP));
        Assert.Equal("", Reaching(sctp, "x/a", 80, Protocol.TCP));
        Assert.Equal("", Reaching(sctp, "x/a", 80, Protocol.UDP));
        Assert.Equal("x/b y/a y/b z/a z/b", Reaching(sctp, "x/a", 80, Protocol.SCTP));
    }

    [Fact]
    public void S15_11_self_traffic_is_allowed_unless_the_flag_asks_to_evaluate_it()
    {
        const string deny = "podSelector: {}\npolicyTypes: [Ingress, Egress]";
        var allow = Cluster().Policy("x/deny", deny).Build();
        var evaluate = Cluster().Policy("x/deny", deny).With(new EvaluationOptions { SelfTraffic = SelfTrafficMode.Evaluate }).Build();

        Expect.Allowed(allow.Eval("x/a", "x/a", 80));
        Expect.Denied(evaluate.Eval("x/a", "x/a", 80));
        Expect.Denied(allow.Eval("x/a", "x/b", 80));
    }

    [Fact]
    public void S15_12_hostNetwork_pods_are_node_traffic()
    {
        var s = Cluster()
            .Pod("x/node-agent pod=a ip=192.168.0.5 hostNetwork")
            .Policy("x/p", "podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {pod: a}}}]}]")
            .Build();

        Expect.Allowed(s.Eval("x/a", "x/b", 80));
        Expect.Denied(s.Eval("x/node-agent", "x/b", 80)); // pod=a, but not seen by the selector
        Expect.NotIsolated(s.Eval("z/b", "x/node-agent", 80).Ingress); // and not isolated by podSelector {}
    }

    [Fact]
    public void S15_13_NotIn_on_a_missing_key_matches()
    {
        var s = Cluster()
            .Namespace("w", "env=prod")
            .Pod("w/a ip=10.4.0.11")
            .Policy("x/p", """
                podSelector: {matchLabels: {pod: a}}
                ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}, podSelector: {matchExpressions: [{key: pod, operator: NotIn, values: [b]}]}}]}]
                """)
            .Build();

        // x, y, z have no env label; y/a and z/a have pod=a (not b); w/a has no pod label but w is env=prod.
        Assert.Equal("y/a z/a", Reaching(s, "x/a"));
        Expect.Denied(s.Eval("w/a", "x/a", 80));
    }

    [Fact]
    public void S15_14_with_an_external_end_only_the_pod_side_direction_applies()
    {
        var s = Cluster().Policy("x/p", "podSelector: {}\npolicyTypes: [Ingress, Egress]\ningress: [{}]").Build();

        var inbound = s.Eval("203.0.113.50", "x/a", 80);
        Expect.Allowed(inbound);
        Assert.False(inbound.Egress.Applies);
        Assert.True(inbound.Ingress.Applies);

        var outbound = s.Eval("x/a", "203.0.113.50", 80);
        Expect.Halves(outbound, egress: false, ingress: true);
        Assert.True(outbound.Egress.Applies);
        Assert.False(outbound.Ingress.Applies);
    }

    [Fact]
    public void S15_15_endPort_is_an_inclusive_numeric_range()
    {
        var s = Cluster().Policy("x/p", "podSelector: {matchLabels: {pod: a}}\ningress: [{ports: [{port: 80, endPort: 81}]}]").Build();

        Assert.Equal("", Reaching(s, "x/a", 79));
        Assert.Equal("x/b y/a y/b z/a z/b", Reaching(s, "x/a", 80));
        Assert.Equal("x/b y/a y/b z/a z/b", Reaching(s, "x/a", 81));
        Assert.Equal("", Reaching(s, "x/a", 82));
        Assert.Equal("", Reaching(s, "x/a", 81, Protocol.UDP));
    }
}
