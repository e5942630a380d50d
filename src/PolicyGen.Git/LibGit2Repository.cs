using System.Collections.Immutable;
using LibGit2Sharp;
using LibGit2Sharp.Handlers;
using PolicyGen.Commit;

namespace PolicyGen.Git;

/// <summary><see cref="IGitRepository"/> over a LibGit2Sharp <see cref="Repository"/>.</summary>
internal sealed class LibGit2Repository(Repository repo, GitCredentials credentials, SecretRedactor redactor, Lazy<HttpClient> http, TimeSpan timeout, long maxResponseBytes)
    : IGitRepository
{
    public string WorkingDirectory => Path.TrimEndingDirectorySeparator(repo.Info.WorkingDirectory);

    public string? CurrentBranch => repo.Info.IsHeadDetached ? null : repo.Head.FriendlyName;

    public string? HeadCommit => repo.Head.Tip?.Sha;

    public IReadOnlyList<RepoFile> ReadFiles(string commit, string directory)
    {
        var tree = repo.Lookup<LibGit2Sharp.Commit>(commit)?.Tree ?? throw new GitException(GitFailure.Other, $"commit {commit} not found");
        if (directory.Length > 0)
        {
            if (tree[directory] is not { TargetType: TreeEntryTargetType.Tree } entry)
            {
                return [];
            }

            tree = (Tree)entry.Target;
        }

        var files = new List<RepoFile>();
        Collect(tree, directory.Length == 0 ? "" : directory + "/", files);
        return files;

        static void Collect(Tree tree, string prefix, List<RepoFile> files)
        {
            foreach (var entry in tree)
            {
                switch (entry.Target)
                {
                    case Tree subtree:
                        Collect(subtree, prefix + entry.Name + "/", files);
                        break;
                    case Blob blob when entry.Mode != Mode.SymbolicLink:
                        using (var stream = blob.GetContentStream())
                        using (var bytes = new MemoryStream())
                        {
                            stream.CopyTo(bytes);
                            files.Add(new RepoFile(prefix + entry.Name, bytes.ToArray()));
                        }

                        break;
                }
            }
        }
    }

    public IReadOnlyList<string> ChangedPaths(bool staged)
    {
        const FileStatus Staged = FileStatus.NewInIndex | FileStatus.ModifiedInIndex | FileStatus.DeletedFromIndex | FileStatus.RenamedInIndex | FileStatus.TypeChangeInIndex;
        const FileStatus Unstaged = FileStatus.ModifiedInWorkdir | FileStatus.DeletedFromWorkdir | FileStatus.RenamedInWorkdir | FileStatus.TypeChangeInWorkdir;
        var status = repo.RetrieveStatus(new StatusOptions { IncludeUntracked = false, IncludeIgnored = false, RecurseUntrackedDirs = false });
        return [.. status.Where(e => (e.State & (staged ? Staged : Unstaged)) != 0).Select(e => e.FilePath.Replace('\\', '/'))];
    }

    public void Stage(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (File.Exists(Path.Join(WorkingDirectory, path)))
            {
                repo.Index.Add(path);
            }
            else if (repo.Index[path] is not null)
            {
                repo.Index.Remove(path);
            }
        }

        repo.Index.Write();
    }

    public bool IndexMatches(string? commit)
    {
        var tree = repo.ObjectDatabase.CreateTree(repo.Index);
        return commit is null ? tree.Count == 0 : tree.Sha == repo.Lookup<LibGit2Sharp.Commit>(commit).Tree.Sha;
    }

    public string Commit(string message, GitIdentity author, GitIdentity committer)
    {
        var when = DateTimeOffset.Now;
        var commit = repo.Commit(message, new Signature(author.Name, author.Email, when), new Signature(committer.Name, committer.Email, when),
            new CommitOptions { PrettifyMessage = false });
        return commit.Sha;
    }

    public CommitInfo GetCommit(string sha) => Info(repo.Lookup<LibGit2Sharp.Commit>(sha) ?? throw new GitException(GitFailure.Other, $"commit {sha} not found"));

    public IReadOnlyList<CommitInfo> Log(string tip, string? exclude)
    {
        var filter = new CommitFilter { IncludeReachableFrom = tip, SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time };
        if (exclude is not null)
        {
            filter.ExcludeReachableFrom = exclude;
        }

        return [.. repo.Commits.QueryBy(filter).Select(Info)];
    }

    public bool IsAncestor(string ancestor, string descendant)
    {
        var a = repo.Lookup<LibGit2Sharp.Commit>(ancestor);
        var d = repo.Lookup<LibGit2Sharp.Commit>(descendant);
        return a is not null && d is not null && repo.ObjectDatabase.FindMergeBase(a, d)?.Sha == a.Sha;
    }

    public (string Remote, string Branch)? Upstream(string branch)
    {
        var local = repo.Branches[branch];
        if (local is null || !local.IsTracking || local.RemoteName is null || local.UpstreamBranchCanonicalName is null)
        {
            return null;
        }

        const string Heads = "refs/heads/";
        var name = local.UpstreamBranchCanonicalName;
        return (local.RemoteName, name.StartsWith(Heads, StringComparison.Ordinal) ? name[Heads.Length..] : name);
    }

    public string? RemoteDisplayUrl(string remote)
        => Remote(remote) is { } r ? redactor.Redact(RemoteUrl.Parse(r.Url).Display) : null;

    /// <summary>
    /// The remote, with the user info of its configured URL registered as a secret first: a remote
    /// the user set up with a token in its URL must not reach a message either.
    /// </summary>
    private Remote? Remote(string name)
    {
        var remote = repo.Network.Remotes[name];
        if (remote is not null)
        {
            redactor.AddUrl(remote.Url);
            if (remote.PushUrl is { } push && push != remote.Url)
            {
                redactor.AddUrl(push);
            }
        }

        return remote;
    }

    public string? FetchBranch(string remote, string branch)
    {
        var tracking = $"refs/remotes/{remote}/{branch}";
        if (repo.Refs[tracking] is { } stale)
        {
            repo.Refs.Remove(stale); // so that a branch deleted on the remote reads as missing
        }

        Fetch(remote, [$"+refs/heads/{branch}:{tracking}"], prune: false);
        return repo.Refs[tracking]?.ResolveToDirectReference()?.TargetIdentifier;
    }

    public bool RemoteHasNoBranches(string remote)
    {
        Fetch(remote, [$"+refs/heads/*:refs/remotes/{remote}/*"], prune: true);
        return !repo.Refs.FromGlob($"refs/remotes/{remote}/*").Any();
    }

    public void ResetHard(string branch, string? commit, bool removeUntracked)
    {
        var name = "refs/heads/" + branch;
        if (commit is null)
        {
            if (repo.Refs[name] is { } existing)
            {
                repo.Refs.Remove(existing);
            }

            repo.Refs.Add("HEAD", name, allowOverwrite: true); // symbolic: HEAD -> the unborn branch

            repo.Index.Clear();
            repo.Index.Write();
            if (removeUntracked)
            {
                foreach (var entry in new DirectoryInfo(WorkingDirectory).EnumerateFileSystemInfos().Where(e => e.Name != ".git"))
                {
                    if (entry is DirectoryInfo d && d.LinkTarget is null)
                    {
                        d.Delete(recursive: true); // .NET removes links inside without following them
                    }
                    else
                    {
                        File.Delete(entry.FullName); // a file, or a link (to a directory too): only the link goes
                    }
                }
            }

            return;
        }

        var target = repo.Lookup<LibGit2Sharp.Commit>(commit) ?? throw new GitException(GitFailure.Other, $"commit {commit} not found");
        repo.Refs.Add(name, target.Id, allowOverwrite: true);
        repo.Refs.UpdateTarget(repo.Refs.Head, repo.Refs[name]); // symbolic, so commits move the branch
        repo.Reset(ResetMode.Hard, target);
        if (removeUntracked)
        {
            repo.RemoveUntrackedFiles();
        }
    }

    public IReadOnlyList<string> SymbolicLinks(string commit, string directory)
    {
        var tree = repo.Lookup<LibGit2Sharp.Commit>(commit)?.Tree ?? throw new GitException(GitFailure.Other, $"commit {commit} not found");
        var links = new List<string>();
        var path = "";
        foreach (var segment in directory.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path = path.Length == 0 ? segment : path + "/" + segment;
            var entry = tree[segment];
            if (entry is null)
            {
                return links; // the rest of the path does not exist yet: nothing to follow
            }

            if (entry.Mode == Mode.SymbolicLink)
            {
                links.Add(path);
                return links;
            }

            if (entry.Target is not Tree subtree)
            {
                return links; // a file where a directory would go: the writer reports it
            }

            tree = subtree;
        }

        Collect(tree, path.Length == 0 ? "" : path + "/", links);
        return links;

        static void Collect(Tree tree, string prefix, List<string> links)
        {
            foreach (var entry in tree)
            {
                if (entry.Mode == Mode.SymbolicLink)
                {
                    links.Add(prefix + entry.Name);
                }
                else if (entry.Target is Tree subtree)
                {
                    Collect(subtree, prefix + entry.Name + "/", links);
                }
            }
        }
    }

    public RemoteHeadState AlignRemoteHead(string remote, string branch)
    {
        var target = Remote(remote) ?? throw new GitException(GitFailure.Other, $"no remote named {remote}");
        var wanted = "refs/heads/" + branch;
        if (new RemoteUrl(target.Url, null, null).LocalPath is { } local)
        {
            if (!Repository.IsValid(local))
            {
                return RemoteHeadState.Unknown;
            }

            using var bare = new Repository(local);
            if (!bare.Info.IsBare)
            {
                return RemoteHeadState.Unknown;
            }

            var head = bare.Refs.Head;
            if (head is SymbolicReference { TargetIdentifier: var named } && named == wanted)
            {
                return RemoteHeadState.AlreadyThere;
            }

            if (head is SymbolicReference symbolic && bare.Refs[symbolic.TargetIdentifier] is null && bare.Refs[wanted] is not null)
            {
                bare.Refs.UpdateTarget(head, bare.Refs[wanted], "npgen: HEAD names the first branch pushed"); // symbolic: HEAD -> the branch
                return RemoteHeadState.Pointed;
            }

            return RemoteHeadState.Elsewhere;
        }

        using var scope = Scope();
        try
        {
            var references = repo.Network.ListReferences(target, Credentials).ToList();
            var head = references.FirstOrDefault(r => r.CanonicalName == "HEAD");
            if (head is null)
            {
                return RemoteHeadState.Elsewhere; // HEAD names a branch that does not exist, so the server does not list it
            }

            var pushed = references.FirstOrDefault(r => r.CanonicalName == wanted);
            return head is SymbolicReference { TargetIdentifier: var name } ? (name == wanted ? RemoteHeadState.AlreadyThere : RemoteHeadState.Elsewhere)
                : pushed is not null && head.TargetIdentifier == pushed.TargetIdentifier ? RemoteHeadState.AlreadyThere
                : RemoteHeadState.Elsewhere;
        }
        catch (LibGit2SharpException)
        {
            return RemoteHeadState.Unknown; // the push already succeeded; this is only advice
        }
    }

    public void Push(string remote, string localBranch, string remoteBranch, bool force)
    {
        var target = Remote(remote) ?? throw new GitException(GitFailure.Other, $"no remote named {remote}");
        var refspec = $"{(force ? "+" : "")}refs/heads/{localBranch}:refs/heads/{remoteBranch}";
        var errors = new List<PushStatusError>();
        var options = new PushOptions
        {
            CredentialsProvider = Credentials,
            OnPushStatusError = errors.Add, // a hook or protected branch: libgit2 does not throw for these
        };
        using var scope = Scope();
        try
        {
            repo.Network.Push(target, refspec, options);
        }
        catch (NonFastForwardException e)
        {
            throw new GitException(GitFailure.NonFastForward, $"{RemoteDisplayUrl(remote)} {remoteBranch} has commits this clone does not ({redactor.Redact(e.Message)})", e);
        }
        catch (LibGit2SharpException e)
        {
            throw Translate(e, scope, $"pushing to {RemoteDisplayUrl(remote)}");
        }

        if (errors.Count > 0)
        {
            var status = string.Join("; ", errors.Select(e => $"{e.Reference}: {e.Message}"));
            // receive-pack says "failed to update ref" for both a lost compare-and-swap and other
            // failures; its side-band message ("cannot lock ref ...: is at X but expected Y") tells them apart.
            if (errors.All(e => IsRace(e.Message) || (e.Message.Contains("failed to update ref", StringComparison.OrdinalIgnoreCase) && scope.RemoteMessages.Any(IsRace))))
            {
                throw new GitException(GitFailure.NonFastForward, redactor.Redact($"{RemoteDisplayUrl(remote)} {remoteBranch} moved during the push ({status})"));
            }

            var said = scope.RemoteMessages.Count == 0 ? "" : "; the server said: " + string.Join(" | ", scope.RemoteMessages);
            throw new GitException(GitFailure.Rejected, redactor.Redact($"{RemoteDisplayUrl(remote)} rejected the push ({status}){said}"));
        }
    }

    public void Dispose() => repo.Dispose();

    /// <summary>A status from receive-pack that means the branch moved under us: fetch and try again.</summary>
    private static bool IsRace(string message)
        => message.Contains("non-fast-forward", StringComparison.OrdinalIgnoreCase)
            || message.Contains("fetch first", StringComparison.OrdinalIgnoreCase)
            || message.Contains("stale info", StringComparison.OrdinalIgnoreCase)
            || message.Contains("cannot lock ref", StringComparison.OrdinalIgnoreCase)
            || message.Contains("failed to lock", StringComparison.OrdinalIgnoreCase)
            || message.Contains("but expected", StringComparison.OrdinalIgnoreCase);

    private void Fetch(string remote, IEnumerable<string> refspecs, bool prune)
    {
        _ = Remote(remote);
        var options = new FetchOptions { CredentialsProvider = Credentials, TagFetchMode = TagFetchMode.None, Prune = prune };
        using var scope = Scope();
        try
        {
            Commands.Fetch(repo, remote, refspecs, options, logMessage: null);
        }
        catch (LibGit2SharpException e)
        {
            throw Translate(e, scope, $"fetching from {RemoteDisplayUrl(remote)}");
        }
    }

    private HttpSmartSubtransport.Scope Scope() => new(http.Value, credentials, timeout, maxResponseBytes);

    /// <summary>For SSH and other transports libgit2 handles itself: the HTTPS token as a password, else the SSH agent.</summary>
    private Credentials Credentials(string url, string usernameFromUrl, SupportedCredentialTypes types)
    {
        if (types.HasFlag(SupportedCredentialTypes.UsernamePassword) && credentials.HasPassword)
        {
            return new UsernamePasswordCredentials { Username = credentials.Username ?? GitCredentials.DefaultUsername, Password = credentials.Password };
        }

        return new DefaultCredentials();
    }

    private GitException Translate(LibGit2SharpException e, HttpSmartSubtransport.Scope scope, string what)
    {
        if (scope.Failure is { } failure)
        {
            return new GitException(failure.Failure, redactor.Redact(failure.Message), e);
        }

        var message = redactor.Redact(e.Message);
        if (message.Length == 0 || message.Equals("no error", StringComparison.OrdinalIgnoreCase))
        {
            // libgit2 reports a failed callback or an unusable URL this way: say what we know instead.
            message = $"libgit2 gave no reason ({e.GetType().Name}); check that the URL names a reachable repository";
        }

        if (message.Contains("authentication", StringComparison.OrdinalIgnoreCase) || message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            return new GitException(GitFailure.Authentication, $"{what} failed: {message}", e);
        }

        if (message.Contains("certificate", StringComparison.OrdinalIgnoreCase))
        {
            return new GitException(GitFailure.Certificate, $"{what} failed: {message}", e);
        }

        return new GitException(GitFailure.Other, $"{what} failed: {message}", e);
    }

    private static CommitInfo Info(LibGit2Sharp.Commit c)
        => new(c.Sha, c.Author.Name, c.Author.Email, c.Message, c.Tree.Sha, [.. c.Parents.Select(p => p.Sha)]);
}
