namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>S6: ipBlock against external addresses and pod IPs, both families, except, and union.</summary>
public sealed class IpBlockTests
{
    private static Scenario Cluster() => Scenario.Create()
        .Namespaces("x", "y")
        .Pods("""
            x/s role=server ip=10.1.0.100
            x/a pod=a ip=10.1.0.1
            y/a pod=a ip=10.2.0.1
            y/b pod=b ip=10.2.0.2
            y/c pod=c ip=10.2.0.3
            """);

    private static Evaluated ServerFrom(Scenario scenario, string fromEntries) => scenario.Policy("x/server", $"""
        podSelector: {"{matchLabels: {role: server}}"}
        ingress:
        - from:
        {fromEntries}
        """).Build();

    private static Evaluated ClientTo(Scenario scenario, string toEntries) => scenario.Policy("x/client", $"""
        podSelector: {"{matchLabels: {pod: a}}"}
        policyTypes: [Egress]
        egress:
        - to:
        {toEntries}
        """).Build();

    // ---- S6.1 -------------------------------------------------------------------------------

    [Theory]
    [InlineData("203.0.113.0", true)]
    [InlineData("203.0.113.127", true)]
    [InlineData("203.0.113.128", false)] // first address of the except
    [InlineData("203.0.113.255", false)] // last address of the except
    [InlineData("203.0.112.255", false)] // just below the cidr
    [InlineData("203.0.114.0", false)] // just above the cidr
    public void S6_1_an_external_client_matches_inside_cidr_and_outside_except(string ip, bool allowed)
    {
        var s = ServerFrom(Cluster(), "  - ipBlock: {cidr: 203.0.113.0/24, except: [203.0.113.128/25]}");

        var verdict = s.Eval(ip, "x/s", 443);
        Expect.Halves(verdict, egress: true, ingress: allowed);
        Assert.False(verdict.Egress.Applies);
        if (allowed)
        {
            Expect.AllowedBy(verdict.Ingress, ("x/server", 0));
        }
    }

    [Theory]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:bad::", false)]
    [InlineData("2001:db8:bad:ffff:ffff:ffff:ffff:ffff", false)]
    [InlineData("2001:db8:bae::1", true)]
    [InlineData("2001:db9::1", false)]
    [InlineData("203.0.113.1", false)]
    public void S6_1_IPv6_ipBlock_with_except_to_an_external_destination(string ip, bool allowed)
    {
        var s = ClientTo(Cluster(), "  - ipBlock: {cidr: 2001:db8::/32, except: [2001:db8:bad::/48]}");

        var verdict = s.Eval("x/a", ip, 443);
        Expect.Halves(verdict, egress: allowed, ingress: true);
        Assert.False(verdict.Ingress.Applies);
    }

    [Fact]
    public void S6_1_IPv6_ipBlock_with_except_on_pod_ips()
    {
        var s = ServerFrom(
            Cluster().Pods("""
                y/v6a pod=v6a ip=fd00:2::a
                y/v6b pod=v6b ip=fd00:2::b
                """),
            "  - ipBlock: {cidr: 'fd00::/16', except: ['fd00:2::b/128']}");

        Expect.AllowedBy(s.Eval("y/v6a", "x/s", 80).Ingress, ("x/server", 0));
        Expect.Denied(s.Eval("y/v6b", "x/s", 80));
        Expect.Allowed(s.Eval("fd00:2::a", "x/s", 80)); // the address is the pod (S11.3)
        Expect.Allowed(s.Eval("fd00:9::1", "x/s", 80)); // and a bare address in the block
        Expect.Denied(s.Eval("fd00:2::b", "x/s", 80));
        Expect.Denied(s.Eval("y/a", "x/s", 80)); // IPv4 only
    }

    [Fact]
    public void S6_1_an_address_of_the_other_family_never_matches()
    {
        var v4 = ServerFrom(Cluster(), "  - ipBlock: {cidr: 0.0.0.0/0}");
        var v6 = ServerFrom(Cluster(), "  - ipBlock: {cidr: '::/0'}");

        Expect.Allowed(v4.Eval("192.0.2.1", "x/s", 80));
        Expect.Denied(v4.Eval("2001:db8::1", "x/s", 80));
        Expect.Allowed(v6.Eval("2001:db8::1", "x/s", 80));
        Expect.Denied(v6.Eval("192.0.2.1", "x/s", 80));
        Expect.Denied(v6.Eval("y/a", "x/s", 80));
    }

