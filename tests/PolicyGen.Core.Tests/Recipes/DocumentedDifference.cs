namespace PolicyGen.Core.Tests.Recipes;

/// <summary>
/// A difference between a recipe's hand-written policies and its example's generated policies that
/// the example's README documents: on every flow <see cref="Applies"/> selects, the recipe must give
/// <see cref="RecipeAllows"/> and the example <see cref="ExampleAllows"/>, and it must select at least one
/// flow of the witness cluster (a documented difference that never shows is stale).
/// </summary>
public sealed record DocumentedDifference(string Description, Func<RecipeFlow, bool> Applies, bool RecipeAllows, bool ExampleAllows);
