using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>S12 (self traffic) and S13 (hostNetwork pods), each in both modes.</summary>
public sealed class SelfAndHostNetworkTests
{
    private static readonly EvaluationOptions EvaluateSelf = new() { SelfTraffic = SelfTrafficMode.Evaluate };
    private static readonly EvaluationOptions PodMode = new() { HostNetwork = HostNetworkMode.Pod };

    private static Scenario DenyAll() => Scenario.Create()
        .Namespaces("x")
        .Pods("""
            x/a pod=a ip=10.1.0.1 port=http:8080
            x/b pod=b ip=10.1.0.2
            """)
        .Policy("x/deny-all", "podSelector: {}\npolicyTypes: [Ingress, Egress]");

    private static PairVerdict Cell(Evaluated s, string from, string to, int port)
    {
        var endpoints = s.Evaluator.Cluster.Endpoints;
        int Index(string id) => endpoints.IndexOf(endpoints.Single(e => e.Id == id));
        return ReachabilityMatrix.Compute(s.Evaluator, [new PortProbe(port, Protocol.TCP)]).Get(0, Index(from), Index(to));
    }

    // ---- S12 --------------------------------------------------------------------------------

    [Fact]
    public void S12_self_traffic_is_allowed_by_default_even_when_the_pod_is_isolated_both_ways()
    {
        var s = DenyAll().Build();
        Assert.Equal(SelfTrafficMode.Allow, s.Evaluator.Options.SelfTraffic);

        foreach (var to in new[] { "x/a", "10.1.0.1" })
        {
            var verdict = s.Eval("x/a", to, 8080);
            Expect.Allowed(verdict);
            Assert.True(verdict.SelfTraffic);
            Expect.IsolatedBy(verdict.Egress, "x/deny-all");
            Expect.IsolatedBy(verdict.Ingress, "x/deny-all");
            Assert.Empty(verdict.Ingress.AllowingRules);
            Assert.Contains("S12", verdict.Ingress.Reason, StringComparison.Ordinal);
        }

        Assert.True(Cell(s, "x/a", "x/a", 8080).Allowed); // "." on the matrix diagonal
        Expect.Denied(s.Eval("x/a", "x/b", 8080));
    }

