using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Output;
using PolicyGen.Pipeline;
using PolicyGen.Verify;

namespace PolicyGen.Commit;

/// <summary><c>npgen build -o DIR --commit [--push]</c>: the output directory lies in a working tree the user owns.</summary>
/// <param name="OutputDirectory">The <c>-o</c> directory, inside a Git working tree.</param>
/// <param name="Push">Push the branch after committing.</param>
/// <param name="Remote">The remote to push to; default: the branch's upstream remote.</param>
/// <param name="Branch">The remote branch to push to; default: the upstream branch, else the same name.</param>
/// <param name="ReplaceEnvironment"><c>--replace-environment</c>: write over this intent's output for another environment.</param>
public sealed record LocalCommitRequest(string OutputDirectory, bool Push, string? Remote, string? Branch, bool ReplaceEnvironment = false);

/// <summary><c>npgen publish</c>: a GitOps repository npgen clones, commits to and pushes by itself.</summary>
/// <param name="Url">The repository: an https:// or ssh URL, a file:// URL or a path to a (bare) repository.</param>
/// <param name="Path">The directory inside the repository that holds the policies (<c>apps/shop</c>).</param>
/// <param name="Branch">The branch to commit on (direct mode), or to base the proposal on (pull-request mode).</param>
/// <param name="PushBranch">Pull-request mode: the bot branch to force-push instead of pushing <paramref name="Branch"/>.</param>
/// <param name="CacheDirectory">Keep the clone here between runs (fetch instead of clone); null: a temporary directory.</param>
/// <param name="ReplaceEnvironment"><c>--replace-environment</c>: write over this intent's output for another environment.</param>
public sealed record PublishRequest(string Url, string Path, string Branch, string? PushBranch, string? CacheDirectory, bool ReplaceEnvironment = false);

/// <summary>
/// Commits generated policies to Git and pushes them, safely when other writers race:
/// only npgen's own files are staged; nothing is committed when the tree already holds the same
/// policies; a push the remote refuses because its branch moved is redone on the new tip (fetch,
/// reset, write the policies again, commit) a bounded number of times with jittered backoff; a
/// server-side rejection is an error carrying the server's words; only a pull-request bot branch
/// is ever force-pushed, and never over commits someone else made.
/// </summary>
public sealed class PolicyPublisher(IGitClient client, CommitSettings settings, Action<string>? log = null)
{
    private const string Origin = "origin";
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan CacheLockWait = TimeSpan.FromMinutes(2);

    /// <summary>Local mode: write into DIR, commit only npgen's files there, optionally push.</summary>
    public PublishResult CommitLocal(BuildResult build, LocalCommitRequest request)
    {
        using var repo = client.Discover(request.OutputDirectory);
        if (repo is null)
        {
            return Fail(PublishOutcome.BadInput, DiagnosticCodes.GitNotAWorkTree,
                $"{request.OutputDirectory} is not inside a Git working tree, so there is nothing to commit to",
                "run git init (or clone the GitOps repository) first, or drop --commit");
        }

        var relative = RelativeDirectory(repo, request.OutputDirectory);
        if (relative is null)
        {
            return Fail(PublishOutcome.BadInput, DiagnosticCodes.GitNotAWorkTree,
                $"{request.OutputDirectory} is not inside the working tree of {repo.WorkingDirectory} (or is inside .git)", null);
        }

        PushTarget? target = null;
        if (request.Push)
        {
            var (found, problem) = FindPushTarget(repo, request);
            if (problem is not null)
            {
                return problem;
            }

            target = found;
        }

        try
        {
            var step = CommitOnce(repo, relative, build, checkIndex: true, request.ReplaceEnvironment, remoteMode: false);
            if (step.Result is { } done && (target is null || done.Outcome != PublishOutcome.UpToDate))
            {
                if (done.Outcome == PublishOutcome.UpToDate)
                {
                    log?.Invoke($"up to date: {Where(relative)} at {Short(done.Commit ?? "(no commit)")} already holds these policies (nothing pushed: no --push)");
                }

                return done;
            }

            return target is null
                ? step.Committed(repo.CurrentBranch, pushed: false, attempts: 1, pushedCommits: 0)
                : PushLocal(repo, relative, build, request, target, step);
        }
        catch (GitException e)
        {
            return GitFailed(e);
        }
    }

