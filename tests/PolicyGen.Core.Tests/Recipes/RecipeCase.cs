using System.Collections.Immutable;

namespace PolicyGen.Core.Tests.Recipes;

/// <summary>
/// One recipe example: <see cref="Example"/> is its folder under examples/, <see cref="Data"/> the folder under
/// Recipes/Data holding the recipe's policies as written upstream, <see cref="RecipeFile"/> the recipe's file in
/// ahmetb/kubernetes-network-policy-recipes (the README links it), and <see cref="Differences"/> every flow
/// difference the README documents; none means the example allows exactly the recipe's flows.
/// </summary>
public sealed record RecipeCase(string Example, string Data, string RecipeFile, ImmutableArray<DocumentedDifference> Differences)
{
    public override string ToString() => Example;
}
