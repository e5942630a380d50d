using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>S11: connections with an external end (a bare IP that is no pod).</summary>
public sealed class ExternalTests
{
    private static Scenario Cluster() => Scenario.Create()
        .Namespaces("x", "y")
        .Pods("""
            x/s role=server ip=10.1.0.100 port=http:8080
            x/a pod=a ip=10.1.0.1 ip=fd00:1::1
            y/a pod=a ip=10.2.0.1
            """);

    // ---- S11.1 ------------------------------------------------------------------------------

    [Fact]
    public void S11_1_external_client_to_an_unisolated_pod_is_allowed_and_only_ingress_applies()
    {
        var s = Cluster().Build();

        var verdict = s.Eval("198.51.100.7", "x/s", 8080);
        Expect.Allowed(verdict);
        Assert.True(verdict.From.IsExternal);
        Assert.False(verdict.Egress.Applies);
        Assert.False(verdict.Egress.Isolated);
        Assert.Empty(verdict.Egress.IsolatingPolicies);
        Assert.True(verdict.Ingress.Applies);
        Expect.NotIsolated(verdict.Ingress);
    }

    [Fact]
    public void S11_1_an_external_client_is_matched_only_by_an_ipBlock_or_an_absent_from()
    {
        var s = Cluster().Policy("x/server", """
            podSelector: {matchLabels: {role: server}}
            ingress:
            - from: [{namespaceSelector: {}}, {podSelector: {}}]
            - from: [{ipBlock: {cidr: 198.51.100.0/24}}]
              ports: [{port: 8080}]
            - ports: [{port: 9000}]
            """).Build();

        var byBlock = s.Eval("198.51.100.7", "x/s", 8080);
        Expect.Halves(byBlock, egress: true, ingress: true);
        Assert.False(byBlock.Egress.Applies);
        Expect.AllowedBy(byBlock.Ingress, ("x/server", 1));

        Expect.AllowedBy(s.Eval("203.0.113.1", "x/s", 9000).Ingress, ("x/server", 2));

        var bySelector = s.Eval("203.0.113.1", "x/s", 8080); // only the selector rule would cover 8080 from here
        Expect.Halves(bySelector, egress: true, ingress: false);
        Expect.IsolatedBy(bySelector.Ingress, "x/server");
        Assert.Contains("203.0.113.1", bySelector.Ingress.Reason, StringComparison.Ordinal);
    }

    // ---- S11.2 ------------------------------------------------------------------------------

    [Fact]
    public void S11_2_pod_to_external_only_egress_applies_and_needs_an_ipBlock_or_absent_to()
    {
        var s = Cluster().Policy("x/client", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            egress:
            - to: [{namespaceSelector: {}}]
            - to: [{ipBlock: {cidr: 8.8.8.8/32}}]
              ports: [{port: 53, protocol: UDP}]
            - ports: [{port: 443}]
            - ports: [{port: http}]
            """).Build();

        var dns = s.Eval("x/a", "8.8.8.8", 53, Protocol.UDP);
        Expect.Allowed(dns);
        Assert.True(dns.To.IsExternal);
        Assert.False(dns.Ingress.Applies);
        Assert.True(dns.Ingress.Allowed);
        Expect.AllowedBy(dns.Egress, ("x/client", 1));

        Expect.AllowedBy(s.Eval("x/a", "1.1.1.1", 443).Egress, ("x/client", 2));
        Expect.Halves(s.Eval("x/a", "1.1.1.1", 53, Protocol.UDP), egress: false, ingress: true);
        Expect.Halves(s.Eval("x/a", "1.1.1.1", 8080), egress: false, ingress: true); // named port (S7.4)
        Expect.AllowedBy(s.Eval("x/a", "x/s", 8080).Egress, ("x/client", 0), ("x/client", 3));
    }

    // ---- S11.3 ------------------------------------------------------------------------------

    [Fact]
    public void S11_3_an_ip_that_is_a_pod_ip_is_that_pod()
    {
        var s = Cluster().Policy("x/server", """
            podSelector: {matchLabels: {role: server}}
            ingress: [{from: [{podSelector: {matchLabels: {pod: a}}}]}]
            """).Build();

        foreach (var ip in new[] { "10.1.0.1", "fd00:1::1" })
        {
            var end = s.End(ip);
            Assert.False(end.IsExternal);
            Assert.Equal("x/a", end.Endpoint!.Id);

            var verdict = s.Eval(ip, "x/s", 8080);
            Expect.Allowed(verdict);
            Assert.True(verdict.Egress.Applies);
            Expect.AllowedBy(verdict.Ingress, ("x/server", 0));
        }

        Expect.Denied(s.Eval("10.2.0.1", "x/s", 8080)); // y/a: a pod, but not of x
        Expect.Denied(s.Eval("10.1.0.2", "x/s", 8080)); // no pod has it: external, and selectors never match it
        Assert.True(s.End("10.1.0.2").IsExternal);
        Assert.Equal("x/s", s.End("10.1.0.100").Display);
    }

    // ---- S11.4 ------------------------------------------------------------------------------

    [Theory]
    [InlineData("192.168.0.10")] // what would be x/s's node
    [InlineData("10.1.0.254")]
    [InlineData("fd00:1::ffff")]
    public void S11_4_external_ips_are_never_own_node(string ip)
    {
        var s = Cluster().Policy("x/deny-all", """
            podSelector: {}
            policyTypes: [Ingress, Egress]
            """).Build();

        var inbound = s.Eval(ip, "x/s", 8080);
        Expect.Halves(inbound, egress: true, ingress: false);
        Assert.False(inbound.Egress.Applies);
        Expect.IsolatedBy(inbound.Ingress, "x/deny-all");

        var outbound = s.Eval("x/s", ip, 8080);
        Expect.Halves(outbound, egress: false, ingress: true);
        Assert.False(outbound.Ingress.Applies);
        Expect.IsolatedBy(outbound.Egress, "x/deny-all");
    }
}