    [Fact]
    public void S12_a_workload_to_itself_is_replica_to_replica_and_judged_by_the_policies()
    {
        var s = Scenario.Create()
            .Namespace("x")
            .Manifest("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: x}
                spec:
                  replicas: 3
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
                """)
            .Policy("x/web", """
                podSelector: {matchLabels: {app: web}}
                ingress:
                - from: [{podSelector: {matchLabels: {app: api}}}]
                """)
            .Build();

        var verdict = s.Eval("x/web", "x/web", 8080);
        Assert.False(verdict.SelfTraffic);
        Expect.Denied(verdict); // one web replica may not call another: only app=api may
        Assert.False(Cell(s, "x/web", "x/web", 8080).Allowed);
    }

    /// <summary>A Deployment-like workload with <c>replicas</c> as written (null: no replicas field), isolated so only app=api may call it.</summary>
    private static Evaluated Workload(string kind, string? replicas, EvaluationOptions? options = null)
    {
        var apiVersion = kind is "ReplicationController" ? "v1" : kind is "CronJob" or "Job" ? "batch/v1" : "apps/v1";
        var template = kind == "CronJob" ? "jobTemplate: {spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}}"
            : "template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}}";
        var replicasLine = replicas is null ? "" : "replicas: " + replicas + "\n  ";
        var scenario = Scenario.Create()
            .Namespace("x")
            .Manifest($$"""
                apiVersion: {{apiVersion}}
                kind: {{kind}}
                metadata: {name: web, namespace: x}
                spec:
                  {{replicasLine}}{{template}}
                """)
            .Policy("x/web", """
                podSelector: {matchLabels: {app: web}}
                policyTypes: [Ingress, Egress]
                ingress:
                - from: [{podSelector: {matchLabels: {app: api}}}]
                """);
        return (options is null ? scenario : scenario.With(options)).Build();
    }

    [Theory]
    [InlineData("Deployment")]
    [InlineData("StatefulSet")]
    [InlineData("ReplicaSet")]
    [InlineData("ReplicationController")]
    public void S12_a_workload_with_replicas_1_is_one_pod_reaching_itself_and_always_allowed(string kind)
    {
        var s = Workload(kind, "1");
        var verdict = s.Eval("x/web", "x/web", 8080);
        Expect.Allowed(verdict);
        Assert.True(verdict.SelfTraffic);
        Assert.Equal(SelfCase.PodToItself, verdict.Self);
        Assert.Contains("replicas: 1", verdict.Ingress.Reason, StringComparison.Ordinal);
        Assert.Contains("S12", verdict.Ingress.Reason, StringComparison.Ordinal);
        Assert.True(Cell(s, "x/web", "x/web", 8080).Allowed); // "." on the matrix diagonal
        Assert.True(s.Evaluator.IsAllowed(s.End("x/web"), s.End("x/web"), 8080, Protocol.TCP));
    }

    [Theory]
    [InlineData("Deployment", "3")]
    [InlineData("Deployment", null)] // no replicas field: an autoscaler may run several
    [InlineData("StatefulSet", "2")]
    [InlineData("Deployment", "0")]
    [InlineData("DaemonSet", null)]
    [InlineData("CronJob", null)]
    public void S12_a_workload_that_may_run_several_pods_to_itself_is_replica_to_replica(string kind, string? replicas)
    {
        var s = Workload(kind, replicas);
        var verdict = s.Eval("x/web", "x/web", 8080);
        Expect.Denied(verdict);
        Assert.False(verdict.SelfTraffic);
        Assert.Equal(SelfCase.ReplicaToReplica, verdict.Self);
        Assert.False(Cell(s, "x/web", "x/web", 8080).Allowed);
    }

    [Fact]
    public void S12_a_workload_with_replicas_1_under_SelfTraffic_Evaluate_is_judged_like_any_pair()
    {
        var s = Workload("Deployment", "1", EvaluateSelf);
        var verdict = s.Eval("x/web", "x/web", 8080);
        Expect.Denied(verdict);
        Assert.False(verdict.SelfTraffic);
        Assert.Equal(SelfCase.PodToItself, verdict.Self);
        Assert.False(Cell(s, "x/web", "x/web", 8080).Allowed);
    }

    [Fact]
    public void S12_two_different_endpoints_are_no_self_case()
    {
        var verdict = DenyAll().Build().Eval("x/a", "x/b", 8080);
        Assert.Equal(SelfCase.None, verdict.Self);
    }

    [Fact]
    public void S12_with_SelfTraffic_Evaluate_a_pod_is_judged_like_any_other_pair()
    {
        var denied = DenyAll().With(EvaluateSelf).Build();
        var verdict = denied.Eval("x/a", "x/a", 8080);
        Expect.Halves(verdict, egress: false, ingress: false);
        Assert.False(verdict.SelfTraffic);
        Assert.Equal(new PairVerdict(false, false, false), Cell(denied, "x/a", "x/a", 8080));

        var allowed = DenyAll().With(EvaluateSelf)
            .Policy("x/a-to-a", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Ingress, Egress]
                ingress: [{from: [{podSelector: {matchLabels: {pod: a}}}], ports: [{port: http}]}]
                egress: [{to: [{ipBlock: {cidr: 10.1.0.1/32}}]}]
                """)
            .Build();
        var self = allowed.Eval("x/a", "x/a", 8080);
        Expect.Allowed(self);
        Expect.AllowedBy(self.Ingress, ("x/a-to-a", 0));
        Expect.AllowedBy(self.Egress, ("x/a-to-a", 0));
        Expect.Denied(allowed.Eval("x/a", "x/a", 8081));
        Assert.True(Cell(allowed, "x/a", "x/a", 8080).Allowed);
        Assert.False(Cell(allowed, "x/a", "x/a", 8081).Allowed);
    }

    [Fact]
    public void S12_without_policies_self_traffic_is_allowed_in_both_modes()
    {
        foreach (var options in new[] { EvaluationOptions.Default, EvaluateSelf })
        {
            var s = Scenario.Create().Namespaces("x").Pod("x/a pod=a ip=10.1.0.1").With(options).Build();
            Expect.Allowed(s.Eval("x/a", "x/a", 80));
        }
    }

    // ---- S13 --------------------------------------------------------------------------------

