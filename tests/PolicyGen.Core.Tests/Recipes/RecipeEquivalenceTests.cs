using System.Collections.Immutable;
using PolicyGen.Evaluation;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using PolicyGen.Tests.Shared;

namespace PolicyGen.Core.Tests.Recipes;

/// <summary>
/// Every recipe example against the recipe itself (ahmetb/kubernetes-network-policy-recipes): the recipe's own
/// policies, retyped under Recipes/Data, and the example's intent compiled as <c>npgen build</c> compiles it, are
/// loaded into the evaluator on <see cref="RecipeWitness"/>; every ordered pair of ends on every probe port must
/// get the same verdict from both, except on the flows of the differences the example's README documents.
/// </summary>
public sealed class RecipeEquivalenceTests
{
    private const string RecipesRepository = "https://github.com/ahmetb/kubernetes-network-policy-recipes/blob/master/";

    private static readonly PortProbe Http = new(80, Protocol.TCP);

    private static readonly ImmutableArray<RecipeCase> All =
    [
        new("recipe-01-deny-all-to-app", "01", "01-deny-all-traffic-to-an-application.md", []),
        new("recipe-02-limit-to-app", "02", "02-limit-traffic-to-an-application.md", []),
        new("recipe-02a-allow-all-to-app", "02a", "02a-allow-all-traffic-to-an-application.md", []),
        new("recipe-03-ns-default-deny-ingress", "03", "03-deny-all-non-whitelisted-traffic-in-the-namespace.md", []),
        new("recipe-04-same-namespace-only", "04", "04-deny-traffic-from-other-namespaces.md", []),
        new("recipe-05-allow-from-all-namespaces", "05", "05-allow-traffic-from-all-namespaces.md", []),
        new("recipe-05-allow-from-all-namespaces-variant-one-port", "05", "05-allow-traffic-from-all-namespaces.md",
        [
            new("the variant opens only 80/TCP to the cluster's pods",
                f => f.To == "default/web" && !RecipeFlow.IsAddress(f.From) && f.Probe != Http, RecipeAllows: true, ExampleAllows: false),
        ]),
        new("recipe-06-allow-from-labelled-namespaces", "06", "06-allow-traffic-from-a-namespace.md", []),
        new("recipe-07-allow-pods-from-other-namespace", "07", "07-allow-traffic-from-some-pods-in-another-namespace.md", []),
        new("recipe-08-allow-external-clients", "08", "08-allow-external-traffic.md", []),
        new("recipe-08-allow-external-clients-variant-cidr", "08", "08-allow-external-traffic.md",
        [
            new("the variant admits only 203.0.113.0/24, on 80/TCP",
                f => f.To == "default/web" && !(f.From == "203.0.113.9" && f.Probe == Http), RecipeAllows: true, ExampleAllows: false),
        ]),
        new("recipe-09-allow-one-port", "09", "09-allow-traffic-only-to-a-port.md", []),
        new("recipe-10-allow-from-several-apps", "10", "10-allowing-traffic-with-multiple-selectors.md", []),
        new("recipe-11-deny-egress-from-app", "11", "11-deny-egress-traffic-from-an-application.md", []),
        new("recipe-11-deny-egress-from-app-variant-allow-dns", "11-variant-allow-dns", "11-deny-egress-traffic-from-an-application.md", []),
        new("recipe-12-ns-default-deny-egress", "12", "12-deny-all-non-whitelisted-traffic-from-the-namespace.md", []),
        new("recipe-14-deny-external-egress", "14", "14-deny-external-egress-traffic.md", []),
        new("recipe-14-deny-external-egress-variant-keep-cluster", "14-variant-keep-cluster", "14-deny-external-egress-traffic.md",
        [
            new("npgen pins DNS to kube-dns, so the old recipe's 53/UDP and 53/TCP to outside addresses is denied",
                f => f.From == "default/foo" && RecipeFlow.IsAddress(f.To) && f.Probe.Port == 53, RecipeAllows: true, ExampleAllows: false),
        ]),
    ];

    /// <summary>The recipes issue 18 asks for, each of which needs a main example named recipe-NN-...</summary>
    private static readonly string[] RecipeNumbers = ["01", "02", "02a", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "14"];

