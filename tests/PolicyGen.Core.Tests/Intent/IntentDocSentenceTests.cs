using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using PolicyGen.Tests.Shared;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Intent;

/// <summary>
/// Sentences of docs/intent.md, each enforced end to end: the intent is built through the real
/// pipeline and the generated policies are asked (with the core evaluator) what they allow.
/// </summary>
public sealed class IntentDocSentenceTests
{
    private const string Header = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: doc}
        spec:

        """;

    private static BuildResult Build(string spec)
    {
        var result = BuildPipeline.Run(LoadValid(Header + spec), new BuildOptions());
        Assert.True(result.Succeeded, Dump(result.Diagnostics));
        return result;
    }

    private static ImmutableArray<Diagnostic> BuildErrors(string spec)
    {
        var (intent, diagnostics) = Load(Header + spec);
        if (intent is null)
        {
            return [.. diagnostics.Where(d => d.Severity == Severity.Error)];
        }

        var result = BuildPipeline.Run(intent, new BuildOptions(), diagnostics);
        Assert.False(result.Succeeded, "expected the build to fail");
        return [.. result.Diagnostics.Where(d => d.Severity == Severity.Error)];
    }

    /// <summary>A cluster of the given pods (namespace, name, labels, address) under the build's policies.</summary>
    private static PolicyEvaluator Cluster(BuildResult result, params (string Ns, string Name, string Labels, string Address)[] pods)
        => PolicyEvaluator.Create(new Cluster
        {
            Namespaces = [.. pods.Select(p => p.Ns).Distinct().Select(n => Namespace.Create(n, [], null))],
            Endpoints = [.. pods.Select(p => new Endpoint
            {
                Namespace = p.Ns,
                Name = p.Name,
                Kind = "Pod",
                Labels = Labels.Of(p.Labels.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(l => (l.Split('=')[0], l.Split('=')[1])).ToArray()),
                Addresses = [System.Net.IPAddress.Parse(p.Address)],
            })],
            Policies = [.. result.Policies.Select(p => p.Parsed)],
        });

    private static bool Allowed(PolicyEvaluator evaluator, string from, string to, int port, Protocol protocol = Protocol.TCP)
    {
        Assert.True(evaluator.TryResolve(from, out var a, out var error), error);
        Assert.True(evaluator.TryResolve(to, out var b, out error), error);
        return evaluator.IsAllowed(a!, b!, port, protocol);
    }

    [Theory]
    [InlineData("ingress: []")]
    [InlineData("ingress:")]
    public void Declaring_ingress_in_any_form_isolates_the_app_for_ingress_even_as_an_empty_list(string ingress)
    {
        // Unmanaged namespace: only the declaration can isolate web. An empty list accepts nothing but what others declare.
        var result = Build($"""
              apps:
                web:
                  namespace: shop
                  selector: {"{"}app: web{"}"}
                  {ingress}
                api:
                  namespace: shop
                  selector: {"{"}app: api{"}"}
                  calls: [{"{"}app: web, ports: [8080/TCP]{"}"}]
            """);
        var policy = Assert.Single(result.Policies, p => p.Plan.Name == "web-ingress").Parsed;
        Assert.Equal(["Ingress"], policy.PolicyTypes);
        var evaluator = Cluster(result, ("shop", "web", "app=web", "10.1.0.1"), ("shop", "api", "app=api", "10.1.0.2"), ("shop", "other", "x=y", "10.1.0.3"));
        Assert.False(Allowed(evaluator, "shop/other", "shop/web", 8080));
        Assert.True(Allowed(evaluator, "shop/api", "shop/web", 8080));
        Assert.False(Allowed(evaluator, "shop/api", "shop/web", 9090));
    }

    [Fact]
    public void An_app_is_isolated_for_ingress_when_it_declares_ingress_in_any_form_including_an_empty_list()
    {
        // The Isolation section, as the proof reads it: the meaning it checks the policies against isolates web.
        var intent = LoadValid(Header + """
              apps:
                web: {namespace: shop, selector: {app: web}, ingress: []}
                api: {namespace: shop, selector: {app: api}, calls: []}
                open: {namespace: shop, selector: {app: open}}
            """);
        var (apps, diagnostics) = AppConnectivity.Of(intent);
        Assert.Empty(diagnostics);
        Assert.True(apps.Single(a => a.App.Name == "web").IngressIsolated);
        Assert.True(apps.Single(a => a.App.Name == "api").EgressIsolated);
        Assert.False(apps.Single(a => a.App.Name == "open").IngressIsolated);
        Assert.False(apps.Single(a => a.App.Name == "open").EgressIsolated);
    }

    [Fact]
    public void Dns_peers_accept_a_bare_app_name_short_for_app()
    {
        var result = Build("""
              defaults:
                dns: {peers: [coredns]}
              apps:
                coredns: {namespace: dns, selector: {app: coredns}, ingress: []}
                web: {namespace: shop, selector: {app: web}, calls: []}
            """);
        var evaluator = Cluster(result, ("dns", "coredns", "app=coredns", "10.1.0.1"), ("shop", "web", "app=web", "10.1.0.2"), ("shop", "other", "x=y", "10.1.0.3"));
        Assert.True(Allowed(evaluator, "shop/web", "dns/coredns", 53, Protocol.UDP));
        Assert.True(Allowed(evaluator, "shop/web", "dns/coredns", 53, Protocol.TCP));
        Assert.False(Allowed(evaluator, "shop/web", "dns/coredns", 54, Protocol.UDP));
        // The DNS edge to an app is written on its isolated ingress side too; pods of no app are not let in.
        Assert.False(Allowed(evaluator, "shop/other", "dns/coredns", 53, Protocol.UDP));
    }

    [Fact]
    public void Dns_peers_naming_an_unknown_app_are_an_error_with_a_location_not_a_crash()
    {
        var error = Assert.Single(BuildErrors("""
              defaults:
                dns: {peers: [{app: coredsn}]}
              apps:
                coredns: {namespace: dns, selector: {app: coredns}}
            """));
        AssertDiagnostic(error, DiagnosticCodes.IntentUnknownReference, 6, 25, ["defaults.dns.peers[0]", "no app is named \"coredsn\""], "did you mean \"coredns\"?");
    }

    [Fact]
    public void Dns_peers_are_not_the_podLabels_short_form_since_there_is_no_app_for_it_to_be_relative_to()
    {
        var error = Assert.Single(BuildErrors("""
              defaults:
                dns: {peers: [{podLabels: {k8s-app: kube-dns}}]}
            """));
        AssertDiagnostic(error, DiagnosticCodes.IntentMissingField, 6, 19, "podLabels alone names no namespace", "{namespace: kube-system, podLabels: {k8s-app: kube-dns}}");
    }

    [Fact]
    public void The_DNS_rule_is_an_egress_rule_and_leaves_DNS_servers_that_are_not_apps_alone()
    {
        // The default kube-dns peer is no app: nothing is written in kube-system, even when kube-system is managed.
        var result = Build("""
              namespaces:
                kube-system: {}
              apps:
                web: {namespace: shop, selector: {app: web}, calls: []}
            """);
        Assert.DoesNotContain(result.Policies, p => p.Plan.Namespace == "kube-system");
        var rule = Assert.Single(Assert.Single(result.Policies, p => p.Plan.Name == "web-egress").Parsed.Egress);
        Assert.Equal([(Protocol.UDP, 53), (Protocol.TCP, 53)], rule.Ports.Select(p => (Enum.Parse<Protocol>(p.Protocol!), p.Port!.Number!.Value)));
    }

    [Fact]
    public void Ingress_none_on_a_DNS_server_app_is_a_contradiction()
    {
        var error = Assert.Single(BuildErrors("""
              defaults:
                dns: {peers: [coredns]}
              apps:
                coredns: {namespace: dns, selector: {app: coredns}, ingress: none}
                web: {namespace: shop, selector: {app: web}, calls: []}
            """));
        Assert.Equal(DiagnosticCodes.IntentContradiction, error.Code);
        Assert.Contains("is a DNS server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Egress_none_on_an_app_that_another_apps_ingress_names_is_a_contradiction()
    {
        var error = Assert.Single(BuildErrors("""
              apps:
                web: {namespace: shop, selector: {app: web}, egress: none}
                api:
                  namespace: shop
                  selector: {app: api}
                  ingress:
                  - from: [web]
            """));
        AssertDiagnostic(error, DiagnosticCodes.IntentContradiction, 11, 9, "app \"api\" accepts app \"web\", which has egress: none", "remove egress: none from web");
    }

    [Fact]
    public void A_call_to_an_app_that_declares_no_ports_reaches_every_port()
    {
        var result = Build("""
              apps:
                web: {namespace: shop, selector: {app: web}, calls: [api]}
                api: {namespace: shop, selector: {app: api}, ingress: []}
            """);
        var evaluator = Cluster(result, ("shop", "web", "app=web", "10.1.0.1"), ("shop", "api", "app=api", "10.1.0.2"));
        Assert.True(Allowed(evaluator, "shop/web", "shop/api", 1));
        Assert.True(Allowed(evaluator, "shop/web", "shop/api", 65535, Protocol.SCTP));
    }

    [Theory]
    [InlineData("{namespace: traefik}", "podLabels is missing")]
    [InlineData("{podLabels: {app: traefik}}", "namespace is missing")]
    public void A_written_ingressController_preset_gives_both_namespace_and_podLabels(string preset, string message)
    {
        var error = Assert.Single(BuildErrors($"""
              presets:
                ingressController: {preset}
            """));
        AssertDiagnostic(error, DiagnosticCodes.IntentMissingField, 6, 24, message, "give both where the controller runs");
    }

    private const string Internet = """
          networks:
            all: 0.0.0.0/0
            office: 10.20.0.0/16
          apps:
            web: {namespace: shop, selector: {app: web}, calls: [{network: all}]}
            api: {namespace: shop, selector: {app: api}, calls: [{network: office}]}
          expect:

        """;

    [Fact]
    public void An_expectation_about_a_pod_holds_at_every_address_the_pod_could_have()
    {
        // 0.0.0.0/0 contains every pod address: the pods of another namespace are reached, wherever they run.
        Build(Internet + """
              - {from: web, to: {namespace: other, podLabels: {app: x}}, port: 80/TCP, allowed: true}
            """);
    }

    [Fact]
    public void An_expectation_fails_when_some_pod_address_gives_the_other_verdict_and_names_that_address()
    {
        var errors = BuildErrors(Internet + """
              - {from: api, to: {namespace: other, podLabels: {app: x}}, port: 80/TCP, allowed: false}
              - {from: api, to: {namespace: other, podLabels: {app: x}}, port: 80/TCP, allowed: true}
            """);
        Assert.Equal(2, errors.Length);
        Assert.All(errors, e => Assert.Equal(DiagnosticCodes.ExpectationFailed, e.Code));
        Assert.Contains("allow it when other/{app=x} has the pod address 10.20.0.0", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("except list", errors[0].Hint, StringComparison.Ordinal);
        Assert.Contains("deny it when other/{app=x} has the pod address 10.0.0.0", errors[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void The_public_internet_example_keeps_pods_out_only_with_its_except_list(bool withExcept, bool holds)
    {
        var text = File.ReadAllText(Path.Combine(ConformanceCase.RepositoryRoot(), "examples", "egress-public-internet-only", "intents.yaml"));
        if (!withExcept)
        {
            text = string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith("except:", StringComparison.Ordinal)));
        }

        var (intent, diagnostics) = Load(text);
        var result = BuildPipeline.Run(intent!, new BuildOptions(), diagnostics);
        var podsAreNotTheInternet = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.ExpectationFailed && d.Message.Contains("default/{app=db}", StringComparison.Ordinal));
        Assert.Equal(holds, !podsAreNotTheInternet.Any());
    }

    [Fact]
    public void PodNetwork_sets_the_addresses_an_expectation_tries_a_pod_at()
    {
        // Pods in the shared 100.64.0.0/10 range are not kept out by an RFC 1918 except list.
        var errors = BuildErrors("""
              podNetwork: 100.64.0.0/10
              networks:
                public: {cidr: 0.0.0.0/0, except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]}
              apps:
                crawler: {namespace: shop, selector: {app: crawler}, calls: [{network: public}]}
              expect:
              - {from: crawler, to: {namespace: shop, podLabels: {app: db}}, port: 5432/TCP, allowed: false}
            """);
        Assert.Contains("at every pod address of spec.podNetwork", Assert.Single(errors).Message, StringComparison.Ordinal);
    }
}
