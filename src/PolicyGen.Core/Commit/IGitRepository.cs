namespace PolicyGen.Commit;

/// <summary>
/// A Git repository with a working tree, as npgen needs it: read a commit's files, stage and
/// commit paths, fetch, reset and push one branch. Implemented with LibGit2Sharp in PolicyGen.Git;
/// the core never calls Git any other way. Paths are relative to the working tree, '/'-separated.
/// Remote operations throw <see cref="GitException"/>.
/// </summary>
public interface IGitRepository : IDisposable
{
    /// <summary>The working tree's root, absolute, without a trailing separator.</summary>
    string WorkingDirectory { get; }

    /// <summary>The checked-out branch's short name (<c>main</c>), or null when HEAD is detached.</summary>
    string? CurrentBranch { get; }

    /// <summary>The commit HEAD points at, or null on a branch without commits yet.</summary>
    string? HeadCommit { get; }

    /// <summary>Every file under <paramref name="directory"/> ("" for all) in a commit.</summary>
    IReadOnlyList<RepoFile> ReadFiles(string commit, string directory);

    /// <summary>Tracked paths whose index entry differs from HEAD (<paramref name="staged"/>) or whose working-tree file differs from the index.</summary>
    IReadOnlyList<string> ChangedPaths(bool staged);

    /// <summary>Stages each path as it is in the working tree: added, modified, or removed when the file is gone.</summary>
    void Stage(IEnumerable<string> paths);

    /// <summary>Whether the index holds exactly the tree of <paramref name="commit"/> (null: the empty tree).</summary>
    bool IndexMatches(string? commit);

    /// <summary>Commits the index on the current branch (or detached HEAD); returns the new commit's id.</summary>
    string Commit(string message, GitIdentity author, GitIdentity committer);

    CommitInfo GetCommit(string sha);

    /// <summary>Commits reachable from <paramref name="tip"/> but not from <paramref name="exclude"/>, newest first.</summary>
    IReadOnlyList<CommitInfo> Log(string tip, string? exclude);

    bool IsAncestor(string ancestor, string descendant);

    /// <summary>The remote and remote branch a local branch tracks, if configured.</summary>
    (string Remote, string Branch)? Upstream(string branch);

    /// <summary>The remote's URL with any user name and password removed, for messages.</summary>
    string? RemoteDisplayUrl(string remote);

    /// <summary>Fetches one branch into <c>refs/remotes/REMOTE/BRANCH</c>; returns its tip, or null when the remote has no such branch.</summary>
    string? FetchBranch(string remote, string branch);

    /// <summary>True when the remote has no branches at all (a new, empty repository).</summary>
    bool RemoteHasNoBranches(string remote);

    /// <summary>
    /// Makes <paramref name="branch"/> the checked-out branch at <paramref name="commit"/> (null: a
    /// branch without commits) and resets index and working tree to it. With
    /// <paramref name="removeUntracked"/>, untracked files go too (only for npgen's own clones).
    /// </summary>
    void ResetHard(string branch, string? commit, bool removeUntracked);

    /// <summary>
    /// Paths in <paramref name="commit"/> stored as symbolic links at a component of
    /// <paramref name="directory"/> (<c>apps</c> of <c>apps/shop</c>), at the directory itself, or
    /// anywhere beneath it ("" for the whole tree).
    /// </summary>
    IReadOnlyList<string> SymbolicLinks(string commit, string directory);

    /// <summary>
    /// After the first push of <paramref name="branch"/> into an empty repository: a bare
    /// repository reached by path whose HEAD names a branch that does not exist gets HEAD pointed
    /// at <paramref name="branch"/>; any other remote is only asked what its HEAD names.
    /// </summary>
    RemoteHeadState AlignRemoteHead(string remote, string branch);

    /// <summary>
    /// Pushes local <paramref name="localBranch"/> to <paramref name="remoteBranch"/>. Throws
    /// <see cref="GitException"/> with <see cref="GitFailure.NonFastForward"/> when the remote moved
    /// and <see cref="GitFailure.Rejected"/> (with the server's messages) when the server refused.
    /// </summary>
    void Push(string remote, string localBranch, string remoteBranch, bool force);
}
