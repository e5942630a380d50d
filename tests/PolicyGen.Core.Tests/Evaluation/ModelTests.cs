using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>S1: the world (namespaces, pods, workloads, policies) and what a connection is.</summary>
public sealed class ModelTests
{
    private static Scenario TwoPods() => Scenario.Create()
        .Namespaces("x")
        .Pods("""
            x/a pod=a ip=10.1.0.1 port=http:80
            x/b pod=b ip=10.1.0.2 port=http:80
            """);

    [Fact]
    public void S1_1_pods_and_bare_ips_are_both_connection_ends()
    {
        var s = TwoPods().Build();

        var pod = s.End("x/a");
        Assert.False(pod.IsExternal);
        Assert.Equal("x/a", pod.Endpoint!.Id);

        var external = s.End("203.0.113.9");
        Assert.True(external.IsExternal);
        Assert.Null(external.Endpoint);
        Assert.Equal("203.0.113.9", external.Display);

        Assert.False(s.Evaluator.TryResolve("x/nope", out _, out var error));
        Assert.Contains("x/a", error, StringComparison.Ordinal); // names what the namespace does have
    }

    [Fact]
    public void S1_1_a_connection_is_judged_per_destination_port_and_L4_protocol()
    {
        var s = TwoPods().Policy("x/b-80-tcp", """
            podSelector: {matchLabels: {pod: b}}
            ingress:
            - ports: [{port: 80}]
            """).Build();

        Expect.Allowed(s.Eval("x/a", "x/b", 80, Protocol.TCP));
        Expect.Denied(s.Eval("x/a", "x/b", 81, Protocol.TCP));
        Expect.Denied(s.Eval("x/a", "x/b", 80, Protocol.UDP));
        Expect.Denied(s.Eval("x/a", "x/b", 80, Protocol.SCTP));
    }

    [Fact]
    public void S1_1_a_workload_endpoint_uses_its_template_labels_and_ports()
    {
        var s = TwoPods().Manifest("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: x
              labels: {owner: team-a}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx
                    ports:
                    - {name: http, containerPort: 8080}
            """).Policy("x/web-http-from-a", """
            podSelector: {matchLabels: {app: web}}
            ingress:
            - from: [{podSelector: {matchLabels: {pod: a}}}]
              ports: [{port: http}]
            """).Build();

        var web = s.End("x/web");
        Assert.Equal("Deployment", web.Endpoint!.Kind);

        // Selected through the template's labels, the named port resolved on the template's ports.
        var verdict = s.Eval("x/a", "x/web", 8080);
        Expect.Allowed(verdict);
        Expect.IsolatedBy(verdict.Ingress, "x/web-http-from-a");
        Expect.AllowedBy(verdict.Ingress, ("x/web-http-from-a", 0));
        Expect.Denied(s.Eval("x/a", "x/web", 80));
        Expect.Denied(s.Eval("x/b", "x/web", 8080));
        Assert.False(s.Eval("x/b", "x/a", 80).Ingress.Isolated); // the Deployment's own labels select nothing
    }

    [Fact]
    public void S1_2_without_policies_every_connection_is_allowed()
    {
        var s = TwoPods().Build();

        foreach (var protocol in new[] { Protocol.TCP, Protocol.UDP, Protocol.SCTP })
        {
            var verdict = s.Eval("x/a", "x/b", 443, protocol);
            Expect.Halves(verdict, egress: true, ingress: true);
            Assert.False(verdict.Egress.Isolated);
            Assert.False(verdict.Ingress.Isolated);
        }

        Expect.Allowed(s.Eval("198.51.100.1", "x/a", 22));
        Expect.Allowed(s.Eval("x/a", "198.51.100.1", 22));
    }

    [Fact]
    public void S1_2_a_policy_only_allows_and_denies_only_by_isolating_the_pods_it_selects()
    {
        // The rule names x/a, yet it never denies anything to or from x/a: only x/b, which it selects, loses traffic.
        var s = TwoPods().Pod("x/c pod=c ip=10.1.0.3").Policy("x/b-from-a", """
            podSelector: {matchLabels: {pod: b}}
            ingress:
            - from: [{podSelector: {matchLabels: {pod: a}}}]
            """).Build();

        Expect.Allowed(s.Eval("x/a", "x/b", 80));
        Expect.Denied(s.Eval("x/c", "x/b", 80));
        Expect.Allowed(s.Eval("x/c", "x/a", 80));
        Expect.Allowed(s.Eval("x/b", "x/a", 80));
        Expect.Allowed(s.Eval("x/b", "x/c", 80));
        Assert.False(s.Eval("x/c", "x/a", 80).Ingress.Isolated);
    }
}
