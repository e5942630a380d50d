using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>S4: rules are ORed across policies; a rule needs its peer part and its ports part.</summary>
public sealed class RuleTests
{
    private static Scenario Cluster() => Scenario.Create()
        .Namespaces("x", "y")
        .Pods("""
            x/a pod=a ip=10.1.0.1
            x/b pod=b ip=10.1.0.2
            x/c pod=c ip=10.1.0.3
            y/a pod=a ip=10.2.0.1
            """);

    [Fact]
    public void S4_1_any_rule_of_any_applicable_policy_allows_and_every_matching_rule_is_reported()
    {
        var s = Cluster()
            .Policy("x/p1", """
                podSelector: {matchLabels: {pod: c}}
                ingress:
                - from: [{podSelector: {matchLabels: {pod: b}}}]
                - from: [{podSelector: {matchLabels: {pod: a}}}]
                """)
            .Policy("x/p2", """
                podSelector: {matchLabels: {pod: c}}
                ingress:
                - ports: [{port: 80}]
                """)
            .Build();

        var both = s.Eval("x/a", "x/c", 80);
        Expect.Allowed(both);
        Expect.IsolatedBy(both.Ingress, "x/p1", "x/p2");
        Expect.AllowedBy(both.Ingress, ("x/p1", 1), ("x/p2", 0));

        Expect.AllowedBy(s.Eval("x/a", "x/c", 81).Ingress, ("x/p1", 1));
        Expect.AllowedBy(s.Eval("y/a", "x/c", 80).Ingress, ("x/p2", 0));
        Expect.Denied(s.Eval("y/a", "x/c", 81));
    }

    [Fact]
    public void S4_1_the_order_of_policies_and_rules_does_not_matter()
    {
        const string first = """
            podSelector: {matchLabels: {pod: c}}
            ingress:
            - from: [{podSelector: {matchLabels: {pod: a}}}]
              ports: [{port: 80}]
            - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
            """;
        const string second = """
            podSelector: {}
            ingress:
            - from: [{podSelector: {matchLabels: {pod: b}}}]
            """;
        const string firstReordered = """
            podSelector: {matchLabels: {pod: c}}
            ingress:
            - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
            - from: [{podSelector: {matchLabels: {pod: a}}}]
              ports: [{port: 80}]
            """;

        var forward = Cluster().Policy("x/m-first", first).Policy("x/z-second", second).Build();
        var backward = Cluster().Policy("x/m-first", second).Policy("x/z-second", firstReordered).Build();

        foreach (var port in new[] { 80, 81 })
        {
            Assert.Equal(forward.AllowedPairs(port), backward.AllowedPairs(port));
        }

        Assert.Contains("x/a->x/c", forward.AllowedPairs(80), StringComparison.Ordinal);
        Assert.DoesNotContain("x/a->x/c", forward.AllowedPairs(81), StringComparison.Ordinal);
    }

    [Fact]
    public void S4_2_a_rule_needs_both_its_peer_part_and_its_ports_part()
    {
        var s = Cluster().Policy("x/a-on-80", """
            podSelector: {matchLabels: {pod: c}}
            ingress:
            - from: [{podSelector: {matchLabels: {pod: a}}}]
              ports: [{port: 80}]
            """).Build();

        Expect.AllowedBy(s.Eval("x/a", "x/c", 80).Ingress, ("x/a-on-80", 0));
        Expect.Halves(s.Eval("x/a", "x/c", 81), egress: true, ingress: false); // peer yes, port no
        Expect.Halves(s.Eval("x/b", "x/c", 80), egress: true, ingress: false); // port yes, peer no
    }

    [Theory]
    [InlineData("ingress:\n- ports: [{port: 80}]")]
    [InlineData("ingress:\n- from: []\n  ports: [{port: 80}]")]
    public void S4_2_absent_or_empty_from_matches_every_peer_including_external_ips(string rules)
    {
        var s = Cluster().Policy("x/any-peer", "podSelector: {matchLabels: {pod: c}}\n" + rules).Build();

        foreach (var from in new[] { "x/a", "y/a", "203.0.113.7", "2001:db8::7" })
        {
            Expect.AllowedBy(s.Eval(from, "x/c", 80).Ingress, ("x/any-peer", 0));
            Expect.Denied(s.Eval(from, "x/c", 81));
        }
    }

    [Theory]
    [InlineData("egress:\n- to: [{podSelector: {matchLabels: {pod: b}}}]")]
    [InlineData("egress:\n- to: [{podSelector: {matchLabels: {pod: b}}}]\n  ports: []")]
    public void S4_2_absent_or_empty_ports_match_every_port_and_protocol(string rules)
    {
        var s = Cluster().Policy("x/to-b", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Egress]\n" + rules).Build();

        foreach (var protocol in ProtocolNames.All)
        {
            foreach (var port in new[] { 1, 80, 65535 })
            {
                Expect.AllowedBy(s.Eval("x/a", "x/b", port, protocol).Egress, ("x/to-b", 0));
                Expect.Halves(s.Eval("x/a", "x/c", port, protocol), egress: false, ingress: true);
            }
        }
    }

    [Fact]
    public void S4_2_an_empty_rule_allows_everything_in_its_direction()
    {
        var s = Cluster().Policy("x/allow-all", """
            podSelector: {}
            policyTypes: [Ingress, Egress]
            ingress: [{}]
            egress: [{}]
            """).Build();

        foreach (var (from, to) in new[] { ("x/a", "x/b"), ("y/a", "x/a"), ("x/a", "y/a"), ("198.51.100.4", "x/c"), ("x/c", "198.51.100.4") })
        {
            foreach (var protocol in ProtocolNames.All)
            {
                var verdict = s.Eval(from, to, 4242, protocol);
                Expect.Allowed(verdict);
                if (verdict.Ingress.Applies && to.StartsWith("x/", StringComparison.Ordinal))
                {
                    Expect.AllowedBy(verdict.Ingress, ("x/allow-all", 0));
                }

                if (verdict.Egress.Applies && from.StartsWith("x/", StringComparison.Ordinal))
                {
                    Expect.AllowedBy(verdict.Egress, ("x/allow-all", 0));
                }
            }
        }
    }

    [Fact]
    public void S4_2_peer_entries_are_ORed_and_port_entries_are_ORed()
    {
        var s = Cluster().Policy("x/or", """
            podSelector: {matchLabels: {pod: c}}
            ingress:
            - from:
              - podSelector: {matchLabels: {pod: a}}
              - namespaceSelector: {matchLabels: {ns: y}}
              ports:
              - port: 80
              - port: 53
                protocol: UDP
            """).Build();

        foreach (var from in new[] { "x/a", "y/a" })
        {
            Expect.Allowed(s.Eval(from, "x/c", 80));
            Expect.Allowed(s.Eval(from, "x/c", 53, Protocol.UDP));
            Expect.Denied(s.Eval(from, "x/c", 53));
            Expect.Denied(s.Eval(from, "x/c", 80, Protocol.UDP));
        }

        Expect.Denied(s.Eval("x/b", "x/c", 80));
    }
}
