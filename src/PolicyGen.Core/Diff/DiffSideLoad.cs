using System.Collections.Immutable;

namespace PolicyGen.Diff;

/// <summary>A side as loaded, or why not; <see cref="Messages"/> are the lines to show on stderr (warnings too).</summary>
public sealed record DiffSideLoad(DiffSide? Side, ImmutableArray<string> Messages, DiffFailure Failure);
