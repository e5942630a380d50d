namespace PolicyGen.Cli.Completion;

/// <summary>One option as the shells complete it: its spellings, whether a value follows, and the values it accepts.</summary>
/// <param name="Names">The long name first, then its aliases (e.g. <c>--env</c>, <c>-e</c>).</param>
/// <param name="Description">The first line of the option's description.</param>
/// <param name="TakesValue">A value follows the option (false for flags such as <c>--force</c>).</param>
/// <param name="Choices">The only values it accepts; empty when any value (a file, a name) is fine.</param>
public sealed record CompletionOption(IReadOnlyList<string> Names, string Description, bool TakesValue, IReadOnlyList<string> Choices);