    /// <summary>Where <c>--push</c> goes: the checked-out branch, to <c>--remote</c>/<c>--branch</c> or its upstream.</summary>
    private sealed record PushTarget(string LocalBranch, string Remote, string RemoteBranch);

    private static (PushTarget? Target, PublishResult? Problem) FindPushTarget(IGitRepository repo, LocalCommitRequest request)
    {
        var localBranch = repo.CurrentBranch;
        if (localBranch is null)
        {
            return (null, Fail(PublishOutcome.BadInput, DiagnosticCodes.GitNoUpstream,
                "HEAD is detached, so there is no branch to push", "check out a branch first"));
        }

        var upstream = repo.Upstream(localBranch);
        var remote = request.Remote ?? upstream?.Remote;
        var remoteBranch = request.Branch ?? upstream?.Branch ?? localBranch;
        return remote is null
            ? (null, Fail(PublishOutcome.BadInput, DiagnosticCodes.GitNoUpstream,
                $"branch {localBranch} has no upstream to push to", "pass --remote NAME (and --branch BRANCH), or set one with git branch --set-upstream-to"))
            : (new PushTarget(localBranch, remote, remoteBranch), null);
    }

    /// <summary>
    /// Whether or not this run committed, pushes whatever the branch holds that its remote lacks (an
    /// earlier --commit without --push, say): "up to date" only when the remote holds the policies.
    /// When the remote moved, the policies are written again on its tip, unless that would drop local work.
    /// </summary>
    private PublishResult PushLocal(IGitRepository repo, string relative, BuildResult build, LocalCommitRequest request, PushTarget target, Step step)
    {
        var (localBranch, remote, remoteBranch) = target;
        for (var attempt = 1; ; attempt++)
        {
            log?.Invoke($"fetching {remoteBranch} from {remote} ({repo.RemoteDisplayUrl(remote)})");
            var tip = repo.FetchBranch(remote, remoteBranch);
            var head = repo.HeadCommit;
            var ahead = head is null || head == tip ? [] : repo.Log(head, tip);
            if (head is not null && ahead.Count == 0 && (tip == head || (tip is not null && SamePolicies(repo, tip, head, relative))))
            {
                log?.Invoke($"up to date: {remote}/{remoteBranch} at {Short(tip!)} already holds these policies");
                return new PublishResult { Outcome = PublishOutcome.UpToDate, Commit = tip, Branch = localBranch, Attempts = attempt, Written = step.Written ?? step.Result?.Written, Diagnostics = step.Diagnostics.IsDefault ? step.Result?.Diagnostics ?? [] : step.Diagnostics };
            }

            if (ahead.Count > 0)
            {
                try
                {
                    log?.Invoke($"pushing {Count(ahead.Count, "commit")} of {localBranch} to {remote}/{remoteBranch}{(attempt > 1 ? $" (attempt {attempt})" : "")}");
                    repo.Push(remote, localBranch, remoteBranch, force: false);
                    return Pushed(relative, target, step, head, ahead.Count, attempt);
                }
                catch (GitException e) when (e.Failure == GitFailure.NonFastForward && attempt < settings.MaxAttempts)
                {
                    tip = repo.FetchBranch(remote, remoteBranch);
                }
            }
            else if (attempt >= settings.MaxAttempts)
            {
                return Fail(PublishOutcome.GitFailed, DiagnosticCodes.GitRaceLost,
                    $"{remote}/{remoteBranch} kept moving: rebuilding on its tip did not settle after {attempt} attempts", "run npgen again", step);
            }

            if (CannotRebuild(repo, relative, target, step, head, tip) is { } refused)
            {
                return refused;
            }

            log?.Invoke($"{remote}/{remoteBranch} is at {Short(tip ?? "nothing")}, which {localBranch} lacks; writing the policies again on top of it");
            repo.ResetHard(localBranch, tip, removeUntracked: false);
            Backoff(attempt);
            step = CommitOnce(repo, relative, build, checkIndex: false, request.ReplaceEnvironment, remoteMode: false);
            if (step.Result is { Outcome: not PublishOutcome.UpToDate } failed)
            {
                return failed with { Attempts = attempt + 1, Branch = localBranch };
            }
        }
    }

