using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Validation;

namespace PolicyGen.Core.Tests.ClusterPolicies;

/// <summary>S18.8: the API's schema and CEL rules for the cluster policy kinds, each an error with a location and a hint.</summary>
public sealed class ClusterPolicyValidatorTests
{
    private static List<Diagnostic> Problems(string yaml)
    {
        var loaded = ManifestLoader.LoadText("p.yaml", yaml);
        Assert.Empty(loaded.Diagnostics);
        return [.. ClusterPolicyValidator.Validate(loaded.Cluster)];
    }

    [Theory]
    [InlineData("priority: 1001", "NPG522", "spec.priority: Invalid value: 1001: should be between 0 and 1000")]
    [InlineData("priority: 1\n  subject: {namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}", "NPG523", "spec.subject: must set exactly one of namespaces or pods")]
    [InlineData("priority: 1\n  ingress: [{action: Accept, from: [{namespaces: {}}]}]", "NPG525", "spec.ingress[0].action: Unsupported value: \"Accept\"")]
    [InlineData("priority: 1\n  ingress: [{action: Deny, from: [{networks: [10.0.0.0/8]}]}]", "NPG526", "spec.ingress[0].from[0]: ingress peers can only be namespaces or pods")]
    [InlineData("priority: 1\n  egress: [{action: Deny, to: [{networks: [10.0.0.300/8]}]}]", "NPG526", "Invalid CIDR format provided")]
    [InlineData("priority: 1\n  egress: [{action: Deny, to: [{networks: [10.0.0.0/8]}], ports: [{namedPort: http}]}]", "NPG527", "networks/nodes/domainNames peer cannot be set with namedPorts")]
    [InlineData("priority: 1\n  egress: [{action: Deny, to: [{namespaces: {}}], ports: [{portRange: {start: 90, end: 80}}]}]", "NPG527", "Start port must be less than End port")]
    [InlineData("priority: 1\n  egress: [{action: Deny, to: [{namespaces: {}}], ports: [{portNumber: {protocol: tcp, port: 80}}]}]", "NPG527", "Unsupported value: \"tcp\"")]
    [InlineData("priority: 1\n  egress: [{action: Deny, to: []}]", "NPG524", "spec.egress[0].to: Required value")]
    public void S18_8_an_AdminNetworkPolicy_the_API_rejects_is_an_error_with_code_location_and_hint(string spec, string code, string message)
    {
        var problems = Problems($"apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {{name: bad}}\nspec:\n  {(spec.Contains("subject", StringComparison.Ordinal) ? "" : "subject: {namespaces: {}}\n  ")}{spec}\n");
        var problem = Assert.Single(problems);
        Assert.Equal((code, Severity.Error), (problem.Code, problem.Severity));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.Equal("p.yaml", problem.Location?.File);
        Assert.True(problem.Location!.Line > 3, problem.ToString());
        Assert.False(string.IsNullOrEmpty(problem.Hint));
    }

    [Fact]
    public void S18_8_a_BaselineAdminNetworkPolicy_must_be_named_default_and_cannot_Pass()
    {
        var problems = Problems("apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: base}\nspec:\n  subject: {namespaces: {}}\n  egress: [{action: Pass, to: [{namespaces: {}}]}]\n");
        Assert.Equal(["NPG520", "NPG525"], problems.Select(p => p.Code).Order());
    }

    [Fact]
    public void S18_8_a_ClusterNetworkPolicy_needs_a_tier_and_takes_at_most_25_rules()
    {
        var rules = string.Concat(Enumerable.Repeat("  - {action: Deny, to: [{namespaces: {}}]}\n", 26));
        var problems = Problems($"apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {{name: c}}\nspec:\n  priority: 1\n  subject: {{namespaces: {{}}}}\n  egress:\n{rules}");
        Assert.Equal(["NPG522", "NPG524"], problems.Select(p => p.Code).Order());
    }

    [Fact]
    public void S18_8_a_valid_policy_of_each_kind_has_no_problem()
    {
        Assert.Empty(Problems("""
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: a}
            spec:
              priority: 0
              subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: x}}}}
              egress: [{action: Pass, to: [{nodes: {}}, {networks: ["fd00::/8"]}], ports: [{portNumber: {port: 443}}]}]
            ---
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: BaselineAdminNetworkPolicy
            metadata: {name: default}
            spec: {subject: {namespaces: {}}, ingress: [{action: Deny, from: [{namespaces: {}}]}]}
            ---
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: c}
            spec:
              tier: Baseline
              priority: 1000
              subject: {namespaces: {}}
              ingress: [{action: Accept, from: [{namespaces: {}}], protocols: [{udp: {destinationPort: {range: {start: 1, end: 2}}}}, {destinationNamedPort: dns}]}]
            """));
    }
}
