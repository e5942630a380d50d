namespace PolicyGen.Commit;

/// <summary>
/// What a repository's HEAD names after npgen made the first push into it. <c>git init --bare</c>
/// leaves HEAD at its default branch (often <c>master</c>); when npgen pushes <c>main</c>, a clone
/// of that repository checks out nothing until HEAD names <c>main</c>.
/// </summary>
public enum RemoteHeadState
{
    /// <summary>HEAD already names the pushed branch (or resolves to its commit).</summary>
    AlreadyThere,

    /// <summary>A bare repository reached by path: npgen pointed its unborn HEAD at the pushed branch.</summary>
    Pointed,

    /// <summary>HEAD names a branch that does not exist (or another one): the output says how to fix it.</summary>
    Elsewhere,

    /// <summary>The remote did not say (an old server, an unreachable listing).</summary>
    Unknown,
}
