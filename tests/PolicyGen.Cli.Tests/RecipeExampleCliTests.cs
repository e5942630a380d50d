namespace PolicyGen.Cli.Tests;

/// <summary>
/// The recipe examples (examples/recipe-*) as a user runs them from their READMEs: <c>npgen build</c> prints
/// NetworkPolicies and exits 0, <c>npgen verify</c> proves them and exits 0. Whether they are the recipes,
/// flow for flow, is RecipeEquivalenceTests' job (PolicyGen.Core.Tests).
/// </summary>
public sealed class RecipeExampleCliTests
{
    public static TheoryData<string> RecipeExamples() => [.. RecipeExampleNames()];

    private static List<string> RecipeExampleNames()
        => [.. Directory.GetDirectories(Path.Combine(Npgen.Repo, "examples"), "recipe-*")
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_recipe_the_issue_names_has_an_example()
    {
        var names = RecipeExampleNames();
        foreach (var number in new[] { "01", "02", "02a", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "14" })
        {
            Assert.Contains(names, n => n.StartsWith($"recipe-{number}-", StringComparison.Ordinal) && !n.Contains("-variant-", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(RecipeExamples))]
    public void Recipe_example_builds_and_verifies_with_the_cli(string example)
    {
        var intent = $"examples/{example}/intents.yaml";
        var build = Npgen.Run("build", intent);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("kind: NetworkPolicy\n", build.StdOut, StringComparison.Ordinal);

        var verify = Npgen.Run("verify", intent);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith("verified: ", verify.StdOut, StringComparison.Ordinal);
    }
}
