using System.Text.Json;
using System.Text.RegularExpressions;

namespace PolicyGen.Cli.Tests.GitOps;

/// <summary>
/// Issue 13 items 2 and 5: "up to date" only when the remote branch holds the policies; --commit
/// --push pushes the commits a branch holds ahead of its remote; publish says what it does on
/// stderr, and stdout and stderr agree on what changed.
/// </summary>
public sealed class HonestPushTests : GitOpsTestBase
{
    [Fact]
    public void Commit_then_commit_and_push_delivers_the_earlier_commit_and_says_so()
    {
        var bare = GitCli.CreateBare(temp, "origin.git");
        var work = Path.Combine(temp, "work");
        GitCli.Run(temp, "clone", "-q", bare, work);
        var intent = Intent("payments", Version1);

        var committed = Npgen.RunIn(work, Fast, null, "build", intent, "-o", "apps/payments", "--commit");
        Assert.True(committed.ExitCode == 0, committed.ToString());
        Assert.Contains("ahead 1", GitCli.Run(work, "status", "-sb"));

        var pushed = Npgen.RunIn(work, Fast, null, "build", intent, "-o", "apps/payments", "--commit", "--push");
        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        Assert.DoesNotContain("up to date", pushed.StdOut);
        Assert.StartsWith("pushed 1 earlier commit to main", pushed.StdOut, StringComparison.Ordinal);
        Assert.Equal(GitCli.Run(work, "rev-parse", "HEAD"), GitCli.Run(bare, "rev-parse", "main"));
        GitCli.Run(work, "fetch", "-q");
        Assert.DoesNotContain("ahead", GitCli.Run(work, "status", "-sb"));

        // Now, and only now, the remote holds the policies.
        var again = Npgen.RunIn(work, Env(("NPGEN_PROGRESS", "1")), null, "build", intent, "-o", "apps/payments", "--commit", "--push");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("up to date\n", again.StdOut);
        Assert.Contains("origin/main at", again.StdErr); // a progress line: on with NPGEN_PROGRESS=1 when stderr is a pipe
        Assert.Equal(2, Log(bare).Length);

        // A new intent on top of two unpushed commits: one push delivers all of them, and says so.
        GitCli.CommitTo(bare, "main", "docs/unrelated.md", "x\n", "Unrelated"); // the remote moved elsewhere meanwhile
        GitCli.Run(work, "pull", "-q", "--ff-only");
        File.WriteAllText(Path.Combine(work, "NOTES.md"), "local note\n");
        GitCli.Run(work, "add", "NOTES.md");
        GitCli.Run(work, "commit", "-q", "-m", "Local note");
        File.WriteAllText(intent, Version2);
        var both = Npgen.RunIn(work, Fast, null, "build", intent, "-o", "apps/payments", "--commit", "--push");
        Assert.True(both.ExitCode == 0, both.ToString());
        Assert.Matches("^pushed [0-9a-f]{40} to main with 1 earlier commit: 1 flow added, 1 removed\n$", both.StdOut);
        Assert.Equal(GitCli.Run(work, "rev-parse", "HEAD"), GitCli.Run(bare, "rev-parse", "main"));
    }

    [Fact]
    public void Up_to_date_locally_but_behind_a_remote_that_changed_the_policies_rebuilds_on_the_remote()
    {
        var bare = GitCli.CreateBare(temp, "origin.git");
        var work = Path.Combine(temp, "work");
        GitCli.Run(temp, "clone", "-q", bare, work);
        var intent = Intent("payments", Version1);
        Assert.Equal(0, Npgen.RunIn(work, Fast, null, "build", intent, "-o", "apps/payments", "--commit", "--push").ExitCode);

        // Someone edits a generated file on the remote: the remote no longer holds these policies.
        var generated = GitCli.Run(bare, "show", "main:apps/payments/shop/default-deny.yaml");
        GitCli.CommitTo(bare, "main", "apps/payments/shop/default-deny.yaml", generated + "# Edited by hand\n", "Hand edit");
        var run = Npgen.RunIn(work, Fast, null, "build", intent, "-o", "apps/payments", "--commit", "--push", "-m", "npgen: restore");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("pushed ", run.StdOut, StringComparison.Ordinal);
        Assert.Equal(["npgen: restore", "Hand edit", "npgen: update NetworkPolicies for shop", "Seed"], Log(bare));
        Assert.DoesNotContain("Edited", GitCli.Run(bare, "show", "main:apps/payments/shop/default-deny.yaml"));
    }