    // ---- S6.2 -------------------------------------------------------------------------------

    [Fact]
    public void S6_2_ipBlock_matches_pod_ips()
    {
        // e2e "allow egress access to server in CIDR block": the server pod's /32.
        var s = ClientTo(Cluster(), "  - ipBlock: {cidr: 10.2.0.2/32}");

        var verdict = s.Eval("x/a", "y/b", 80);
        Expect.Allowed(verdict);
        Expect.AllowedBy(verdict.Egress, ("x/client", 0));
        Expect.Halves(s.Eval("x/a", "y/a", 80), egress: false, ingress: true);
        Expect.Halves(s.Eval("x/a", "x/s", 80), egress: false, ingress: true);
    }

    [Fact]
    public void S6_2_ipBlock_except_cuts_one_pod_out()
    {
        // e2e "allow egress access to server in CIDR block except": a wide block, the server's /32 excepted.
        var egress = ClientTo(Cluster(), "  - ipBlock: {cidr: 10.0.0.0/8, except: [10.2.0.2/32]}");
        var ingress = ServerFrom(Cluster(), "  - ipBlock: {cidr: 10.0.0.0/8, except: [10.2.0.2/32]}");

        Expect.Allowed(egress.Eval("x/a", "y/a", 80));
        Expect.Allowed(egress.Eval("x/a", "y/c", 80));
        Expect.Halves(egress.Eval("x/a", "y/b", 80), egress: false, ingress: true);
        Expect.Allowed(ingress.Eval("y/a", "x/s", 80));
        Expect.Halves(ingress.Eval("y/b", "x/s", 80), egress: true, ingress: false);
    }

    [Fact]
    public void S6_2_a_pod_without_an_ip_is_never_matched_by_an_ipBlock()
    {
        var scenario = Cluster().Pods("""
            y/pending pod=pending
            """).Manifest("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: y}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: nginx}]
            """);
        var s = ServerFrom(scenario, """
              - ipBlock: {cidr: 0.0.0.0/0}
              - ipBlock: {cidr: '::/0'}
            """);

        Expect.Allowed(s.Eval("y/a", "x/s", 80));
        Expect.Halves(s.Eval("y/pending", "x/s", 80), egress: true, ingress: false);
        Expect.Halves(s.Eval("y/web", "x/s", 80), egress: true, ingress: false);
    }

    // ---- S6.3 -------------------------------------------------------------------------------

    [Fact]
    public void S6_3_another_policy_re_allows_an_excepted_ip()
    {
        var s = Cluster()
            .Policy("x/wide", """
                podSelector: {matchLabels: {role: server}}
                ingress:
                - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.2.0.0/16]}}]
                """)
            .Policy("x/narrow", """
                podSelector: {matchLabels: {role: server}}
                ingress:
                - from: [{ipBlock: {cidr: 10.2.0.2/32}}]
                """)
            .Build();

        var pod = s.Eval("y/b", "x/s", 80);
        Expect.Allowed(pod);
        Expect.IsolatedBy(pod.Ingress, "x/narrow", "x/wide");
        Expect.AllowedBy(pod.Ingress, ("x/narrow", 0));
        Expect.Denied(s.Eval("y/a", "x/s", 80)); // excepted and not re-allowed
        Expect.AllowedBy(s.Eval("x/a", "x/s", 80).Ingress, ("x/wide", 0));

        Expect.AllowedBy(s.Eval("10.9.9.9", "x/s", 80).Ingress, ("x/wide", 0));
        Expect.Denied(s.Eval("10.2.200.1", "x/s", 80));
    }

    [Fact]
    public void S6_3_a_second_rule_of_the_same_policy_re_allows_an_excepted_external_ip()
    {
        var s = Cluster().Policy("x/egress", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            egress:
            - to: [{ipBlock: {cidr: 192.0.2.0/24, except: [192.0.2.0/28]}}]
            - to: [{ipBlock: {cidr: 192.0.2.5/32}}]
              ports: [{port: 443}]
            """).Build();

        Expect.AllowedBy(s.Eval("x/a", "192.0.2.5", 443).Egress, ("x/egress", 1));
        Expect.Denied(s.Eval("x/a", "192.0.2.5", 80));
        Expect.Denied(s.Eval("x/a", "192.0.2.6", 443));
        Expect.AllowedBy(s.Eval("x/a", "192.0.2.16", 80).Egress, ("x/egress", 0));
    }
}
