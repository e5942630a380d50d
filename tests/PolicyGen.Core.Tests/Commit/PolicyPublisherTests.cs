using System.Text;
using PolicyGen.Commit;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Pipeline;

namespace PolicyGen.Core.Tests.Commit;

/// <summary>
/// The publisher's decisions against the in-memory Git (issue 15): the retry when another writer
/// wins the race, its limit, the refusals (foreign commits on the bot branch, uncommitted work a
/// rebuild would discard, a server's rejection), no empty commit, and force only on the bot branch.
/// The same behaviour is tested end to end against a real Git server in PolicyGen.Cli.Tests/GitOps.
/// </summary>
public sealed class PolicyPublisherTests : IDisposable
{
    private const string Intent = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata:
          name: shop
        spec:
          namespaces:
            shop: {managed: true}
          apps:
            web:
              namespace: shop
              selector: {app: web}
              ports: {http: 8080/TCP}
            api:
              namespace: shop
              selector: {app: api}
              calls: [web]
        """;

    private static readonly GitIdentity Someone = new("Alice Example", "alice@example.invalid");
    private static readonly BuildResult Build = BuildPipeline.Run(new IntentInput("intents.yaml", Intent), new BuildOptions());

    private readonly string temp = Directory.CreateTempSubdirectory("npgen-publisher-tests-").FullName;
    private readonly InMemoryRemote remote = new();

    public PolicyPublisherTests()
    {
        Assert.True(Build.Succeeded, string.Join("\n", Build.Diagnostics));
        remote.CommitAs(Someone, "main", "start the GitOps repository", ("README.md", "# gitops\n"));
    }

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void A_push_that_loses_the_race_is_redone_on_the_new_tip_and_keeps_the_other_writers_commit()
    {
        string? theirs = null;
        remote.BeforePush = n => theirs ??= remote.CommitAs(Someone, "main", "notes", ("docs/notes.md", "meanwhile\n"));

        var result = Publisher().Publish(Build, Direct());

        Assert.True(result.Outcome == PublishOutcome.Committed && result.Pushed, Describe(result));
        Assert.Equal(2, result.Attempts);
        Assert.Equal<(string Branch, bool Force)>([("main", false), ("main", false)], remote.Pushes);
        var tip = remote.Objects[remote.Tip("main")!];
        Assert.Equal(result.Commit, tip.Sha);
        Assert.Equal<string>([theirs!], tip.Parents);
        Assert.Contains("docs/notes.md", tip.Files.Keys);
        Assert.Contains(tip.Files.Keys, p => p.StartsWith("apps/shop/", StringComparison.Ordinal) && p.EndsWith(".yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void A_branch_that_keeps_moving_fails_after_the_attempt_limit_and_is_never_pushed_over()
    {
        remote.BeforePush = n => remote.CommitAs(Someone, "main", $"busy {n}", ($"docs/busy-{n}.md", "x\n"));

        var result = Publisher(maxAttempts: 3).Publish(Build, Direct());

        Assert.Equal(PublishOutcome.GitFailed, result.Outcome);
        Assert.Equal(DiagnosticCodes.GitRaceLost, Assert.Single(result.Diagnostics).Code);
        Assert.Equal(3, remote.Pushes.Count);
        var tip = remote.Objects[remote.Tip("main")!];
        Assert.Equal(Someone, tip.Author);
        Assert.DoesNotContain(tip.Files.Keys, p => p.StartsWith("apps/shop/", StringComparison.Ordinal));
    }

    [Fact]
    public void Publishing_the_same_policies_again_makes_no_commit_and_pushes_nothing()
    {
        var first = Publisher().Publish(Build, Direct());
        var tip = remote.Tip("main");

        var second = Publisher().Publish(Build, Direct());

        Assert.Equal(PublishOutcome.Committed, first.Outcome);
        Assert.True(second.Outcome == PublishOutcome.UpToDate, Describe(second));
        Assert.Equal(tip, remote.Tip("main"));
        Assert.Single(remote.Pushes);
    }

    [Fact]
    public void The_bot_branch_is_refused_when_it_holds_a_commit_npgen_did_not_make()
    {
        var foreign = remote.CommitAs(Someone, "npgen/shop", "hand-made fix", ("apps/shop/extra.yaml", "kind: ConfigMap\n"));

        var result = Publisher().Publish(Build, Direct() with { PushBranch = "npgen/shop" });

        Assert.Equal(PublishOutcome.GitFailed, result.Outcome);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.GitForeignCommits, error.Code);
        Assert.Contains("Alice Example", error.Message, StringComparison.Ordinal);
        Assert.Empty(remote.Pushes);
        Assert.Equal(foreign, remote.Tip("npgen/shop"));
    }

    [Fact]
    public void Only_the_bot_branch_is_force_pushed_and_the_base_branch_is_left_alone()
    {
        var main = remote.Tip("main");

        var proposed = Publisher().Publish(Build, Direct() with { PushBranch = "npgen/shop" });
        var again = Publisher().Publish(Build, Direct() with { PushBranch = "npgen/shop" });

        Assert.True(proposed.Outcome == PublishOutcome.Committed && proposed.Branch == "npgen/shop", Describe(proposed));
        Assert.Equal<(string Branch, bool Force)>([("npgen/shop", true)], remote.Pushes);
        Assert.Equal(main, remote.Tip("main"));
        Assert.Equal<string>([main!], remote.Objects[remote.Tip("npgen/shop")!].Parents);
        Assert.True(again.Outcome == PublishOutcome.UpToDate, Describe(again));
    }

    [Fact]
    public void A_push_the_server_refuses_is_an_error_that_carries_the_servers_words()
    {
        remote.RejectWith = "pre-receive hook declined: branch is protected";
        var main = remote.Tip("main");

        var result = Publisher().Publish(Build, Direct());

        Assert.Equal(PublishOutcome.GitFailed, result.Outcome);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.GitPushRejected, error.Code);
        Assert.Contains("branch is protected", error.Message, StringComparison.Ordinal);
        Assert.Single(remote.Pushes);
        Assert.Equal(main, remote.Tip("main"));
    }

    [Fact]
    public void A_local_push_that_loses_the_race_is_redone_on_the_new_tip_when_the_tree_is_clean()
    {
        var (client, repo) = LocalClone();
        string? theirs = null;
        remote.BeforePush = n => theirs ??= remote.CommitAs(Someone, "main", "notes", ("docs/notes.md", "meanwhile\n"));

        var result = new PolicyPublisher(client, Settings()).CommitLocal(Build, new LocalCommitRequest(Path.Join(repo.WorkingDirectory, "apps/shop"), Push: true, null, null));

        Assert.True(result.Outcome == PublishOutcome.Committed && result.Pushed, Describe(result));
        Assert.Equal(2, result.Attempts);
        Assert.Equal(remote.Tip("main"), repo.HeadCommit);
        Assert.Equal<string>([theirs!], remote.Objects[remote.Tip("main")!].Parents);
        Assert.True(File.Exists(Path.Join(repo.WorkingDirectory, "docs/notes.md")));
    }

    [Fact]
    public void A_local_push_refuses_to_rebuild_over_uncommitted_changes_and_keeps_them()
    {
        var (client, repo) = LocalClone();
        var readme = Path.Join(repo.WorkingDirectory, "README.md");
        File.WriteAllText(readme, "# gitops\nwork in progress\n");
        var theirs = (string?)null;
        remote.BeforePush = n => theirs ??= remote.CommitAs(Someone, "main", "notes", ("docs/notes.md", "meanwhile\n"));

        var result = new PolicyPublisher(client, Settings()).CommitLocal(Build, new LocalCommitRequest(Path.Join(repo.WorkingDirectory, "apps/shop"), Push: true, null, null));

        Assert.Equal(PublishOutcome.GitFailed, result.Outcome);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.GitCannotRetry, error.Code);
        Assert.Contains("README.md", error.Message, StringComparison.Ordinal);
        Assert.Contains("stays local", error.Message, StringComparison.Ordinal);
        Assert.Equal("# gitops\nwork in progress\n", File.ReadAllText(readme));
        Assert.Equal(theirs, remote.Tip("main"));
        Assert.Equal(result.Commit, repo.HeadCommit);
    }

    [Fact]
    public void A_local_commit_of_unchanged_policies_makes_no_commit()
    {
        var (client, repo) = LocalClone();
        var request = new LocalCommitRequest(Path.Join(repo.WorkingDirectory, "apps/shop"), Push: false, null, null);

        var first = new PolicyPublisher(client, Settings()).CommitLocal(Build, request);
        var head = repo.HeadCommit;
        var second = new PolicyPublisher(client, Settings()).CommitLocal(Build, request);

        Assert.Equal(PublishOutcome.Committed, first.Outcome);
        Assert.True(second.Outcome == PublishOutcome.UpToDate, Describe(second));
        Assert.Equal(head, repo.HeadCommit);
        Assert.Empty(remote.Pushes);
    }

    private static CommitSettings Settings(int maxAttempts = 5) => new()
    {
        Scope = "shop",
        Version = "0.0.0-test",
        IntentPath = "intents.yaml",
        IntentSha256 = new string('a', 64),
        MaxAttempts = maxAttempts,
        RetryDelay = TimeSpan.Zero,
    };

    private PolicyPublisher Publisher(int maxAttempts = 5) => new(new InMemoryGitClient(remote), Settings(maxAttempts));

    private static PublishRequest Direct() => new("memory://gitops", "apps/shop", "main", PushBranch: null, CacheDirectory: null);

    /// <summary>The user's clone of the remote's main, for local mode (-o DIR --commit --push).</summary>
    private (InMemoryGitClient Client, InMemoryGitRepository Repo) LocalClone()
    {
        var repo = new InMemoryGitRepository(Directory.CreateDirectory(Path.Join(temp, "clone")).FullName, remote);
        repo.ResetHard("main", remote.Tip("main"), removeUntracked: false);
        return (new InMemoryGitClient(remote) { Local = repo }, repo);
    }

    private static string Describe(PublishResult result)
        => new StringBuilder($"{result.Outcome} after {result.Attempts} attempt(s): ").AppendJoin("; ", result.Diagnostics.Select(d => $"{d.Code} {d.Message}")).ToString();
}
