using System.Collections.Immutable;
using PolicyGen.Commit;

namespace PolicyGen.Core.Tests.Commit;

/// <summary>
/// An <see cref="IGitRepository"/> whose history, index and remote live in memory (one remote,
/// <c>origin</c>), for tests of <see cref="PolicyPublisher"/>'s decisions without a Git server.
/// The working tree is a real directory, because the publisher writes its files with the same
/// writer as <c>npgen build -o</c>. It has no symbolic links and no merge: what the publisher needs.
/// </summary>
internal sealed class InMemoryGitRepository(string workingDirectory, InMemoryRemote origin) : IGitRepository
{
    private static readonly ImmutableSortedDictionary<string, byte[]> NoFiles = ImmutableSortedDictionary.Create<string, byte[]>(StringComparer.Ordinal);

    private readonly Dictionary<string, string> branches = new(StringComparer.Ordinal);
    private ImmutableSortedDictionary<string, byte[]> index = NoFiles;

    public string WorkingDirectory { get; } = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workingDirectory));

    public string? CurrentBranch { get; private set; } = "main";

    public string? HeadCommit => CurrentBranch is null ? null : branches.GetValueOrDefault(CurrentBranch);

    /// <summary>The upstream <see cref="Upstream"/> reports for every branch: <c>origin/&lt;same name&gt;</c> unless cleared.</summary>
    public bool TracksOrigin { get; set; } = true;

    public void Dispose()
    {
    }

    public IReadOnlyList<RepoFile> ReadFiles(string commit, string directory)
        => [.. origin.Objects[commit].Files.Where(f => IsUnder(f.Key, directory)).Select(f => new RepoFile(f.Key, f.Value))];

    public IReadOnlyList<string> ChangedPaths(bool staged)
    {
        if (staged)
        {
            var head = Files(HeadCommit);
            return [.. index.Keys.Union(head.Keys, StringComparer.Ordinal)
                .Where(p => !index.TryGetValue(p, out var a) || !head.TryGetValue(p, out var b) || !a.AsSpan().SequenceEqual(b))
                .Order(StringComparer.Ordinal)];
        }

        return [.. index.Where(f => ReadWorkingFile(f.Key) is not { } content || !content.AsSpan().SequenceEqual(f.Value)).Select(f => f.Key)];
    }

    public void Stage(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            index = ReadWorkingFile(path) is { } content ? index.SetItem(path, content) : index.Remove(path);
        }
    }

    public bool IndexMatches(string? commit)
    {
        var tree = Files(commit);
        return tree.Count == index.Count && tree.All(f => index.TryGetValue(f.Key, out var c) && c.AsSpan().SequenceEqual(f.Value));
    }

    public string Commit(string message, GitIdentity author, GitIdentity committer)
    {
        var commit = origin.NewCommit(index, HeadCommit is { } head ? [head] : [], message, author);
        branches[CurrentBranch!] = commit.Sha;
        return commit.Sha;
    }

    public CommitInfo GetCommit(string sha) => origin.Objects[sha].Info;

    public IReadOnlyList<CommitInfo> Log(string tip, string? exclude)
    {
        var excluded = origin.Reachable(exclude);
        return [.. origin.Reachable(tip).Where(s => !excluded.Contains(s)).Select(s => origin.Objects[s])
            .OrderByDescending(c => c.Sequence).Select(c => c.Info)];
    }

    public bool IsAncestor(string ancestor, string descendant) => origin.IsAncestor(ancestor, descendant);

    public (string Remote, string Branch)? Upstream(string branch) => TracksOrigin ? ("origin", branch) : null;

    public string? RemoteDisplayUrl(string remote) => "memory://gitops";

    public string? FetchBranch(string remote, string branch) => origin.Tip(branch);

    public bool RemoteHasNoBranches(string remote) => origin.Branches.Count == 0;

    public void ResetHard(string branch, string? commit, bool removeUntracked)
    {
        var tracked = index.Keys.ToList();
        CurrentBranch = branch;
        if (commit is null)
        {
            branches.Remove(branch);
        }
        else
        {
            branches[branch] = commit;
        }

        index = Files(commit);
        var stale = removeUntracked
            ? Directory.EnumerateFiles(WorkingDirectory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(WorkingDirectory, f).Replace('\\', '/'))
            : tracked;
        foreach (var path in stale.Where(p => !index.ContainsKey(p)).ToList())
        {
            File.Delete(Path.Join(WorkingDirectory, path));
        }

        foreach (var (path, content) in index)
        {
            var full = Path.Join(WorkingDirectory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, content);
        }
    }

    public IReadOnlyList<string> SymbolicLinks(string commit, string directory) => [];

    public RemoteHeadState AlignRemoteHead(string remote, string branch) => RemoteHeadState.AlreadyThere;

    public void Push(string remote, string localBranch, string remoteBranch, bool force)
        => origin.Receive(remoteBranch, branches[localBranch], force);

    private ImmutableSortedDictionary<string, byte[]> Files(string? commit) => commit is null ? NoFiles : origin.Objects[commit].Files;

    private byte[]? ReadWorkingFile(string path)
    {
        var full = Path.Join(WorkingDirectory, path);
        return File.Exists(full) ? File.ReadAllBytes(full) : null;
    }

    private static bool IsUnder(string path, string directory) => directory.Length == 0 || path.StartsWith(directory + "/", StringComparison.Ordinal);
}
