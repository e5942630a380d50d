using PolicyGen.Diagnostics;
using PolicyGen.Pipeline;
using PolicyGen.Validation;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Intent;

/// <summary>
/// metadata.name is checked as a DNS subdomain (253 characters), but it is also written as the value
/// of every policy's npgen.dev/intent label, where IsValidLabelValue allows 63: the intent must say so
/// at the name's line, not the API server at apply time.
/// </summary>
public sealed class IntentNameLabelTests
{
    private static string Intent(string name) => $$"""
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata:
          name: {{name}}
        spec:
          namespaces:
            shop: {managed: true}
          apps:
            web:
              namespace: shop
              selector: {app: web}
        """;

    [Fact]
    public void A_63_character_name_builds_and_every_policy_carries_it_as_a_valid_label_value()
    {
        var name = "shop-" + new string('a', 58);
        Assert.Equal(63, name.Length);
        var build = BuildPipeline.Run(LoadValid(Intent(name)), new BuildOptions());
        Assert.True(build.Succeeded, Dump(build.Diagnostics));
        Assert.All(build.Policies, p =>
        {
            Assert.Equal(name, p.Parsed.Labels["npgen.dev/intent"]);
            Assert.Empty(PolicyValidator.Validate(p.Parsed));
        });
    }

    [Theory]
    [InlineData(64)]
    [InlineData(70)]
    [InlineData(253)]
    public void A_name_longer_than_a_label_value_is_an_error_at_its_line_and_column(int length)
    {
        var name = "shop-" + new string('a', length - 5);
        var error = SingleError(Intent(name));
        AssertDiagnostic(error, DiagnosticCodes.IntentBadName, 4, 9,
            ["metadata.name:", $"is {length} characters", "npgen.dev/intent label", "at most 63"],
            "shorten the name to 63 characters or fewer");
    }

    [Fact]
    public void The_ingress_controller_namespace_lands_in_a_selector_label_value_and_is_checked_where_it_is_written()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              presets:
                ingressController: {namespace: Ingress NGINX, podLabels: {app: nginx}}
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  ingress:
                  - from: [{preset: ingressController}]
            """);
        var error = Assert.Single(errors);
        AssertDiagnostic(error, DiagnosticCodes.IntentBadName, 6, 36,
            ["spec.presets.ingressController.namespace: \"Ingress NGINX\" is not a valid name"], "use lower-case letters");
    }
}
