using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>S8 (the connection verdict), S9 (additivity), S10 (statefulness).</summary>
public sealed class VerdictTests
{
    private static Scenario Cluster() => Scenario.Create()
        .Namespaces("x", "y")
        .Pods("""
            x/a pod=a ip=10.1.0.1
            x/b pod=b ip=10.1.0.2
            x/c pod=c ip=10.1.0.3
            x/d pod=d ip=10.1.0.4
            x/e pod=e ip=10.1.0.5
            y/a pod=a ip=10.2.0.1
            """);

    // ---- S8.1 -------------------------------------------------------------------------------

    [Fact]
    public void S8_1_allowed_is_egress_of_the_source_AND_ingress_of_the_destination()
    {
        var s = Cluster()
            .Policy("x/a-egress", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress:
                - to: [{podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}}]
                """)
            .Policy("x/deny-b-d", """
                podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, d]}]}
                policyTypes: [Ingress]
                """)
            .Build();

        Expect.Halves(s.Eval("x/a", "x/c", 80), egress: true, ingress: true);
        Expect.Halves(s.Eval("x/a", "x/b", 80), egress: true, ingress: false);
        Expect.Halves(s.Eval("x/a", "x/e", 80), egress: false, ingress: true);
        Expect.Halves(s.Eval("x/a", "x/d", 80), egress: false, ingress: false);
    }

    [Fact]
    public void S8_1_matrix_cells_are_egress_AND_ingress_too()
    {
        var s = Cluster()
            .Policy("x/a-egress", "podSelector: {matchLabels: {pod: a}}\negress: [{to: [{podSelector: {matchLabels: {pod: b}}}]}]\npolicyTypes: [Egress]")
            .Policy("x/deny-b-c", "podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}")
            .Build();
        var endpoints = s.Evaluator.Cluster.Endpoints;
        int Index(string id) => endpoints.IndexOf(endpoints.Single(e => e.Id == id));
        var matrix = ReachabilityMatrix.Compute(s.Evaluator, [new PortProbe(80, Protocol.TCP)]);

        Assert.Equal(new PairVerdict(false, false, true), matrix.Get(0, Index("x/a"), Index("x/b")));
        Assert.Equal(new PairVerdict(false, false, false), matrix.Get(0, Index("x/a"), Index("x/c")));
        Assert.Equal(new PairVerdict(false, true, false), matrix.Get(0, Index("x/a"), Index("x/d")));
        Assert.Equal(new PairVerdict(true, true, true), matrix.Get(0, Index("x/d"), Index("x/a")));
    }

    // ---- S8.2 -------------------------------------------------------------------------------

    [Fact]
    public void S8_2_the_egress_and_ingress_halves_are_reported_separately()
    {
        var s = Cluster()
            .Policy("x/a-egress", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress: [{ports: [{port: 80}]}]
                """)
            .Policy("x/b-ingress", """
                podSelector: {matchLabels: {pod: b}}
                ingress: [{from: [{podSelector: {matchLabels: {pod: c}}}]}]
                """)
            .Build();

        var verdict = s.Eval("x/a", "x/b", 80, Protocol.TCP);
        Assert.Equal("x/a", verdict.From.Display);
        Assert.Equal("x/b", verdict.To.Display);
        Assert.Equal(80, verdict.Port);
        Assert.Equal(Protocol.TCP, verdict.Protocol);
        Assert.False(verdict.SelfTraffic);

        Assert.Equal(PolicyDirection.Egress, verdict.Egress.Direction);
        Assert.True(verdict.Egress.Applies);
        Expect.IsolatedBy(verdict.Egress, "x/a-egress");
        Expect.AllowedBy(verdict.Egress, ("x/a-egress", 0));
        Assert.Contains("x/a-egress", verdict.Egress.Reason, StringComparison.Ordinal);

        Assert.Equal(PolicyDirection.Ingress, verdict.Ingress.Direction);
        Assert.True(verdict.Ingress.Applies);
        Assert.False(verdict.Ingress.Allowed);
        Expect.IsolatedBy(verdict.Ingress, "x/b-ingress");
        Assert.Empty(verdict.Ingress.AllowingRules);
        Assert.Contains("x/b-ingress", verdict.Ingress.Reason, StringComparison.Ordinal);
        Assert.Contains("x/a", verdict.Ingress.Reason, StringComparison.Ordinal);

        Assert.False(verdict.Allowed);
    }

    // ---- S9 ---------------------------------------------------------------------------------

    [Fact]
    public void S9_an_allow_all_policy_wins_over_a_narrower_policy()
    {
        var s = Cluster()
            .Policy("x/narrow", """
                podSelector: {matchLabels: {pod: b}}
                ingress: [{from: [{podSelector: {matchLabels: {pod: a}}}], ports: [{port: 80}]}]
                """)
            .Policy("x/allow-all", """
                podSelector: {}
                ingress: [{}]
                """)
            .Build();

        foreach (var from in new[] { "x/a", "x/c", "y/a", "203.0.113.3" })
        {
            foreach (var port in new[] { 80, 81 })
            {
                var verdict = s.Eval(from, "x/b", port, Protocol.UDP);
                Expect.Allowed(verdict);
                Expect.IsolatedBy(verdict.Ingress, "x/allow-all", "x/narrow");
                Assert.Contains(new RuleRef("x/allow-all", 0), verdict.Ingress.AllowingRules);
            }
        }
    }

    private static readonly int[] Ports = [80, 81];

    private static string Pairs(Evaluated s) => string.Join(' ', Ports.Select(p => $"[{p}] {s.AllowedPairs(p)}"));

    private static Scenario Isolated() => Cluster()
        .Policy("x/b-from-a", """
            podSelector: {matchLabels: {pod: b}}
            ingress: [{from: [{podSelector: {matchLabels: {pod: a}}}], ports: [{port: 80}]}]
            """)
        .Policy("x/a-egress", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            egress: [{to: [{podSelector: {}}]}]
            """);

    [Fact]
    public void S9_adding_a_policy_never_removes_a_connection_of_an_already_isolated_pod()
    {
        var before = Isolated().Build();
        var after = Isolated()
            .Policy("x/more-for-b", """
                podSelector: {matchLabels: {pod: b}}
                ingress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 81}]}]
                """)
            .Policy("x/more-for-a", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress: [{to: [{podSelector: {matchLabels: {pod: nobody}}}]}]
                """)
            .Build();

        foreach (var port in Ports)
        {
            var old = before.AllowedPairs(port).Split(' ');
            var now = after.AllowedPairs(port).Split(' ');
            Assert.Empty(old.Except(now));
        }

        Expect.Denied(before.Eval("y/a", "x/b", 81));
        Expect.AllowedBy(after.Eval("y/a", "x/b", 81).Ingress, ("x/more-for-b", 0));
    }

    [Fact]
    public void S9_a_new_policy_removes_connections_only_by_isolating_a_pod_that_was_not_isolated()
    {
        var before = Isolated().Build();
        var after = Isolated()
            .Policy("x/c-from-a", """
                podSelector: {matchLabels: {pod: c}}
                ingress: [{from: [{podSelector: {matchLabels: {pod: a}}}]}]
                """)
            .Build();

        foreach (var port in Ports)
        {
            var lost = before.AllowedPairs(port).Split(' ').Except(after.AllowedPairs(port).Split(' ')).ToList();
            Assert.NotEmpty(lost);
            Assert.All(lost, pair => Assert.EndsWith("->x/c", pair, StringComparison.Ordinal));
            Assert.DoesNotContain("x/a->x/c", lost);
        }

        Assert.NotEqual(Pairs(before), Pairs(after));
        Assert.False(before.Eval("x/b", "x/c", 80).Ingress.Isolated);
        Expect.IsolatedBy(after.Eval("x/b", "x/c", 80).Ingress, "x/c-from-a");
    }

    // ---- S10 --------------------------------------------------------------------------------

    [Theory]
    [InlineData(Protocol.TCP)]
    [InlineData(Protocol.UDP)]
    [InlineData(Protocol.SCTP)]
    public void S10_an_allowed_connection_does_not_imply_the_reverse(Protocol protocol)
    {
        var s = Cluster()
            .Policy("x/b-from-a", "podSelector: {matchLabels: {pod: b}}\ningress: [{from: [{podSelector: {matchLabels: {pod: a}}}]}]")
            .Policy("x/a-deny", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Ingress]")
            .Build();

        Expect.Allowed(s.Eval("x/a", "x/b", 5000, protocol));
        var reverse = s.Eval("x/b", "x/a", 5000, protocol);
        Expect.Halves(reverse, egress: true, ingress: false);
        Expect.IsolatedBy(reverse.Ingress, "x/a-deny");
    }
}
