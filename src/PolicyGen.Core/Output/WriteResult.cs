using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Output;

/// <summary>
/// What <see cref="OutputDirectoryWriter.Write"/> did, or for <see cref="OutputDirectoryWriter.Plan"/>
/// what it would do. Paths are relative to the output directory, '/'-separated and sorted ordinally.
/// When the set of files is refused (any error found while planning) all three lists are empty:
/// nothing was, or would be, changed.
/// </summary>
/// <param name="Written">Files created or replaced because their content changed.</param>
/// <param name="Unchanged">Files that already had exactly this content and were left alone (mtime kept).</param>
/// <param name="Deleted">Stale npgen-owned files removed because they are no longer in the generated set.</param>
/// <param name="Diagnostics">Errors and warnings; see docs/errors.md, codes NPG5xx.</param>
public sealed record WriteResult(
    ImmutableArray<string> Written,
    ImmutableArray<string> Unchanged,
    ImmutableArray<string> Deleted,
    ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>True when no error was reported (warnings allowed).</summary>
    public bool Succeeded => !Diagnostics.HasErrors();

    /// <summary>With <c>--replace-environment</c>: whose output for which environment was replaced, one line each.</summary>
    public ImmutableArray<string> Replaced { get; init; } = [];

    internal static WriteResult Failed(ImmutableArray<Diagnostic> diagnostics) => new([], [], [], diagnostics);
}
