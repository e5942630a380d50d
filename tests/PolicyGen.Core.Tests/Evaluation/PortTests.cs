using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>S7: protocol defaulting, numeric ports and ranges, protocol-only entries, named ports, SCTP.</summary>
public sealed class PortTests
{
    private static Scenario Cluster() => Scenario.Create()
        .Namespaces("x", "y")
        .Pods("""
            x/s role=server ip=10.1.0.100 port=web:8080 port=dns:53/UDP port=assoc:7777/SCTP
            x/a pod=a ip=10.1.0.1
            y/a pod=a ip=10.2.0.1
            """);

    private static Evaluated ServerPorts(Scenario scenario, string ports) => scenario.Policy("x/server", $"""
        podSelector: {"{matchLabels: {role: server}}"}
        ingress:
        - ports:
        {ports}
        """).Build();

    private static Evaluated ServerPorts(string ports) => ServerPorts(Cluster(), ports);

    // ---- S7.1 -------------------------------------------------------------------------------

    [Fact]
    public void S7_1_protocol_defaults_to_TCP()
    {
        var s = ServerPorts("  - port: 53");

        Expect.AllowedBy(s.Eval("x/a", "x/s", 53, Protocol.TCP).Ingress, ("x/server", 0));
        Expect.Halves(s.Eval("x/a", "x/s", 53, Protocol.UDP), egress: true, ingress: false);
        Expect.Halves(s.Eval("x/a", "x/s", 53, Protocol.SCTP), egress: true, ingress: false);
    }

    [Fact]
    public void S7_1_a_named_port_without_protocol_is_TCP_too()
    {
        var s = ServerPorts("  - port: web");

        Expect.AllowedBy(s.Eval("x/a", "x/s", 8080, Protocol.TCP).Ingress, ("x/server", 0));
        Expect.Denied(s.Eval("x/a", "x/s", 8080, Protocol.UDP));
        Expect.Denied(s.Eval("x/a", "x/s", 8080, Protocol.SCTP));
    }

    [Fact]
    public void S7_1_an_empty_port_entry_is_TCP_on_every_port()
    {
        // {} gets protocol TCP by defaulting and has no port: every TCP port (S7.3), nothing else.
        var s = ServerPorts("  - {}");

        foreach (var port in new[] { 1, 53, 8080, 65535 })
        {
            Expect.AllowedBy(s.Eval("x/a", "x/s", port, Protocol.TCP).Ingress, ("x/server", 0));
            Expect.Denied(s.Eval("x/a", "x/s", port, Protocol.UDP));
            Expect.Denied(s.Eval("x/a", "x/s", port, Protocol.SCTP));
        }
    }

    // ---- S7.2 -------------------------------------------------------------------------------

    [Theory]
    [InlineData(79, false)]
    [InlineData(80, true)]
    [InlineData(81, false)]
    public void S7_2_a_numeric_port_must_be_equal(int port, bool allowed)
    {
        var s = ServerPorts("  - {port: 80, protocol: TCP}");

        Expect.Halves(s.Eval("x/a", "x/s", port), egress: true, ingress: allowed);
    }

