using PolicyGen.Diagnostics;
using PolicyGen.Pipeline;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.NamespaceWide;

/// <summary>
/// Namespace-wide rules (<c>spec.namespaces.&lt;ns&gt;.ingress</c>, <c>calls</c>, <c>ingress: none</c>,
/// <c>egress: none</c>, <c>dns</c>): what they compile to, how they isolate the apps of the
/// namespace, and that the proof and the expectations see them.
/// </summary>
public sealed class NamespaceWideRuleTests
{
    private static BuildResult Build(string intent, params (string Path, string? Text)[] overlays)
        => BuildPipeline.Run(LoadValid(intent, overlays), new BuildOptions());

    private static BuildResult BuildOk(string intent, params (string Path, string? Text)[] overlays)
    {
        var result = Build(intent, overlays);
        Assert.True(result.Succeeded, Dump(result.Diagnostics));
        Assert.Empty(result.Verification!.Mismatches);
        return result;
    }

    private static GeneratedPolicy Policy(BuildResult result, string id) => result.Policies.Single(p => p.Plan.Id == id);

    private static string[] Ids(BuildResult result) => [.. result.Policies.Select(p => p.Plan.Id)];

    private const string Secondary = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: ns}
        spec:
          namespaces:
            secondary:
              ingress:
              - from: [{namespace: secondary}]
                ports: [80/TCP]
              calls:
              - {namespace: secondary}
          apps:
            web:
              namespace: secondary
              selector: {app: web}
              ports: {http: 80/TCP}
        """;

    [Fact]
    public void Namespace_rules_become_podSelector_everything_policies_with_DNS_on_the_egress()
    {
        var result = BuildOk(Secondary);
        Assert.Equal(["secondary/namespace-egress", "secondary/namespace-ingress"], Ids(result));

        var ingress = Policy(result, "secondary/namespace-ingress");
        Assert.Contains("spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n", ingress.Yaml, StringComparison.Ordinal);
        Assert.Contains("kubernetes.io/metadata.name: secondary", ingress.Yaml, StringComparison.Ordinal);
        Assert.Contains("port: 80", ingress.Yaml, StringComparison.Ordinal);
        Assert.Contains("npgen.dev/source: intents.yaml#/spec/namespaces/secondary", ingress.Yaml, StringComparison.Ordinal);

        var egress = Policy(result, "secondary/namespace-egress");
        Assert.Contains("spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n", egress.Yaml, StringComparison.Ordinal);
        Assert.Contains("k8s-app: kube-dns", egress.Yaml, StringComparison.Ordinal); // the automatic DNS rule
        Assert.Contains("egress[1]=intents.yaml#/spec/defaults/dns", egress.Yaml, StringComparison.Ordinal);

        // web has no rules of its own: the namespace's policies isolate it and no web-* policy is needed.
        Assert.DoesNotContain(result.Policies, p => p.Plan.Name.StartsWith("web-", StringComparison.Ordinal));
    }

    [Fact]
    public void Egress_none_writes_an_empty_egress_without_DNS_and_dns_false_drops_only_DNS()
    {
        var none = BuildOk("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            spec:
              namespaces:
                locked: {egress: none, ingress: none}
            """);
        Assert.Equal(["locked/namespace-egress", "locked/namespace-ingress"], Ids(none));
        Assert.EndsWith("  egress: []\n", Policy(none, "locked/namespace-egress").Yaml, StringComparison.Ordinal);
        Assert.EndsWith("  ingress: []\n", Policy(none, "locked/namespace-ingress").Yaml, StringComparison.Ordinal);

        var noDns = BuildOk("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            spec:
              namespaces:
                quiet:
                  dns: false
                  calls: [{network: partner, ports: [443/TCP]}]
              networks:
                partner: [203.0.113.0/28]
            """);
        var egress = Policy(noDns, "quiet/namespace-egress").Yaml;
        Assert.Contains("cidr: 203.0.113.0/28", egress, StringComparison.Ordinal);
        Assert.DoesNotContain("kube-dns", egress, StringComparison.Ordinal);
    }

    [Fact]
    public void An_app_isolated_only_by_its_namespace_gets_the_edges_other_apps_declare_towards_it()
    {
        // api declares nothing; before namespace-wide rules it stayed open. Now namespace-ingress
        // isolates it, so web's call must be written on api's side as well.
        var result = BuildOk("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            spec:
              namespaces:
                backend:
                  ingress:
                  - from: [{namespace: backend}]
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls: [api]
                api:
                  namespace: backend
                  selector: {app: api}
                  ports: {http: 8080/TCP}
              expect:
              - {from: web, to: api, port: http, allowed: true}
              - {from: {namespace: shop, podLabels: {app: other}}, to: api, port: http, allowed: false}
            """);
        var apiIngress = Policy(result, "backend/api-ingress").Yaml;
        Assert.Contains("app: web", apiIngress, StringComparison.Ordinal);
        Assert.Contains("kubernetes.io/metadata.name: shop", apiIngress, StringComparison.Ordinal);
        Assert.Contains("backend/namespace-ingress", Ids(result));
    }

    [Fact]
    public void A_namespace_rule_naming_an_app_is_written_on_the_apps_isolated_side_too()
    {
        // secondary accepts web (which calls nothing else, so web's egress is an allow-list): web's
        // egress must reach every pod of secondary on 80/TCP.
        var result = BuildOk("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            spec:
              namespaces:
                secondary:
                  ingress:
                  - from: [web]
                    ports: [80/TCP]
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls: []
              expect:
              - {from: web, to: {namespace: secondary}, port: 80/TCP, allowed: true}
              - {from: web, to: {namespace: secondary}, port: 81/TCP, allowed: false}
            """);
        var webEgress = Policy(result, "shop/web-egress").Yaml;
        Assert.Contains("kubernetes.io/metadata.name: secondary", webEgress, StringComparison.Ordinal);
        Assert.Contains("port: 80", webEgress, StringComparison.Ordinal);
    }

    [Fact]
    public void Expectations_see_the_namespace_wide_effect_on_pods_of_no_app()
    {
        const string Intent = """
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            spec:
              namespaces:
                secondary:
                  ingress:
                  - from: [{namespace: secondary}]
              expect:
              - {from: {namespace: secondary}, to: {namespace: secondary, podLabels: {app: anything}}, port: 80/TCP, allowed: true}
              - {from: {namespace: default}, to: {namespace: secondary}, port: 80/TCP, allowed: ALLOWED}
            """;
        BuildOk(Intent.Replace("ALLOWED", "false", StringComparison.Ordinal));

        var wrong = Build(Intent.Replace("ALLOWED", "true", StringComparison.Ordinal));
        Assert.False(wrong.Succeeded);
        var failed = Assert.Single(wrong.Diagnostics, d => d.Code == DiagnosticCodes.ExpectationFailed);
        Assert.Equal(10, failed.Location!.Line);
    }

    [Fact]
    public void An_overlay_replaces_namespace_rules_and_adds_to_them_like_app_keys()
    {
        // The base lets secondary accept its own namespace; prod closes ingress outright, dev adds a rule.
        var prod = BuildOk(Secondary, ("environments/prod.yaml", """
            spec:
              namespaces:
                secondary:
                  ingress: none
            """));
        Assert.EndsWith("  ingress: []\n", Policy(prod, "secondary/namespace-ingress").Yaml, StringComparison.Ordinal);

        var dev = BuildOk(Secondary, ("environments/dev.yaml", """
            spec:
              namespaces:
                secondary:
                  ingress:
                  - from: [{network: office}]
                  everyApp:
                    calls: [{network: office, ports: [22/TCP]}]
              networks:
                office: [10.20.0.0/16]
            """));
        var ingress = Policy(dev, "secondary/namespace-ingress");
        Assert.Contains("cidr: 10.20.0.0/16", ingress.Yaml, StringComparison.Ordinal);
        Assert.Contains("ingress[1]=dev.yaml#/spec/namespaces/secondary/ingress/1", ingress.Yaml, StringComparison.Ordinal);
        Assert.Contains("port: 22", Policy(dev, "secondary/web-egress").Yaml, StringComparison.Ordinal);
    }
}