    private PublishResult Pushed(string relative, PushTarget target, Step step, string? head, int pushedCommits, int attempt)
    {
        if (step.Commit is not null)
        {
            return step.Committed(target.LocalBranch, pushed: true, attempt, pushedCommits);
        }

        log?.Invoke($"pushed {Count(pushedCommits, "earlier commit")}; {Where(relative)} already held these policies");
        return new PublishResult
        {
            Outcome = PublishOutcome.Pushed,
            Commit = head,
            Branch = target.LocalBranch,
            Pushed = true,
            PushedCommits = pushedCommits,
            Attempts = attempt,
            Written = step.Result?.Written,
            Diagnostics = step.Result?.Diagnostics ?? [],
        };
    }

    /// <summary>The remote has commits this branch lacks: rebuilding on its tip would drop local commits or uncommitted changes (an error), or not (null).</summary>
    private static PublishResult? CannotRebuild(IGitRepository repo, string relative, PushTarget target, Step step, string? head, string? tip)
    {
        var (localBranch, remote, remoteBranch) = target;
        var stays = step.Commit is null ? "nothing was pushed" : $"npgen's commit {Short(step.Commit)} stays local";
        var localOnly = head is null ? [] : repo.Log(head, tip).Where(c => c.Sha != step.Commit).ToList();
        if (localOnly.Count > 0)
        {
            return Fail(PublishOutcome.GitFailed, DiagnosticCodes.GitCannotRetry,
                $"{remote}/{remoteBranch} moved, and {localBranch} has {Count(localOnly.Count, "commit")} of its own that {remote} does not have ({Short(localOnly[0].Sha)} \"{TextEscaping.ForLine(localOnly[0].Message.Split('\n')[0])}\"); {stays}",
                $"git pull --rebase {remote} {remoteBranch}, then git push (or run npgen again)", step);
        }

        var dirty = repo.ChangedPaths(staged: true).Concat(repo.ChangedPaths(staged: false))
            .Where(p => !IsUnder(p, relative)).Distinct().Order(StringComparer.Ordinal).ToList();
        return dirty.Count == 0
            ? null
            : Fail(PublishOutcome.GitFailed, DiagnosticCodes.GitCannotRetry,
                $"{remote}/{remoteBranch} moved, and the working tree has uncommitted changes ({List(dirty)}) that rebuilding on the new tip would discard; {stays}",
                "commit or stash them, then git pull --rebase and git push", step);
    }

    /// <summary>Whether two commits hold the same files under the policy directory (the remote moved on elsewhere).</summary>
    private static bool SamePolicies(IGitRepository repo, string a, string b, string relative)
    {
        var left = repo.ReadFiles(a, relative);
        var right = repo.ReadFiles(b, relative);
        return left.Count == right.Count && left.Zip(right).All(p => p.First.Path == p.Second.Path && p.First.Content.AsSpan().SequenceEqual(p.Second.Content));
    }

