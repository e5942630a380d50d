namespace PolicyGen.Diff;

/// <summary>Where one side of <c>npgen diff</c> comes from, as the user wrote it.</summary>
public enum DiffSideKind
{
    /// <summary>A file or directory on disk: an intent file, or policies.</summary>
    Path,

    /// <summary><c>-</c>: policies on standard input.</summary>
    StandardInput,

    /// <summary><c>git:REF:PATH</c>: a file or directory as a revision of the repository holds it.</summary>
    GitRevision,
}

/// <summary>
/// One side of a diff: <c>PATH</c>, <c>-</c> or <c>git:REF:PATH</c>. A git PATH is relative to the
/// repository root, or to the current directory when it starts with <c>./</c> or <c>../</c> (as in
/// <c>git show REF:./PATH</c>).
/// </summary>
public sealed record DiffSideSpec(DiffSideKind Kind, string Text, string Path, string? Revision)
{
    public const string GitPrefix = "git:";

    /// <summary>Parses an argument; null with a reason when it is a <c>git:</c> argument without REF or PATH.</summary>
    public static (DiffSideSpec? Spec, string? Error) Parse(string text)
    {
        if (text == "-")
        {
            return (new DiffSideSpec(DiffSideKind.StandardInput, text, "-", null), null);
        }

        if (!text.StartsWith(GitPrefix, StringComparison.Ordinal))
        {
            return (new DiffSideSpec(DiffSideKind.Path, text, text, null), null);
        }

        var rest = text[GitPrefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == rest.Length - 1)
        {
            return (null, $"\"{text}\" is not git:REF:PATH");
        }

        return (new DiffSideSpec(DiffSideKind.GitRevision, text, rest[(colon + 1)..], rest[..colon]), null);
    }

    public override string ToString() => Text;
}