    [Theory]
    [InlineData(31999, false)] // port - 1
    [InlineData(32000, true)] // port
    [InlineData(32400, true)]
    [InlineData(32768, true)] // endPort
    [InlineData(32769, false)] // endPort + 1
    public void S7_2_endPort_range_includes_both_ends(int port, bool allowed)
    {
        var ingress = ServerPorts("  - {port: 32000, endPort: 32768}");
        var egress = Cluster().Policy("x/client", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            egress:
            - ports: [{port: 32000, endPort: 32768, protocol: UDP}]
            """).Build();

        Expect.Halves(ingress.Eval("x/a", "x/s", port), egress: true, ingress: allowed);
        Expect.Halves(ingress.Eval("x/a", "x/s", port, Protocol.UDP), egress: true, ingress: false);
        Expect.Halves(egress.Eval("x/a", "198.51.100.9", port, Protocol.UDP), egress: allowed, ingress: true);
        Expect.Halves(egress.Eval("x/a", "y/a", port, Protocol.UDP), egress: allowed, ingress: true);
        Expect.Halves(egress.Eval("x/a", "y/a", port, Protocol.TCP), egress: false, ingress: true);
    }

    // ---- S7.3 -------------------------------------------------------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(53)]
    [InlineData(65535)]
    public void S7_3_protocol_without_port_matches_every_port_of_that_protocol(int port)
    {
        var s = ServerPorts("  - protocol: UDP");

        Expect.AllowedBy(s.Eval("x/a", "x/s", port, Protocol.UDP).Ingress, ("x/server", 0));
        Expect.Denied(s.Eval("x/a", "x/s", port, Protocol.TCP));
        Expect.Denied(s.Eval("x/a", "x/s", port, Protocol.SCTP));
    }

    // ---- S7.4 -------------------------------------------------------------------------------

    [Fact]
    public void S7_4_an_ingress_named_port_resolves_on_each_selected_destination()
    {
        var s = ServerPorts(
            Scenario.Create().Namespaces("x").Pods("""
                x/s1 role=server ip=10.1.0.101 port=http:8080
                x/s2 role=server ip=10.1.0.102 port=http:9090
                x/s3 role=server ip=10.1.0.103 port=other:8080
                x/a pod=a ip=10.1.0.1
                """),
            "  - port: http");

        Expect.AllowedBy(s.Eval("x/a", "x/s1", 8080).Ingress, ("x/server", 0));
        Expect.Denied(s.Eval("x/a", "x/s1", 9090));
        Expect.AllowedBy(s.Eval("x/a", "x/s2", 9090).Ingress, ("x/server", 0));
        Expect.Denied(s.Eval("x/a", "x/s2", 8080));
        Expect.Denied(s.Eval("x/a", "x/s3", 8080)); // no container port named http
        Expect.Allowed(s.Eval("203.0.113.1", "x/s2", 9090)); // an external client: resolved on the pod it reaches
    }

    [Fact]
    public void S7_4_an_egress_named_port_resolves_on_each_destination_pod()
    {
        var s = Scenario.Create().Namespaces("x", "y")
            .Pods("""
                x/a pod=a ip=10.1.0.1 port=http:1111
                y/s1 ip=10.2.0.101 port=http:8080
                y/s2 ip=10.2.0.102 port=http:9090
                y/s3 ip=10.2.0.103 port=web:8080
                """)
            .Policy("x/client", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress:
                - to: [{namespaceSelector: {matchLabels: {ns: y}}}]
                  ports: [{port: http}]
                """)
            .Build();

        var toS1 = s.Eval("x/a", "y/s1", 8080);
        Expect.Allowed(toS1);
        Expect.AllowedBy(toS1.Egress, ("x/client", 0));
        Expect.Halves(s.Eval("x/a", "y/s1", 9090), egress: false, ingress: true);
        Expect.Allowed(s.Eval("x/a", "y/s2", 9090));
        Expect.Halves(s.Eval("x/a", "y/s2", 8080), egress: false, ingress: true);
        Expect.Halves(s.Eval("x/a", "y/s3", 8080), egress: false, ingress: true);
        Expect.Halves(s.Eval("x/a", "y/s1", 1111), egress: false, ingress: true); // never the source's own "http"
    }

    [Fact]
    public void S7_4_a_named_port_of_a_UDP_container_port_needs_protocol_UDP()
    {
        var withoutProtocol = ServerPorts("  - port: dns");
        var withProtocol = ServerPorts("  - {port: dns, protocol: UDP}");

        // "port: dns" looks for a TCP port named dns; x/s has only a UDP one.
        Expect.Halves(withoutProtocol.Eval("x/a", "x/s", 53, Protocol.UDP), egress: true, ingress: false);
        Expect.Halves(withoutProtocol.Eval("x/a", "x/s", 53, Protocol.TCP), egress: true, ingress: false);
        Expect.AllowedBy(withProtocol.Eval("x/a", "x/s", 53, Protocol.UDP).Ingress, ("x/server", 0));
        Expect.Denied(withProtocol.Eval("x/a", "x/s", 53, Protocol.TCP));
    }