    [Fact]
    public void Publish_with_a_cache_dir_pushes_what_an_earlier_rejected_run_left_committed()
    {
        // Over HTTP, so that the server runs the hook (libgit2's local transport runs none).
        var root = Path.Combine(temp, "srv");
        var bare = GitCli.CreateBare(root, "gitops.git");
        using var server = new GitHttpServer(root, User, Password);
        var url = server.Url("gitops.git");
        var hook = Path.Combine(bare, "hooks", "pre-receive");
        File.WriteAllText(hook, "#!/bin/sh\necho 'frozen for the release' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var cache = Path.Combine(temp, "cache");
        var intent = Intent("payments", Version1);

        var rejected = Publish(WithToken(), intent, url, "--path", "apps/payments", "--cache-dir", cache);
        Assert.Equal(4, rejected.ExitCode);
        Assert.Contains("frozen for the release", rejected.StdErr);
        Assert.Single(Log(bare));

        File.Delete(hook);
        var delivered = Publish(WithToken(), intent, url, "--path", "apps/payments", "--cache-dir", cache, "-o", "json");
        Assert.True(delivered.ExitCode == 0, delivered.ToString());
        using (var json = JsonDocument.Parse(delivered.StdOut))
        {
            Assert.True(json.RootElement.GetProperty("pushed").GetBoolean());
            Assert.Equal(1, json.RootElement.GetProperty("pushedCommits").GetInt32());
        }

        Assert.Equal(2, Log(bare).Length);
        var again = Publish(WithToken(), intent, url, "--path", "apps/payments", "--cache-dir", cache);
        Assert.Equal("up to date\n", again.StdOut);
    }

    [Fact]
    public void Publish_shows_each_stage_on_stderr_and_both_streams_agree_on_the_flows()
    {
        var bare = GitCli.CreateBare(temp, "gitops.git");
        var intent = Intent("payments", Version1);
        // Progress is for terminals; NPGEN_PROGRESS=1 keeps it when stderr is a CI log (here, a pipe).
        var run = Publish(Env(("NPGEN_PROGRESS", "1")), intent, bare, "--path", "apps/payments");
        Assert.True(run.ExitCode == 0, run.ToString());

        var stages = GitCli.Lines(run.StdErr).Where(l => l.StartsWith("npgen publish: ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(["building", "cloning", "rendered", "committed", "pushing"], stages);
        var stdoutFlows = Regex.Match(run.StdOut, @"^pushed [0-9a-f]{40} to main: (\d+ flows? added, \d+ removed)\n$");
        Assert.True(stdoutFlows.Success, run.StdOut);
        var stderrFlows = Regex.Match(run.StdErr, @"committed [0-9a-f]{12}: (\d+ flows? added, \d+ removed)");
        Assert.True(stderrFlows.Success, run.StdErr);
        Assert.Equal(stdoutFlows.Groups[1].Value, stderrFlows.Groups[1].Value);
        Assert.StartsWith("0 flows added, ", stdoutFlows.Groups[1].Value, StringComparison.Ordinal); // first policies only take flows away

        File.WriteAllText(intent, Version2);
        var quiet = Publish(Env(("NPGEN_PROGRESS", "never")), intent, bare, "--path", "apps/payments", "-o", "json");
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.DoesNotContain("npgen publish:", quiet.StdErr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(quiet.StdOut);
        Assert.Equal(["apiVersion", "kind", "changed", "commit", "branch", "pushed", "attempts", "flows", "pushedCommits", "remoteHead", "error"], json.RootElement.EnumerateObject().Select(p => p.Name));
    }
}
