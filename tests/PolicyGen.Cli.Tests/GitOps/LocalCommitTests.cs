namespace PolicyGen.Cli.Tests.GitOps;

/// <summary>npgen build -o DIR --commit [--push] in a working tree the user owns.</summary>
public sealed class LocalCommitTests : GitOpsTestBase
{
    // ------------------------------------------------------------------ local mode

    [Fact]
    public void Local_commit_commits_only_npgens_files_once_and_then_says_up_to_date()
    {
        var work = Path.Combine(temp, "work");
        Directory.CreateDirectory(work);
        GitCli.Run(work, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(work, "README.md"), "ops repo\n");
        GitCli.Run(work, "add", "README.md");
        GitCli.Run(work, "commit", "-q", "-m", "Start");
        Directory.CreateDirectory(Path.Combine(work, "netpol"));
        File.WriteAllText(Path.Combine(work, "netpol", "NOTES.md"), "hand-written, not npgen's\n");
        File.WriteAllText(Path.Combine(work, "README.md"), "ops repo, edited but not staged\n");
        var intent = Intent("local", Version1);

        var first = Npgen.RunIn(work, Fast, null, "build", intent, "-o", "netpol", "--commit");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.StartsWith("committed ", first.StdOut, StringComparison.Ordinal);
        Assert.Equal(2, Log(work).Length);
        var files = GitCli.Lines(GitCli.Run(work, "show", "--name-only", "--format=", "HEAD"));
        Assert.All(files, f => Assert.StartsWith("netpol/", f, StringComparison.Ordinal));
        Assert.Contains("netpol/shop/default-deny.yaml", files);
        Assert.DoesNotContain("netpol/NOTES.md", files);
        Assert.Equal("hand-written, not npgen's\n", File.ReadAllText(Path.Combine(work, "netpol", "NOTES.md")));
        Assert.Equal("ops repo, edited but not staged\n", File.ReadAllText(Path.Combine(work, "README.md")));
        Assert.Contains(" M README.md", GitCli.Run(work, "status", "--porcelain"));
        Assert.Contains("?? netpol/NOTES.md", GitCli.Run(work, "status", "--porcelain"));
        Assert.Equal("npgen-bot <npgen-bot@noreply.invalid>", Log(work, format: "%an <%ae>")[0]);

        var second = Npgen.RunIn(work, Fast, null, "build", intent, "-o", "netpol", "--commit");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("up to date\n", second.StdOut);
        Assert.Equal(2, Log(work).Length);

        File.WriteAllText(intent, Version2);
        var third = Npgen.RunIn(work, Env(("NPGEN_GIT_AUTHOR_NAME", "Policy Bot"), ("NPGEN_GIT_AUTHOR_EMAIL", "policy-bot@example.invalid")), null,
            "build", intent, "-o", "netpol", "--commit");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal(3, Log(work).Length);
        var message = GitCli.Run(work, "log", "-1", "--format=%B");
        Assert.StartsWith("npgen: update NetworkPolicies for shop\n\n", message, StringComparison.Ordinal);
        var flowLines = GitCli.Lines(message).Where(l => l.StartsWith("+ ", StringComparison.Ordinal) || l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["+ shop/web -> shop/api 8080/TCP", "- monitoring/* -> shop/db 5432/TCP"], flowLines);
        Assert.Equal("Policy Bot <policy-bot@example.invalid>", Log(work, format: "%an <%ae>|%cn <%ce>")[0].Split('|')[0]);
        Assert.Equal("Policy Bot <policy-bot@example.invalid>", Log(work, format: "%an <%ae>|%cn <%ce>")[0].Split('|')[1]);
        var trailers = GitCli.Run(work, "log", "-1", "--format=%(trailers:key=Npgen-Version,key=Npgen-Intent-Path,key=Npgen-Intent-Sha256,valueonly,separator=|)").Trim();
        var values = trailers.Split('|');
        Assert.Equal("0.1.0", values[0]);
        Assert.EndsWith("app/local/intents.yaml", values[1], StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(intent))), values[2]);
        Assert.Equal("hand-written, not npgen's\n", File.ReadAllText(Path.Combine(work, "netpol", "NOTES.md")));
    }

    [Fact]
    public void Local_commit_refuses_unrelated_staged_changes_and_a_directory_outside_git()
    {
        var work = Path.Combine(temp, "work");
        Directory.CreateDirectory(work);
        GitCli.Run(work, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(work, "other.txt"), "staged by a human\n");
        GitCli.Run(work, "add", "other.txt");
        var intent = Intent("local", Version1);

        var staged = Npgen.RunIn(work, Fast, null, "build", intent, "-o", "netpol", "--commit");
        Assert.Equal(2, staged.ExitCode);
        Assert.Contains("NPG601", staged.StdErr);
        Assert.Contains("other.txt", staged.StdErr);
        Assert.Throws<InvalidOperationException>(() => GitCli.Run(work, "rev-parse", "--verify", "-q", "HEAD"));

        var outside = Npgen.RunIn(temp, Fast, null, "build", intent, "-o", Path.Combine(temp, "not-a-repo"), "--commit");
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("NPG600", outside.StdErr);
    }

    [Fact]
    public void Local_commit_pushes_to_the_upstream()
    {
        var bare = GitCli.CreateBare(temp, "origin.git");
        var work = Path.Combine(temp, "work");
        GitCli.Run(temp, "clone", "-q", bare, work);
        var intent = Intent("local", Version1);
        var run = Npgen.RunIn(work, Fast, null, "build", intent, "-o", "apps/shop", "--commit", "--push");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("pushed ", run.StdOut, StringComparison.Ordinal);
        Assert.Equal(GitCli.Run(work, "rev-parse", "HEAD"), GitCli.Run(bare, "rev-parse", "main"));
    }
}
