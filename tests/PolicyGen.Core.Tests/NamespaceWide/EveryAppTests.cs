using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Pipeline;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.NamespaceWide;

/// <summary><c>everyApp</c> (per namespace and in <c>defaults</c>) and the errors of namespace-wide rules.</summary>
public sealed class EveryAppTests
{
    private const string Monitored = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        spec:
          defaults:
            everyApp:
              calls: [{network: logs, ports: [514/UDP]}]
          namespaces:
            shop:
              everyApp:
                ingress:
                - from: [{namespace: monitoring, podLabels: {app: prometheus}}]
                  ports: [metrics]
          networks:
            logs: [192.0.2.0/24]
          apps:
            web:
              namespace: shop
              selector: {app: web}
              ports: {http: 8080/TCP, metrics: 9090/TCP}
            api:
              namespace: shop
              selector: {app: api}
              ports: {http: 8000/TCP, metrics: 9100/TCP}
            batch:
              namespace: jobs
              selector: {app: batch}
        """;

    [Fact]
    public void EveryApp_rules_are_copied_into_each_app_with_its_own_port_numbers()
    {
        var intent = LoadValid(Monitored);
        var web = intent.FindApp("web")!;
        var api = intent.FindApp("api")!;
        var batch = intent.FindApp("batch")!;

        Assert.Equal(9090, Assert.Single(Assert.Single(web.Ingress).Ports).Low);
        Assert.Equal(9100, Assert.Single(Assert.Single(api.Ingress).Ports).Low);
        Assert.Empty(batch.Ingress); // the namespace's everyApp covers only shop
        Assert.Equal("/spec/namespaces/shop/everyApp/ingress/0", web.Ingress[0].Source.JsonPointer);

        // defaults.everyApp reaches every app, in every namespace, and isolates its egress (DNS added).
        Assert.All([web, api, batch], app => Assert.Equal("/spec/defaults/everyApp/calls/0", Assert.Single(app.Calls).Source.JsonPointer));

        var result = BuildPipeline.Run(intent, new BuildOptions());
        Assert.True(result.Succeeded, Dump(result.Diagnostics));
        Assert.Contains("port: 9100", result.Policies.Single(p => p.Plan.Id == "shop/api-ingress").Yaml, StringComparison.Ordinal);
        var batchEgress = result.Policies.Single(p => p.Plan.Id == "jobs/batch-egress").Yaml;
        Assert.Contains("cidr: 192.0.2.0/24", batchEgress, StringComparison.Ordinal);
        Assert.Contains("k8s-app: kube-dns", batchEgress, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_name_an_app_lacks_is_an_error_at_the_everyApp_rule_naming_those_apps()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            spec:
              namespaces:
                shop:
                  everyApp:
                    ingress:
                    - from: [{namespace: monitoring}]
                      ports: [metrics, 80/TCP]
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                api:
                  namespace: shop
                  selector: {app: api}
                  ports: {http: 8000/TCP}
                exporter:
                  namespace: shop
                  selector: {app: exporter}
                  ports: {metrics: 9100/TCP}
                batch:
                  namespace: jobs
                  selector: {app: batch}
            """);
        AssertDiagnostic(error, DiagnosticCodes.EveryAppPortUndeclared, 9, 19,
            ["namespace \"shop\": everyApp: ingress[0].ports", "apps \"web\", \"api\" declare no port named \"metrics\""],
            "declare it under the ports of web, api");
    }

    [Fact]
    public void A_port_name_in_a_namespace_wide_rule_is_an_error_with_a_way_out()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            spec:
              namespaces:
                secondary:
                  ingress:
                  - from: [{namespace: secondary}]
                    ports: [http]
            """);
        AssertDiagnostic(error, DiagnosticCodes.NamespaceRulePortName, 8, 17,
            ["namespace \"secondary\": ingress[0].ports", "\"http\""], "write the number");
    }

    [Theory]
    [InlineData("egress: none\n      calls: [{namespace: x}]", DiagnosticCodes.NamespaceRuleContradiction, 6, 15, "has egress: none but also calls")]
    [InlineData("ingres: []", DiagnosticCodes.IntentUnknownKey, 6, 7, "unknown key \"ingres\"")]
    [InlineData("everyApp: {ingress: [], egress: none}", DiagnosticCodes.IntentUnknownKey, 6, 31, "unknown key \"egress\"")]
    [InlineData("egress: all", DiagnosticCodes.IntentWrongType, 6, 15, "egress must be none")]
    public void Namespace_mistakes_are_errors_at_their_place(string keys, string code, int line, int column, string message)
    {
        var error = SingleError($"""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            spec:
              namespaces:
                secondary:
                  {keys}
            """);
        AssertDiagnostic(error, code, line, column, message, hint: error.Hint is null ? null : "");
    }

    [Fact]
    public void EveryApp_rules_against_an_app_that_closes_that_direction_are_contradictions()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            spec:
              defaults:
                everyApp:
                  ingress:
                  - from: [{namespace: monitoring}]
                  calls: [{namespace: logging}]
              apps:
                sealed:
                  namespace: shop
                  selector: {app: sealed}
                  ingress: none
                  egress: none
            """);
        Assert.Equal(2, errors.Length);
        AssertDiagnostic(errors[0], DiagnosticCodes.EveryAppContradiction, 7, 7, "app \"sealed\" has ingress: none", "remove ingress: none from sealed");
        AssertDiagnostic(errors[1], DiagnosticCodes.EveryAppContradiction, 8, 14, "app \"sealed\" has egress: none", "remove egress: none from sealed");
    }

    [Fact]
    public void Namespace_rules_that_contradict_an_app_are_errors_at_the_rule_or_the_app()
    {
        var errors = BuildErrors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            spec:
              namespaces:
                front:
                  calls: [db]
                back:
                  ingress:
                  - from: [{app: jailed}]
              apps:
                db:
                  namespace: back
                  selector: {app: db}
                  ingress: none
                jailed:
                  namespace: front
                  selector: {app: jailed}
                  egress: none
            """);
        Assert.Contains(errors, d => d.Code == DiagnosticCodes.NamespaceEdgeContradiction && d.Location!.Line == 6 && d.Message.Contains("namespace \"front\" calls app \"db\"", StringComparison.Ordinal));
        Assert.Contains(errors, d => d.Code == DiagnosticCodes.NamespaceEdgeContradiction && d.Location!.Line == 9 && d.Message.Contains("accepts app \"jailed\"", StringComparison.Ordinal));
        // jailed says egress: none, but front's namespace-wide calls (and DNS) open every pod of front.
        Assert.Contains(errors, d => d.Code == DiagnosticCodes.NamespaceEdgeContradiction && d.Location!.Line == 15 && d.Message.Contains("app \"jailed\" has egress: none", StringComparison.Ordinal));
        // db says ingress: none, but back's namespace-wide ingress rule accepts connections to every pod of back.
        Assert.Contains(errors, d => d.Code == DiagnosticCodes.NamespaceEdgeContradiction && d.Location!.Line == 11 && d.Message.Contains("app \"db\" has ingress: none", StringComparison.Ordinal));
    }

    [Fact]
    public void An_app_named_namespace_cannot_share_the_namespace_wide_policy_names()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            spec:
              namespaces:
                secondary: {ingress: none}
              apps:
                namespace:
                  namespace: secondary
                  selector: {app: ns}
            """);
        AssertDiagnostic(error, DiagnosticCodes.NamespacePolicyNameTaken, 7, 5, "namespace-ingress", "rename the app");
    }

    private static List<Diagnostic> BuildErrors(string text)
    {
        var intent = LoadValid(text);
        var result = BuildPipeline.Run(intent, new BuildOptions());
        Assert.False(result.Succeeded);
        return [.. result.Diagnostics.Where(d => d.Severity == Severity.Error)];
    }
}