    /// <summary>Remote mode: clone (or refresh the cache), write into the path, commit, push, clean up.</summary>
    public PublishResult Publish(BuildResult build, PublishRequest request)
    {
        var relative = NormalizePath(request.Path);
        if (relative is null)
        {
            return Fail(PublishOutcome.BadInput, DiagnosticCodes.GitNotAWorkTree,
                $"--path {request.Path} must be a relative path inside the repository, without .. or .git", null);
        }

        if (request.PushBranch == request.Branch)
        {
            return Fail(PublishOutcome.BadInput, DiagnosticCodes.GitNoUpstream,
                $"--push-branch {request.PushBranch} is the base branch; npgen force-pushes only a bot branch of its own",
                "leave out --push-branch to commit to the branch directly, or name a bot branch such as npgen/<scope>");
        }

        string directory;
        FileStream? cacheLock = null;
        if (request.CacheDirectory is { } cache)
        {
            var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.Url)))[..16];
            Directory.CreateDirectory(cache);
            directory = System.IO.Path.Join(cache, key);
            cacheLock = LockCache(System.IO.Path.Join(cache, key + ".lock"));
            if (cacheLock is null)
            {
                return Fail(PublishOutcome.GitFailed, DiagnosticCodes.GitOperationFailed,
                    $"the cache {directory} stayed in use by another npgen for {CacheLockWait.TotalMinutes:0} minutes", "use another --cache-dir per concurrent job");
            }
        }
        else
        {
            directory = Directory.CreateTempSubdirectory("npgen-publish-").FullName;
        }

        try
        {
            using var repo = client.OpenWorkspace(directory, request.Url);
            return Publish(repo, build, request, relative);
        }
        catch (GitException e)
        {
            return GitFailed(e);
        }
        finally
        {
            cacheLock?.Dispose();
            if (request.CacheDirectory is null)
            {
                DeleteDirectory(directory);
            }
        }
    }

    private PublishResult Publish(IGitRepository repo, BuildResult build, PublishRequest request, string relative)
    {
        var url = repo.RemoteDisplayUrl(Origin);
        log?.Invoke(request.CacheDirectory is null || repo.HeadCommit is null
            ? $"cloning {request.Branch} from {url}"
            : $"fetching {request.Branch} from {url} into the cached clone");
        var baseTip = repo.FetchBranch(Origin, request.Branch);
        var emptyRemote = false;
        if (baseTip is null)
        {
            if (repo.RemoteHasNoBranches(Origin))
            {
                emptyRemote = true;
            }
            else
            {
                // Another writer may have made the first commit of an empty repository between the two fetches.
                baseTip = repo.FetchBranch(Origin, request.Branch);
                if (baseTip is null)
                {
                    return Fail(PublishOutcome.GitFailed, DiagnosticCodes.GitBranchNotFound,
                        $"branch {request.Branch} does not exist in {url}",
                        "create it first, or pass --branch with an existing branch (into an empty repository, npgen makes the first commit)");
                }
            }
        }

        string? botTip = null;
        if (request.PushBranch is { } pushBranch)
        {
            botTip = repo.FetchBranch(Origin, pushBranch);
            if (botTip is not null && ForeignCommit(repo, pushBranch, botTip, baseTip) is { } refused)
            {
                return refused;
            }
        }

        repo.ResetHard(request.Branch, baseTip, removeUntracked: true);
        for (var attempt = 1; ; attempt++)
        {
            var step = CommitOnce(repo, relative, build, checkIndex: false, request.ReplaceEnvironment, remoteMode: true);
            if (step.Result is { } done)
            {
                if (done.Outcome == PublishOutcome.UpToDate)
                {
                    log?.Invoke($"up to date: {request.Branch} at {Short(done.Commit ?? "(no commit)")} already holds these policies in {Where(relative)}");
                }

                return done with { Attempts = attempt, Branch = request.Branch };
            }

            if (request.PushBranch is { } bot)
            {
                return Propose(repo, request.Branch, bot, baseTip, botTip, step, attempt);
            }

            try
            {
                log?.Invoke($"pushing {Short(step.Commit!)} to {request.Branch}{(attempt > 1 ? $" (attempt {attempt})" : "")}");
                repo.Push(Origin, request.Branch, request.Branch, force: false);
                var result = step.Committed(request.Branch, pushed: true, attempt, pushedCommits: 1);
                return emptyRemote ? AlignHead(repo, request.Branch, url, result) : result;
            }
            catch (GitException e) when (e.Failure == GitFailure.NonFastForward)
            {
                if (attempt >= settings.MaxAttempts)
                {
                    return Fail(PublishOutcome.GitFailed, DiagnosticCodes.GitRaceLost,
                        $"{request.Branch} kept moving: the push lost the race {attempt} times ({e.Message})",
                        "other writers push to this branch very often; run npgen again, or raise --max-attempts", step);
                }

                baseTip = repo.FetchBranch(Origin, request.Branch);
                emptyRemote = false; // another writer made the first commit: its HEAD is theirs to have set
                log?.Invoke($"{request.Branch} moved to {Short(baseTip ?? "nothing")}; writing the policies again on top of it");
                repo.ResetHard(request.Branch, baseTip, removeUntracked: true);
                Backoff(attempt);
            }
        }
    }

    /// <summary>A commit on the bot branch that npgen did not make (an error: it is never force-pushed over), or null.</summary>
    private PublishResult? ForeignCommit(IGitRepository repo, string pushBranch, string botTip, string? baseTip)
    {
        var foreign = repo.Log(botTip, baseTip).FirstOrDefault(c => !IsOwnCommit(c));
        return foreign is null
            ? null
            : Fail(PublishOutcome.GitFailed, DiagnosticCodes.GitForeignCommits,
                $"branch {pushBranch} holds commit {Short(foreign.Sha)} by {TextEscaping.ForLine(foreign.AuthorName)} <{TextEscaping.ForLine(foreign.AuthorEmail)}> (\"{TextEscaping.ForLine(foreign.Message.Split('\n')[0])}\"), which npgen did not make; npgen will not force-push over it",
                "merge or close that pull request and delete the branch, or pass another --push-branch");
    }

    /// <summary>Pull-request mode: force-push the new commit to the bot branch, unless it already proposes exactly this on this base.</summary>
    private PublishResult Propose(IGitRepository repo, string branch, string bot, string? baseTip, string? botTip, Step step, int attempt)
    {
        var proposed = botTip is null ? null : repo.GetCommit(botTip);
        if (proposed is not null && proposed.Tree == repo.GetCommit(step.Commit!).Tree && proposed.Parents.SequenceEqual(baseTip is null ? [] : [baseTip]))
        {
            log?.Invoke($"up to date: {bot} already proposes exactly these policies on top of {branch}");
            return new PublishResult { Outcome = PublishOutcome.UpToDate, Commit = botTip, Branch = bot, Attempts = attempt, Written = step.Written };
        }

        log?.Invoke($"force-pushing the bot branch {bot} (based on {branch} {Short(baseTip ?? "(empty)")})");
        repo.Push(Origin, branch, bot, force: true);
        return step.Committed(bot, pushed: true, attempt, pushedCommits: 1);
    }

    /// <summary>After the first push into an empty repository: make (or ask) its HEAD name the branch, so a clone checks it out.</summary>
    private PublishResult AlignHead(IGitRepository repo, string branch, string? url, PublishResult result)
    {
        var state = repo.AlignRemoteHead(Origin, branch);
        switch (state)
        {
            case RemoteHeadState.Pointed:
                log?.Invoke($"pointed the HEAD of {url} at {branch}, the first branch pushed into it");
                break;
            case RemoteHeadState.Elsewhere:
                var warning = Diagnostic.Warning(DiagnosticCodes.GitRemoteHeadElsewhere,
                    $"{url} was empty and its HEAD names another branch than {branch}, so git clone checks out nothing", null,
                    $"on the server: git --git-dir=PATH/TO/REPO.git symbolic-ref HEAD refs/heads/{branch}; or make {branch} the default branch in the hosting service's repository settings");
                return result with { RemoteHead = state, Diagnostics = result.Diagnostics.Add(warning) };
        }

        return result with { RemoteHead = state };
    }

    /// <summary>
    /// Writes the policies into the directory, stages npgen's files there and commits them if they
    /// changed. A symbolic link in the way is bad input in the user's own working tree, an unsafe
    /// repository (exit 4) for publish.
    /// </summary>
    /// <param name="remoteMode">publish into npgen's own clone, not -o DIR in the user's working tree.</param>
    private Step CommitOnce(IGitRepository repo, string relative, BuildResult build, bool checkIndex, bool replaceEnvironment, bool remoteMode)
    {
        var head = repo.HeadCommit;
        var intentName = build.Intent!.Name;
        // A link stored in the repository (apps -> /etc) would make the writer write and delete outside
        // the clone, and the commit would replace the link: refuse before anything is written.
        var links = (head is null ? [] : repo.SymbolicLinks(head, relative))
            .Concat(WorkingTreeLinks(repo.WorkingDirectory, relative))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (links.Count > 0)
        {
            return new Step(Fail(remoteMode ? PublishOutcome.UnsafeRepository : PublishOutcome.BadInput, DiagnosticCodes.GitSymlinkInRepository,
                $"{List([.. links.Select(l => TextEscaping.ForLine(l))])} {(links.Count == 1 ? "is a symbolic link" : "are symbolic links")} at or above {Where(relative)}; npgen never writes or deletes through a link",
                remoteMode
                    ? "replace the link with a real directory in the repository (git rm the link, commit, push), or publish to another --path"
                    : "replace the link with a real directory, or write to another -o directory"));
        }

        var generated = (head is null ? [] : repo.ReadFiles(head, relative))
            .Where(f => IsYaml(f.Path) && f.Content.AsSpan().StartsWith(Encoding.UTF8.GetBytes(OutputDirectoryWriter.GeneratedMarker)))
            .Select(f => (File: f, Record: OutputRecord.Parse(f.Content)))
            .ToList();

        // Only this intent's files are its "before": another intent's files in the path are not touched.
        var owned = generated.Where(g => g.Record.Intent == intentName).Select(g => g.File).ToList();
        var legacy = generated.Any(g => g.Record.Intent == intentName && !g.Record.Recorded) && head is not null
            ? LegacyEnvironmentOf(repo, head, relative) ?? LegacyEnvironment.FromDirectoryName(relative.Length == 0 ? "." : relative, build.Intent.Source.File)
            : null;
        var files = BuildOutput.Files(build);
        var prefix = relative.Length == 0 ? "" : relative + "/";
        var paths = new SortedSet<string>(files.Select(f => prefix + f.RelativePath).Concat(owned.Select(f => f.Path)), StringComparer.Ordinal);
        if (checkIndex)
        {
            var unrelated = repo.ChangedPaths(staged: true).Where(p => !paths.Contains(p)).Order(StringComparer.Ordinal).ToList();
            if (unrelated.Count > 0)
            {
                return new Step(Fail(PublishOutcome.BadInput, DiagnosticCodes.GitUnrelatedStagedChanges,
                    $"the index holds staged changes to files npgen did not generate ({List(unrelated)}); npgen commits only its own files",
                    "commit them first, or unstage them with git restore --staged PATH"));
            }
        }

        var target = System.IO.Path.Join(repo.WorkingDirectory, relative);
        var written = OutputDirectoryWriter.Write(target, files, new WriteOptions
        {
            Boundary = repo.WorkingDirectory,
            ReplaceEnvironment = replaceEnvironment,
            Legacy = legacy,
        });
        if (!written.Succeeded)
        {
            var outcome = written.Diagnostics.Any(d => d.Code == DiagnosticCodes.OutputSymbolicLink) ? (remoteMode ? PublishOutcome.UnsafeRepository : PublishOutcome.BadInput) : PublishOutcome.BadInput;
            return new Step(new PublishResult { Outcome = outcome, Written = written, Diagnostics = written.Diagnostics });
        }

        log?.Invoke($"rendered {Count(files.Length, "file")} into {Where(relative)}: {written.Written.Length} written, {written.Unchanged.Length} unchanged, {written.Deleted.Length} deleted");
        repo.Stage(paths);
        if (repo.IndexMatches(head))
        {
            return new Step(new PublishResult { Outcome = PublishOutcome.UpToDate, Commit = head, Branch = repo.CurrentBranch, Written = written, Diagnostics = written.Diagnostics });
        }

        var diagnostics = written.Diagnostics.ToBuilder();
        var before = Policies(owned, diagnostics);
        var intent = build.Intent!;
        var changes = ConnectivityDiff.Compare(intent, AppConnectivity.Of(intent).Apps, before, [.. build.Policies.Select(p => p.Parsed)]);
        var message = CommitMessage.Build(settings, changes, firstPolicies: before.Count == 0, relative);
        var commit = repo.Commit(message, settings.Author, settings.Author);
        log?.Invoke($"committed {Short(commit)}: {PublishResult.FlowSummary(changes.Added.Length, changes.Removed.Length)}");
        return new Step(null, commit, message, changes, written, diagnostics.ToImmutable());
    }

    /// <summary>
    /// For output written before files recorded their environment: the <c>Npgen-Environment</c>
    /// trailer (absent: none) of the newest npgen commit whose message names this directory.
    /// </summary>
    private static LegacyEnvironment? LegacyEnvironmentOf(IGitRepository repo, string head, string relative)
    {
        var where = relative.Length == 0 ? "the repository root" : relative + "/";
        foreach (var commit in repo.Log(head, null).Take(200))
        {
            var lines = commit.Message.Split('\n');
            if (!CommitMessage.IsNpgenMessage(commit.Message) || !lines.Any(l => l.Contains($" in {where}", StringComparison.Ordinal)))
            {
                continue;
            }

            var trailer = lines.FirstOrDefault(l => l.StartsWith(CommitMessage.EnvironmentTrailer + ": ", StringComparison.Ordinal));
            var environment = trailer?[(CommitMessage.EnvironmentTrailer.Length + 2)..].Trim();
            return new LegacyEnvironment(environment,
                $"commit {Short(commit.Sha)} that wrote it {(environment is null ? "has no Npgen-Environment trailer" : $"says Npgen-Environment: {environment}")}");
        }

        return null;
    }

    /// <summary>The NetworkPolicies in npgen's files of the previous commit, for the connectivity comparison.</summary>
    private static List<NetworkPolicy> Policies(List<RepoFile> files, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var policies = new List<NetworkPolicy>();
        foreach (var file in files)
        {
            var loaded = ManifestLoader.LoadText(file.Path, Encoding.UTF8.GetString(file.Content));
            if (loaded.HasErrors)
            {
                diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.GitOperationFailed,
                    $"the committed {file.Path} does not parse, so the commit message leaves its policies out of the connectivity comparison", null));
                continue;
            }

            policies.AddRange(loaded.Cluster.Policies);
        }

        return policies;
    }

    private bool IsOwnCommit(CommitInfo commit)
        => string.Equals(commit.AuthorEmail, settings.Author.Email, StringComparison.OrdinalIgnoreCase) && CommitMessage.IsNpgenMessage(commit.Message);

    private void Backoff(int attempt)
    {
        var delay = Math.Min(MaxDelay.TotalMilliseconds, settings.RetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
#pragma warning disable CA5394 // jitter, not security
        var jittered = TimeSpan.FromMilliseconds(delay * (0.5 + Random.Shared.NextDouble()));
#pragma warning restore CA5394
        Thread.Sleep(jittered);
    }

    private static FileStream? LockCache(string path)
    {
        var until = DateTime.UtcNow + CacheLockWait;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                Thread.Sleep(200);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                DeleteTree(new DirectoryInfo(directory));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary clone is harmless; the result already says what happened.
        }

        // Depth first without following links: a link checked out of a hostile repository is removed, never what it points at.
        static void DeleteTree(DirectoryInfo directory)
        {
            foreach (var entry in directory.EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is not null)
                {
                    File.Delete(entry.FullName);
                }
                else if (entry is DirectoryInfo child)
                {
                    DeleteTree(child);
                }
                else
                {
                    entry.Attributes = FileAttributes.Normal; // pack files are read-only
                    entry.Delete();
                }
            }

            directory.Delete();
        }
    }

    /// <summary>DIR relative to the working tree ('/'-separated, "" for the root), or null when it is outside it or in .git.</summary>
    private static string? RelativeDirectory(IGitRepository repo, string directory)
    {
        var relative = System.IO.Path.GetRelativePath(repo.WorkingDirectory, System.IO.Path.GetFullPath(directory)).Replace('\\', '/');
        return relative == "." ? "" : NormalizePath(relative);
    }

    private static string? NormalizePath(string path)
    {
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        if (System.IO.Path.IsPathRooted(path) || segments.Any(s => s == ".." || s.Equals(".git", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return string.Join('/', segments);
    }

    /// <summary>Links in the working tree at a component of <paramref name="relative"/> or beneath it (untracked ones too), found without following any.</summary>
    private static List<string> WorkingTreeLinks(string root, string relative)
    {
        var links = new List<string>();
        var path = "";
        foreach (var segment in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path = path.Length == 0 ? segment : path + "/" + segment;
            var info = new FileInfo(System.IO.Path.Join(root, path));
            if (info.LinkTarget is not null)
            {
                links.Add(path);
                return links;
            }

            if (!Directory.Exists(info.FullName))
            {
                return links;
            }
        }

        var pending = new Stack<(string Full, string Relative)>();
        pending.Push((System.IO.Path.Join(root, relative), relative));
        while (pending.Count > 0)
        {
            var (full, rel) = pending.Pop();
            foreach (var entry in new DirectoryInfo(full).EnumerateFileSystemInfos())
            {
                var entryPath = rel.Length == 0 ? entry.Name : rel + "/" + entry.Name;
                if (entry.LinkTarget is not null)
                {
                    links.Add(entryPath);
                }
                else if (entry is DirectoryInfo && !(rel.Length == 0 && entry.Name == ".git"))
                {
                    pending.Push((entry.FullName, entryPath));
                }
            }
        }

        return links;
    }

    private static string Where(string relative) => relative.Length == 0 ? "the repository root" : relative;

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";


    private static bool IsUnder(string path, string directory) => directory.Length == 0 || path.StartsWith(directory + "/", StringComparison.Ordinal);

    private static bool IsYaml(string path) => path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static string Short(string sha) => sha.Length > 12 && sha.All(char.IsAsciiHexDigitLower) ? sha[..12] : sha;

    private static string List(List<string> paths) => paths.Count <= 5 ? string.Join(", ", paths) : $"{string.Join(", ", paths.Take(5))} and {paths.Count - 5} more";

    private static PublishResult Fail(PublishOutcome outcome, string code, string message, string? hint, Step? step = null)
        => new()
        {
            Outcome = outcome,
            Commit = step?.Commit,
            Message = step?.Message,
            FlowsAdded = step?.Changes?.Added.Length ?? 0,
            FlowsRemoved = step?.Changes?.Removed.Length ?? 0,
            Diagnostics = [Diagnostic.Error(code, message, null, hint)],
        };

    private static PublishResult GitFailed(GitException e)
    {
        var (code, hint) = e.Failure switch
        {
            GitFailure.Authentication => (DiagnosticCodes.GitAuthentication, "set NPGEN_GIT_USERNAME and NPGEN_GIT_PASSWORD (a token with write access); for SSH URLs, load the key into ssh-agent"),
            GitFailure.Rejected => (DiagnosticCodes.GitPushRejected, "the server's hook or branch protection refused the push; its message says why (for a protected branch, use --push-branch and a pull request)"),
            GitFailure.Certificate => (DiagnosticCodes.GitOperationFailed, "for a private certificate authority, pass its certificate with --ca-file"),
            GitFailure.NonFastForward => (DiagnosticCodes.GitRaceLost, "run npgen again"),
            GitFailure.Timeout => (DiagnosticCodes.GitTimeout, "check that the server is up; for a slow server raise --timeout (or NPGEN_GIT_TIMEOUT), e.g. --timeout 5m"),
            GitFailure.NoRepository => (DiagnosticCodes.GitNoRepository, "check --repo; to start a new GitOps repository: git init --bare PATH"),
            GitFailure.SymbolicLink => (DiagnosticCodes.GitSymlinkInRepository, (string?)null),
            _ => (DiagnosticCodes.GitOperationFailed, (string?)null),
        };
        return new PublishResult { Outcome = PublishOutcome.GitFailed, Diagnostics = [Diagnostic.Error(code, e.Message, null, hint)] };
    }

    /// <summary>One write-stage-commit: either a finished result (failure, or nothing to commit) or the new commit.</summary>
    private sealed record Step(PublishResult? Result, string? Commit = null, string? Message = null, ConnectivityChanges? Changes = null,
        WriteResult? Written = null, ImmutableArray<Diagnostic> Diagnostics = default)
    {
        public PublishResult Committed(string? branch, bool pushed, int attempts, int pushedCommits) => new()
        {
            Outcome = PublishOutcome.Committed,
            Commit = Commit,
            Branch = branch,
            Pushed = pushed,
            PushedCommits = pushedCommits,
            Attempts = attempts,
            FlowsAdded = Changes!.Added.Length,
            FlowsRemoved = Changes.Removed.Length,
            Message = Message,
            Written = Written,
            Diagnostics = Diagnostics.IsDefault ? [] : Diagnostics,
        };
    }
}
