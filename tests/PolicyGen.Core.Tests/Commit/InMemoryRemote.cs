using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using PolicyGen.Commit;

namespace PolicyGen.Core.Tests.Commit;

/// <summary>
/// The remote of the in-memory Git, and the object store every repository attached to it shares:
/// branches, the pushes it received (with their force flag), and hooks that let a test play another
/// writer (move a branch just before a push) or a server that refuses pushes.
/// </summary>
internal sealed class InMemoryRemote
{
    private long sequence;

    public Dictionary<string, InMemoryCommit> Objects { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Branches { get; } = new(StringComparer.Ordinal);

    /// <summary>Every push that reached the remote, accepted or not: (remote branch, force).</summary>
    public List<(string Branch, bool Force)> Pushes { get; } = [];

    /// <summary>Runs before each push is judged, with the number of the push (1-based): another writer's moment.</summary>
    public Action<int>? BeforePush { get; set; }

    /// <summary>When set, every push is refused with this server message (a hook, a protected branch).</summary>
    public string? RejectWith { get; set; }

    public string? Tip(string branch) => Branches.GetValueOrDefault(branch);

    /// <summary>Another writer's commit on <paramref name="branch"/>: its tip's files plus (or minus, for null) these.</summary>
    public string CommitAs(GitIdentity author, string branch, string message, params (string Path, string? Text)[] changes)
    {
        var files = Tip(branch) is { } tip ? Objects[tip].Files : ImmutableSortedDictionary.Create<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, text) in changes)
        {
            files = text is null ? files.Remove(path) : files.SetItem(path, Encoding.UTF8.GetBytes(text));
        }

        var commit = NewCommit(files, Tip(branch) is { } parent ? [parent] : [], message, author);
        Branches[branch] = commit.Sha;
        return commit.Sha;
    }

    public InMemoryCommit NewCommit(ImmutableSortedDictionary<string, byte[]> files, ImmutableArray<string> parents, string message, GitIdentity author)
    {
        var tree = Hash(string.Join("\n", files.Select(f => f.Key + " " + Hash(Convert.ToHexString(f.Value)))));
        var number = ++sequence;
        var sha = Hash($"{tree}\n{string.Join(" ", parents)}\n{author}\n{message}\n{number}");
        var commit = new InMemoryCommit(sha, tree, files, parents, message, author, number);
        Objects[sha] = commit;
        return commit;
    }

    /// <summary>Whether <paramref name="ancestor"/> is <paramref name="descendant"/> or reachable from it.</summary>
    public bool IsAncestor(string ancestor, string descendant) => Reachable(descendant).Contains(ancestor);

    public HashSet<string> Reachable(string? tip)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        if (tip is not null)
        {
            pending.Push(tip);
        }

        while (pending.Count > 0)
        {
            var sha = pending.Pop();
            if (seen.Add(sha))
            {
                foreach (var parent in Objects[sha].Parents)
                {
                    pending.Push(parent);
                }
            }
        }

        return seen;
    }

    /// <summary>The remote's answer to a push of <paramref name="commit"/> to <paramref name="branch"/>, as LibGit2Repository reports it.</summary>
    public void Receive(string branch, string commit, bool force)
    {
        Pushes.Add((branch, force));
        BeforePush?.Invoke(Pushes.Count);
        if (RejectWith is { } message)
        {
            throw new GitException(GitFailure.Rejected, $"the server refused the push to {branch}: {message}");
        }

        if (!force && Tip(branch) is { } tip && !IsAncestor(tip, commit))
        {
            throw new GitException(GitFailure.NonFastForward, $"the push to {branch} was rejected because the remote branch moved");
        }

        Branches[branch] = commit;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];
}