    private static Scenario WithAgent() => Scenario.Create()
        .Namespaces("x", "y")
        .Pods("""
            x/agent pod=agent role=server ip=192.168.0.10 port=metrics:9100 hostNetwork
            x/s role=server ip=10.1.0.100
            x/a pod=a ip=10.1.0.1
            y/a pod=a ip=10.2.0.1
            """)
        .Policy("x/servers", """
            podSelector: {matchLabels: {role: server}}
            policyTypes: [Ingress, Egress]
            ingress:
            - from: [{podSelector: {}}, {namespaceSelector: {}}]
            - from: [{ipBlock: {cidr: 192.168.0.0/16}}]
              ports: [{port: 9100}]
            egress:
            - to: [{namespaceSelector: {matchLabels: {ns: y}}}]
            """);

    [Fact]
    public void S13_by_default_a_hostNetwork_pod_is_never_isolated()
    {
        var s = WithAgent().Build();
        Assert.Equal(HostNetworkMode.Node, s.Evaluator.Options.HostNetwork);

        var inbound = s.Eval("203.0.113.1", "x/agent", 22);
        Expect.Allowed(inbound);
        Expect.NotIsolated(inbound.Ingress);
        Assert.Contains("S13", inbound.Ingress.Reason, StringComparison.Ordinal);

        var outbound = s.Eval("x/agent", "203.0.113.1", 22);
        Expect.Allowed(outbound);
        Expect.NotIsolated(outbound.Egress);

        Expect.IsolatedBy(s.Eval("203.0.113.1", "x/s", 22).Ingress, "x/servers"); // the same selector isolates x/s
    }

    [Fact]
    public void S13_by_default_a_hostNetwork_peer_is_matched_only_by_an_ipBlock_on_its_node_ip()
    {
        var s = WithAgent().Build();

        Expect.AllowedBy(s.Eval("x/a", "x/s", 80).Ingress, ("x/servers", 0));
        Expect.Halves(s.Eval("x/agent", "x/s", 80), egress: true, ingress: false); // selectors skip it
        Expect.AllowedBy(s.Eval("x/agent", "x/s", 9100).Ingress, ("x/servers", 1)); // the ipBlock matches its IP
        Expect.AllowedBy(s.Eval("192.168.0.10", "x/s", 9100).Ingress, ("x/servers", 1));
        Expect.Halves(s.Eval("x/s", "x/agent", 80), egress: false, ingress: true); // nsSelector y, and not in y anyway
    }

    [Theory]
    [InlineData(HostNetworkMode.Node, false)]
    [InlineData(HostNetworkMode.Pod, true)]
    public void S13_an_egress_namespaceSelector_reaches_a_hostNetwork_pod_only_in_Pod_mode(HostNetworkMode mode, bool reaches)
    {
        var s = WithAgent().With(new EvaluationOptions { HostNetwork = mode })
            .Policy("x/a-egress", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress: [{to: [{namespaceSelector: {}}]}]
                """)
            .Build();

        Expect.Allowed(s.Eval("x/a", "y/a", 80));
        Expect.AllowedBy(s.Eval("x/a", "x/s", 80).Egress, ("x/a-egress", 0));
        Assert.Equal(reaches, s.Eval("x/a", "x/agent", 80).Egress.Allowed);
        Expect.Denied(s.Eval("x/a", "192.168.0.99", 80)); // another address of the node range: external
    }

    [Fact]
    public void S13_in_Pod_mode_a_hostNetwork_pod_is_an_ordinary_pod()
    {
        var s = WithAgent().With(PodMode).Build();

        var inbound = s.Eval("203.0.113.1", "x/agent", 22);
        Expect.Halves(inbound, egress: true, ingress: false);
        Expect.IsolatedBy(inbound.Ingress, "x/servers");
        Expect.IsolatedBy(s.Eval("x/agent", "203.0.113.1", 22).Egress, "x/servers");

        Expect.AllowedBy(s.Eval("x/agent", "x/s", 80).Ingress, ("x/servers", 0)); // selectors match it now
        Expect.AllowedBy(s.Eval("x/agent", "x/s", 9100).Ingress, ("x/servers", 0), ("x/servers", 1));
        Expect.AllowedBy(s.Eval("x/a", "x/agent", 80).Ingress, ("x/servers", 0));
        Expect.Allowed(s.Eval("x/agent", "y/a", 80));
        Expect.Halves(s.Eval("x/agent", "x/a", 80), egress: false, ingress: true);
    }
}
