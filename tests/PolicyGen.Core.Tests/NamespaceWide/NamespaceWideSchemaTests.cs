using System.Text.Json;
using Json.Schema;
using PolicyGen.Core.Tests.Intent;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;

namespace PolicyGen.Core.Tests.NamespaceWide;

/// <summary>The JSON Schema and the binder agree on namespace-wide rules and everyApp.</summary>
public sealed class NamespaceWideSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(IntentSchema.Text));

    private static string Document(string namespaces, string defaults = "{}") => $$$"""
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        spec:
          defaults: {{{defaults}}}
          namespaces: {{{namespaces}}}
          networks: {office: [10.20.0.0/16]}
          apps:
            web: {namespace: shop, selector: {app: web}, ports: {metrics: 9090/TCP}}
        """;

    private static bool SchemaAccepts(string yaml)
    {
        var json = YamlJson.Convert(yaml);
        using var document = JsonDocument.Parse(json?.ToJsonString() ?? "null");
        return Schema.Value.Evaluate(document.RootElement.Clone()).IsValid;
    }

    private static bool BinderAccepts(string yaml)
    {
        var (intent, diagnostics) = IntentLoader.LoadText("intents.yaml", yaml);
        return intent is not null && !diagnostics.HasErrors();
    }

    [Theory]
    [InlineData("{secondary: {ingress: [{from: [{namespace: secondary}], ports: [80/TCP]}]}}")]
    [InlineData("{secondary: {ingress: none, egress: none}}")]
    [InlineData("{secondary: {calls: [web, {network: office, ports: [443/TCP]}, {podLabels: {app: db}}], dns: false}}")]
    [InlineData("{shop: {managed: true, everyApp: {ingress: [{from: [{namespace: monitoring}], ports: [metrics]}], calls: []}}}")]
    public void Namespace_wide_forms_are_accepted_by_schema_and_binder(string namespaces)
    {
        var yaml = Document(namespaces);
        Assert.True(SchemaAccepts(yaml), yaml);
        Assert.True(BinderAccepts(yaml), yaml);
    }

    [Fact]
    public void DefaultsEveryApp_is_accepted_by_schema_and_binder()
    {
        var yaml = Document("{}", "{everyApp: {ingress: [{from: [{namespace: monitoring}], ports: [metrics]}]}}");
        Assert.True(SchemaAccepts(yaml), yaml);
        Assert.True(BinderAccepts(yaml), yaml);
    }

    [Theory]
    [InlineData("{secondary: {ingress: [{from: [{namespace: secondary}], ports: [http]}]}}")] // no app to resolve a name
    [InlineData("{secondary: {egress: all}}")]
    [InlineData("{secondary: {ingress: all}}")]
    [InlineData("{secondary: {everyApp: {egress: none}}}")]
    [InlineData("{secondary: {everyApp: {ingress: none}}}")]
    [InlineData("{secondary: {dns: maybe}}")]
    public void Namespace_wide_mistakes_are_rejected_by_schema_and_binder(string namespaces)
    {
        var yaml = Document(namespaces);
        Assert.False(SchemaAccepts(yaml), yaml);
        Assert.False(BinderAccepts(yaml), yaml);
    }
}