    [Theory]
    [InlineData("UDP", 8080)]
    [InlineData("SCTP", 8080)]
    [InlineData("TCP", 53)]
    [InlineData("TCP", 7777)]
    public void S7_4_a_named_port_with_the_wrong_protocol_matches_nothing(string protocol, int port)
    {
        var name = port switch { 8080 => "web", 53 => "dns", _ => "assoc" };
        var s = ServerPorts($"  - {{port: {name}, protocol: {protocol}}}");

        foreach (var probe in ProtocolNames.All)
        {
            Expect.Halves(s.Eval("x/a", "x/s", port, probe), egress: true, ingress: false);
        }
    }

    [Fact]
    public void S7_4_a_named_port_never_matches_an_external_destination()
    {
        var s = Scenario.Create().Namespaces("x", "y")
            .Pods("""
                x/a pod=a ip=10.1.0.1 port=https:443
                y/s ip=10.2.0.5 port=https:443
                """)
            .Policy("x/client", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress:
                - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
                  ports: [{port: https}]
                - ports: [{port: https}]
                """)
            .Build();

        foreach (var ip in new[] { "203.0.113.10", "10.2.0.6" })
        {
            var verdict = s.Eval("x/a", ip, 443);
            Expect.Halves(verdict, egress: false, ingress: true);
            Assert.False(verdict.Ingress.Applies);
            Expect.IsolatedBy(verdict.Egress, "x/client");
        }

        // The same rules reach a pod in the block, where the name resolves (S16: resolved on the destination pod).
        Expect.AllowedBy(s.Eval("x/a", "y/s", 443).Egress, ("x/client", 0), ("x/client", 1));
    }

    // ---- S7.5 -------------------------------------------------------------------------------

    [Fact]
    public void S7_5_only_the_destination_port_is_considered()
    {
        // The client's own "http" is 80; the server's is 8080. Both rules resolve on the server.
        var s = Scenario.Create().Namespaces("x")
            .Pods("""
                x/c pod=c ip=10.1.0.3 port=http:80
                x/s role=server ip=10.1.0.100 port=http:8080
                """)
            .Policy("x/server", """
                podSelector: {matchLabels: {role: server}}
                ingress: [{ports: [{port: http}]}]
                """)
            .Policy("x/client", """
                podSelector: {matchLabels: {pod: c}}
                policyTypes: [Egress]
                egress: [{ports: [{port: http}]}]
                """)
            .Build();

        var right = s.Eval("x/c", "x/s", 8080);
        Expect.Allowed(right);
        Expect.AllowedBy(right.Egress, ("x/client", 0));
        Expect.AllowedBy(right.Ingress, ("x/server", 0));
        Expect.Halves(s.Eval("x/c", "x/s", 80), egress: false, ingress: false);
    }

    // ---- S7.6 -------------------------------------------------------------------------------

    [Fact]
    public void S7_6_an_SCTP_only_rule_isolates_the_pod_for_TCP_and_UDP()
    {
        var s = ServerPorts("  - {protocol: SCTP, port: 7777}");

        Expect.AllowedBy(s.Eval("x/a", "x/s", 7777, Protocol.SCTP).Ingress, ("x/server", 0));
        foreach (var protocol in new[] { Protocol.TCP, Protocol.UDP })
        {
            var verdict = s.Eval("x/a", "x/s", 7777, protocol);
            Expect.Halves(verdict, egress: true, ingress: false);
            Expect.IsolatedBy(verdict.Ingress, "x/server");
        }
    }

    [Fact]
    public void S7_6_SCTP_entries_never_match_TCP_or_UDP_on_any_port()
    {
        var ingress = ServerPorts("""
              - protocol: SCTP
              - {port: assoc, protocol: SCTP}
            """);
        var egress = Cluster().Policy("x/client", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            egress: [{ports: [{protocol: SCTP}]}]
            """).Build();

        foreach (var port in new[] { 80, 7777, 8080 })
        {
            Expect.Allowed(ingress.Eval("x/a", "x/s", port, Protocol.SCTP));
            Expect.Allowed(egress.Eval("x/a", "y/a", port, Protocol.SCTP));
            foreach (var protocol in new[] { Protocol.TCP, Protocol.UDP })
            {
                Expect.Halves(ingress.Eval("x/a", "x/s", port, protocol), egress: true, ingress: false);
                Expect.Halves(egress.Eval("x/a", "y/a", port, protocol), egress: false, ingress: true);
            }
        }
    }
}
