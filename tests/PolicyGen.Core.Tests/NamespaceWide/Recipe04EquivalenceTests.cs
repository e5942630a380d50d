using PolicyGen.Core.Tests.Evaluation;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.NamespaceWide;

/// <summary>
/// Recipe 04 ("DENY all traffic from other namespaces") is expressible exactly with a namespace-wide
/// rule: the generated policies and the recipe's own policy give equal verdicts on a witness cluster.
/// </summary>
public sealed class Recipe04EquivalenceTests
{
    /// <summary>
    /// The recipe's policy as published in ahmetb/kubernetes-network-policy-recipes
    /// (04-deny-traffic-from-other-namespaces.md, Apache-2.0): the null matchLabels selects every pod.
    /// </summary>
    private const string RecipePolicy = """
        kind: NetworkPolicy
        apiVersion: networking.k8s.io/v1
        metadata:
          namespace: secondary
          name: deny-from-other-namespaces
        spec:
          podSelector:
            matchLabels:
          ingress:
          - from:
            - podSelector: {}
        """;

    /// <summary>
    /// The walkthrough's namespaces (default, secondary) and one more; in secondary a pod of an app,
    /// a pod with the app's labels no app of the intent declares, and pods without labels.
    /// </summary>
    private static Scenario Cluster() => Scenario.Create()
        .Namespace("default")
        .Namespace("secondary")
        .Namespace("other", "purpose=testing")
        .Pods("""
            secondary/web app=web ip=10.0.1.1 port=80
            secondary/db app=db ip=10.0.1.2 port=5432
            secondary/bare ip=10.0.1.3
            default/client run=client ip=10.0.2.1
            default/web app=web ip=10.0.2.2 port=80
            other/web app=web ip=10.0.3.1
            other/bare ip=10.0.3.2
            """);

    public static TheoryData<string> Intents() => new()
    {
        // The recipe alone: no apps at all.
        """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: recipe-04}
        spec:
          namespaces:
            secondary:
              ingress:
              - from: [{namespace: secondary}]
        """,
        // With the walkthrough's web app declared in secondary (open otherwise): the namespace rule still decides.
        """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: recipe-04}
        spec:
          namespaces:
            secondary:
              ingress:
              - from: [{namespace: secondary}]
          apps:
            web:
              namespace: secondary
              selector: {app: web}
              ports: {http: 80/TCP}
        """,
    };

    [Theory]
    [MemberData(nameof(Intents))]
    public void The_generated_policies_allow_exactly_the_flows_of_the_recipe(string intent)
    {
        var result = BuildPipeline.Run(LoadValid(intent), new BuildOptions());
        Assert.True(result.Succeeded, Dump(result.Diagnostics));
        var generated = Assert.Single(result.Policies); // one policy, like the recipe: podSelector: {} in secondary
        Assert.Equal("secondary/namespace-ingress", generated.Plan.Id);
        Assert.Contains("podSelector: {}", generated.Yaml, StringComparison.Ordinal);

        var recipe = Cluster().Manifest(RecipePolicy).Build();
        var ours = Cluster().Manifest(generated.Yaml).Build();
        var probes = new (int Port, Protocol Protocol)[] { (80, Protocol.TCP), (5432, Protocol.TCP), (53, Protocol.UDP), (1, Protocol.SCTP) };
        var anyDenied = false;
        foreach (var (port, protocol) in probes)
        {
            Assert.Equal(recipe.AllowedPairs(port, protocol), ours.AllowedPairs(port, protocol));
            foreach (var address in new[] { "203.0.113.9", "10.0.9.9" })
            {
                foreach (var pod in recipe.Evaluator.Cluster.Endpoints.Select(e => e.Id))
                {
                    Assert.Equal(recipe.Allowed(address, pod, port, protocol), ours.Allowed(address, pod, port, protocol));
                    Assert.Equal(recipe.Allowed(pod, address, port, protocol), ours.Allowed(pod, address, port, protocol));
                    anyDenied |= !recipe.Allowed(address, pod, port, protocol);
                }
            }
        }

        // The comparison is not vacuous: the recipe denies other namespaces and allows its own.
        Assert.True(anyDenied);
        Assert.False(recipe.Allowed("default/client", "secondary/bare", 80));
        Assert.True(recipe.Allowed("secondary/db", "secondary/bare", 80));
    }
}