    private static string Root => ConformanceCase.RepositoryRoot();

    private static string DataRoot => Path.Combine(Root, "tests", "PolicyGen.Core.Tests", "Recipes", "Data");

    public static TheoryData<string> Examples() => [.. All.Select(c => c.Example)];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_allows_exactly_the_recipes_flows_but_the_documented_differences(string example)
    {
        var recipe = All.Single(c => c.Example == example);
        var pods = RecipeWitness.Pods();
        var reference = PolicyEvaluator.Create(pods with { Policies = RecipePolicies(recipe) });
        var generated = PolicyEvaluator.Create(pods with { Policies = ExamplePolicies(recipe) });
        var referenceMatrix = ReachabilityMatrix.Compute(reference, RecipeWitness.Probes);
        var generatedMatrix = ReachabilityMatrix.Compute(generated, RecipeWitness.Probes);

        var ends = pods.Endpoints.Select(e => e.Id).Concat(RecipeWitness.OutsideAddresses).ToList();
        var problems = new List<string>();
        var shown = new HashSet<DocumentedDifference>();
        var isolating = new HashSet<string>(StringComparer.Ordinal);
        var allowing = new HashSet<(string Direction, RuleRef Rule)>();
        for (var p = 0; p < RecipeWitness.Probes.Length; p++)
        {
            foreach (var from in ends)
            {
                foreach (var to in ends)
                {
                    if (from == to || (RecipeFlow.IsAddress(from) && RecipeFlow.IsAddress(to)))
                    {
                        continue; // self traffic is never policed; two outside ends are not the cluster's business
                    }

                    var flow = new RecipeFlow(from, to, RecipeWitness.Probes[p]);
                    var recipeVerdict = Evaluate(reference, referenceMatrix, p, flow);
                    var inRecipe = recipeVerdict.Allowed;
                    var inExample = Evaluate(generated, generatedMatrix, p, flow).Allowed;
                    foreach (var half in new[] { recipeVerdict.Ingress, recipeVerdict.Egress })
                    {
                        isolating.UnionWith(half.IsolatingPolicies);
                        allowing.UnionWith(half.AllowingRules.Select(r => (half.Direction.ToString(), r)));
                    }

                    var documented = recipe.Differences.Where(d => d.Applies(flow)).ToList();
                    if (documented.Count == 0)
                    {
                        if (inRecipe != inExample)
                        {
                            problems.Add($"{flow}: the recipe {Word(inRecipe)}, the example {Word(inExample)} (not a documented difference)");
                        }

                        continue;
                    }

                    foreach (var difference in documented)
                    {
                        shown.Add(difference);
                        if (inRecipe != difference.RecipeAllows || inExample != difference.ExampleAllows)
                        {
                            problems.Add($"{flow}: the recipe {Word(inRecipe)}, the example {Word(inExample)}; the documented difference " +
                                $"\"{difference.Description}\" says the recipe {Word(difference.RecipeAllows)} and the example {Word(difference.ExampleAllows)}");
                        }
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, $"{example} against recipe {recipe.RecipeFile}:\n{string.Join("\n", problems.Take(40))}" +
            (problems.Count > 40 ? $"\n... and {problems.Count - 40} more" : ""));
        foreach (var difference in recipe.Differences)
        {
            Assert.True(shown.Contains(difference), $"{example}: the documented difference \"{difference.Description}\" concerns no flow of the witness cluster");
        }

        // Not vacuous: every policy of the recipe selects some pod of the witness cluster, and every rule lets some flow through.
        foreach (var policy in reference.Cluster.Policies)
        {
            Assert.True(isolating.Contains(policy.Id), $"{example}: the recipe's {policy.Id} selects no pod of the witness cluster");
            foreach (var direction in new[] { PolicyDirection.Ingress, PolicyDirection.Egress })
            {
                for (var rule = 0; rule < policy.Rules(direction).Length; rule++)
                {
                    Assert.True(allowing.Contains((direction.ToString(), new RuleRef(policy.Id, rule))),
                        $"{example}: {direction} rule {rule} of the recipe's {policy.Id} allows no flow of the witness cluster");
                }
            }
        }
    }

    [Fact]
    public void Every_recipe_has_a_main_example_and_every_recipe_example_is_compared()
    {
        var folders = Directory.GetDirectories(Path.Combine(Root, "examples"), "recipe-*")
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(folders, All.Select(c => c.Example).Order(StringComparer.Ordinal));
        foreach (var number in RecipeNumbers)
        {
            var main = All.Where(c => c.Example.StartsWith($"recipe-{number}-", StringComparison.Ordinal) && !c.Example.Contains("-variant-", StringComparison.Ordinal)).ToList();
            Assert.True(main.Count == 1, $"recipe {number} needs exactly one example recipe-{number}-<slug> that is the recipe itself, found {main.Count}");
            Assert.StartsWith(number + "-", main[0].RecipeFile, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Readme_links_the_recipe_and_states_the_difference(string example)
    {
        var recipe = All.Single(c => c.Example == example);
        var readme = File.ReadAllText(Path.Combine(Root, "examples", example, "README.md"));
        Assert.Contains($"]({RecipesRepository}{recipe.RecipeFile})", readme, StringComparison.Ordinal);
        Assert.Contains("The difference is only", readme.Replace("\n", " ", StringComparison.Ordinal).Replace("  ", " ", StringComparison.Ordinal),
            StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"npgen build examples/{example}/intents.yaml", readme, StringComparison.Ordinal);
    }

    /// <summary>The recipe's policies, as retyped under Recipes/Data/&lt;folder&gt;.</summary>
    private static ImmutableArray<NetworkPolicy> RecipePolicies(RecipeCase recipe)
    {
        var files = Directory.GetFiles(Path.Combine(DataRoot, recipe.Data), "*.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        var loaded = ManifestLoader.Load([.. files.Select(f => new ManifestSource(Path.GetFileName(f), File.ReadAllText(f)))]);
        Assert.True(loaded.Diagnostics.IsEmpty, $"{recipe.Data}: {string.Join("\n", loaded.Diagnostics)}");
        Assert.Equal(files.Count, loaded.Cluster.Policies.Length);
        return loaded.Cluster.Policies;
    }

    /// <summary>The example's intent compiled as <c>npgen build</c> does, and its YAML read back as a cluster would read it.</summary>
    private static ImmutableArray<NetworkPolicy> ExamplePolicies(RecipeCase recipe)
    {
        var build = BuildPipeline.Run(Path.Combine(Root, "examples", recipe.Example, "intents.yaml"), new BuildOptions());
        Assert.True(build.Succeeded, $"{recipe.Example} does not build:\n{string.Join("\n", build.Diagnostics)}");
        Assert.NotEmpty(build.Policies);
        var loaded = ManifestLoader.Load([.. build.Policies.Select((p, i) => new ManifestSource($"generated-{i}.yaml", p.Yaml))]);
        Assert.True(loaded.Diagnostics.IsEmpty, $"{recipe.Example}: {string.Join("\n", loaded.Diagnostics)}");
        Assert.Equal(build.Policies.Length, loaded.Cluster.Policies.Length);
        return loaded.Cluster.Policies;
    }

    /// <summary>The evaluator's verdict; for two pods, the reachability matrix must agree with it.</summary>
    private static Verdict Evaluate(PolicyEvaluator evaluator, ReachabilityMatrix matrix, int probe, RecipeFlow flow)
    {
        Assert.True(evaluator.TryResolve(flow.From, out var source, out var error), error);
        Assert.True(evaluator.TryResolve(flow.To, out var destination, out error), error);
        var verdict = evaluator.Evaluate(source!, destination!, flow.Probe.Port, flow.Probe.Protocol);
        if (!source!.IsExternal && !destination!.IsExternal)
        {
            Assert.True(matrix.Get(probe, source.EndpointIndex, destination.EndpointIndex).Allowed == verdict.Allowed,
                $"{flow}: the matrix and the evaluator disagree");
        }

        return verdict;
    }

    private static string Word(bool allowed) => allowed ? "allows" : "denies";
}
