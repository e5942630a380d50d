using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Diff;

/// <summary>
/// What <c>git:REF:PATH</c> names: the commit REF resolved to, and the file at PATH (or every file
/// under the directory PATH), or diagnostics saying why not. <see cref="Failure"/> is set when the
/// repository, the revision or the path cannot be found.
/// </summary>
public sealed record RevisionContent(string? Commit, bool IsDirectory, string RepositoryPath, ImmutableArray<RevisionFile> Files,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Failed => Diagnostics.HasErrors();

    /// <summary>Reads another file of the same revision (an environment overlay next to the intent); null when absent.</summary>
    public Func<string, string?> ReadSibling { get; init; } = _ => null;
}
