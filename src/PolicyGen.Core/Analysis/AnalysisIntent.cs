using System.Collections.Immutable;

namespace PolicyGen.Analysis;

/// <summary>
/// <c>--intent INTENT [--env E] [--overlay F]</c>: evaluate under the policies this intent
/// generates. <see cref="Usage"/> is the command line up to the intent, for hints.
/// </summary>
public sealed record AnalysisIntent(string Argument, string? Environment, ImmutableArray<string> Overlays, string Usage);
