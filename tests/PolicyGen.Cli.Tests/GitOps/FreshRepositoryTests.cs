using System.Text.Json;

namespace PolicyGen.Cli.Tests.GitOps;

/// <summary>
/// Issue 13 item 3: the first publish into a new <c>git init --bare</c> repository (HEAD at
/// master) leaves a repository that git clone checks out; a remote one is reported with the command
/// that fixes it; a path with no repository says so.
/// </summary>
public sealed class FreshRepositoryTests : GitOpsTestBase
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_empty_bare_repository_reached_by_path_gets_its_head_pointed_at_the_pushed_branch(bool fileUrl)
    {
        var bare = Path.Combine(temp, "fresh.git");
        Directory.CreateDirectory(bare);
        GitCli.Run(bare, "-c", "init.defaultBranch=master", "init", "-q", "--bare");
        Assert.Equal("refs/heads/master", GitCli.Run(bare, "symbolic-ref", "HEAD").Trim());

        // "pointed the HEAD" is a progress line: on with NPGEN_PROGRESS=1 when stderr is a pipe (the JSON says it too).
        var run = Publish(Env(("NPGEN_PROGRESS", "1")), Intent("payments", Version1), fileUrl ? "file://" + bare : bare, "--path", "apps/payments", "-o", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("pointed", JsonDocument.Parse(run.StdOut).RootElement.GetProperty("remoteHead").GetString());
        Assert.Contains("pointed the HEAD", run.StdErr);
        Assert.Equal("refs/heads/main", GitCli.Run(bare, "symbolic-ref", "HEAD").Trim());

        var clone = Path.Combine(temp, "clone");
        var (_, warnings) = GitCli.RunWithStderr(temp, "clone", bare, clone);
        Assert.DoesNotContain("warning", warnings, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("main", GitCli.Run(clone, "rev-parse", "--abbrev-ref", "HEAD").Trim());
        Assert.True(File.Exists(Path.Combine(clone, "apps", "payments", "shop", "default-deny.yaml")));
        Assert.Single(Log(bare, "HEAD"));
    }

    [Fact]
    public void A_repository_that_already_has_branches_keeps_its_head()
    {
        var bare = GitCli.CreateBare(temp, "gitops.git");
        GitCli.Run(bare, "symbolic-ref", "HEAD", "refs/heads/trunk");
        var run = Publish(null, Intent("payments", Version1), bare, "--path", "apps/payments", "-o", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(run.StdOut).RootElement.GetProperty("remoteHead").ValueKind);
        Assert.Equal("refs/heads/trunk", GitCli.Run(bare, "symbolic-ref", "HEAD").Trim());
    }

    [Fact]
    public void An_empty_remote_repository_whose_head_names_another_branch_is_reported_with_the_fix()
    {
        var root = Path.Combine(temp, "srv");
        var bare = Path.Combine(root, "fresh.git");
        Directory.CreateDirectory(bare);
        GitCli.Run(bare, "-c", "init.defaultBranch=master", "init", "-q", "--bare");
        GitCli.Run(bare, "config", "http.receivepack", "true");
        using var server = new GitHttpServer(root, User, Password);

        var run = Publish(WithToken(), Intent("payments", Version1), server.Url("fresh.git"), "--path", "apps/payments", "-o", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("elsewhere", JsonDocument.Parse(run.StdOut).RootElement.GetProperty("remoteHead").GetString());
        Assert.Contains("warning NPG614", run.StdErr);
        Assert.Contains("symbolic-ref HEAD refs/heads/main", run.StdErr);
        Assert.Equal("refs/heads/master", GitCli.Run(bare, "symbolic-ref", "HEAD").Trim()); // npgen does not reach into a server

        // After the fix the warning says, the repository clones cleanly.
        GitCli.Run(bare, "symbolic-ref", "HEAD", "refs/heads/main");
        var (_, warnings) = GitCli.RunWithStderr(temp, "clone", bare, Path.Combine(temp, "clone"));
        Assert.DoesNotContain("warning", warnings, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_path_with_no_repository_is_named_with_exit_4()
    {
        Directory.CreateDirectory(Path.Combine(temp, "work"));
        Directory.CreateDirectory(Path.Combine(temp, "plain-dir"));
        var intent = Intent("payments", Version1);
        foreach (var (repo, says) in new[]
        {
            ("../nope.git", "no repository at ../nope.git"),
            ("file://" + Path.Combine(temp, "nope.git"), "no repository at file://"),
            ("../plain-dir", "no repository at ../plain-dir"),
        })
        {
            var run = Npgen.RunIn(Path.Combine(temp, "work"), Fast, null, "publish", intent, "--repo", repo, "--path", "apps/payments");
            Assert.True(run.ExitCode == 4, run.ToString());
            Assert.Contains("NPG613", run.StdErr);
            Assert.Contains(says, run.StdErr);
            Assert.DoesNotContain("unsupported URL protocol", run.StdErr);
        }

        Assert.False(Directory.Exists(Path.Combine(temp, "nope.git")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(temp, "plain-dir")));
    }
}
