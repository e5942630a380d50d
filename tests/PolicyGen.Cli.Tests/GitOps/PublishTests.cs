using System.Text.Json;

namespace PolicyGen.Cli.Tests.GitOps;

/// <summary>npgen publish to bare repositories by path and file:// URL, pull-request branch mode, and npgen argocd app.</summary>
public sealed class PublishTests : GitOpsTestBase
{
    // ------------------------------------------------------------------ remote mode: bare path and file://

    [Fact]
    public void Publish_to_a_bare_repository_by_path_and_by_file_url_is_idempotent()
    {
        var bare = GitCli.CreateBare(temp, "gitops.git");
        var intent = Intent("shop", Version1);

        var first = Publish(null, intent, bare, "--path", "apps/shop", "-o", "json");
        Assert.True(first.ExitCode == 0, first.ToString());
        using (var json = JsonDocument.Parse(first.StdOut))
        {
            var root = json.RootElement;
            Assert.True(root.GetProperty("changed").GetBoolean());
            Assert.True(root.GetProperty("pushed").GetBoolean());
            Assert.Equal("main", root.GetProperty("branch").GetString());
            Assert.Equal(1, root.GetProperty("attempts").GetInt32());
            Assert.Equal(GitCli.Run(bare, "rev-parse", "main").Trim(), root.GetProperty("commit").GetString());
            Assert.True(root.GetProperty("flows").GetProperty("removed").GetInt32() > 0);
            Assert.Equal(["apiVersion", "kind", "changed", "commit", "branch", "pushed", "attempts", "flows", "pushedCommits", "remoteHead", "error"], root.EnumerateObject().Select(p => p.Name));
        }

        Assert.Equal(["npgen: update NetworkPolicies for shop", "Seed"], Log(bare));
        Assert.Contains("apps/shop/shop/db-ingress.yaml", GitCli.Run(bare, "ls-tree", "-r", "--name-only", "main"));
        Assert.Contains("README.md", GitCli.Run(bare, "ls-tree", "-r", "--name-only", "main"));

        var again = Publish(null, intent, "file://" + bare, "--path", "apps/shop");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("up to date\n", again.StdOut);
        Assert.Equal(2, Log(bare).Length);

        File.WriteAllText(intent, Version2);
        var change = Publish(null, intent, "file://" + bare, "--path", "apps/shop", "-o", "json");
        Assert.True(change.ExitCode == 0, change.ToString());
        using (var json = JsonDocument.Parse(change.StdOut))
        {
            Assert.Equal(1, json.RootElement.GetProperty("flows").GetProperty("added").GetInt32());
            Assert.Equal(1, json.RootElement.GetProperty("flows").GetProperty("removed").GetInt32());
        }

        Assert.Equal(3, Log(bare).Length);
        // The temporary clones are gone: none of them points at this test's repository.
        Assert.DoesNotContain(Directory.GetDirectories(Path.GetTempPath(), "npgen-publish-*"),
            d => File.Exists(Path.Combine(d, ".git", "config")) && File.ReadAllText(Path.Combine(d, ".git", "config")).Contains(bare, StringComparison.Ordinal));
    }

    [Fact]
    public void Publish_into_an_empty_repository_creates_the_branch_and_reuses_a_cache_dir()
    {
        var bare = GitCli.CreateBare(temp, "empty.git", seed: false);
        var intent = Intent("shop", Version1);
        var cache = Path.Combine(temp, "cache");
        var first = Publish(null, intent, bare, "--path", "netpol", "--cache-dir", cache);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Single(Log(bare));
        File.WriteAllText(intent, Version2);
        var second = Publish(null, intent, bare, "--path", "netpol", "--cache-dir", cache);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(2, Log(bare).Length);
        Assert.Single(Directory.GetDirectories(cache));

        var missing = Publish(null, intent, bare, "--path", "netpol", "--branch", "release");
        Assert.Equal(4, missing.ExitCode);
        Assert.Contains("NPG607", missing.StdErr);
    }

    // ------------------------------------------------------------------ pull-request branch mode

    [Fact]
    public void Pull_request_mode_force_pushes_only_its_own_branch_and_refuses_foreign_commits()
    {
        var bare = GitCli.CreateBare(temp, "gitops.git");
        var intent = Intent("shop", Version1);
        var main = GitCli.Run(bare, "rev-parse", "main");

        var first = Publish(null, intent, bare, "--path", "apps/shop", "--push-branch", "npgen/shop", "-o", "json");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("npgen/shop", JsonDocument.Parse(first.StdOut).RootElement.GetProperty("branch").GetString());
        Assert.Equal(main, GitCli.Run(bare, "rev-parse", "main"));
        Assert.Equal(["npgen: update NetworkPolicies for shop", "Seed"], Log(bare, "npgen/shop"));

        // main moves on; a new intent is proposed again on the fresh main: the bot branch is replaced, not stacked.
        GitCli.CommitTo(bare, "main", "docs/x.md", "x\n", "Docs");
        File.WriteAllText(intent, Version2);
        var second = Publish(null, intent, bare, "--path", "apps/shop", "--push-branch", "npgen/shop");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(["npgen: update NetworkPolicies for shop", "Docs", "Seed"], Log(bare, "npgen/shop"));

        var third = Publish(null, intent, bare, "--path", "apps/shop", "--push-branch", "npgen/shop");
        Assert.Equal("up to date\n", third.StdOut);

        // A human pushes to the bot branch: npgen must not overwrite it.
        GitCli.CommitTo(bare, "npgen/shop", "apps/shop/README.md", "review notes\n", "Reviewer notes");
        var tip = GitCli.Run(bare, "rev-parse", "npgen/shop");
        File.WriteAllText(intent, Version1);
        var refused = Publish(null, intent, bare, "--path", "apps/shop", "--push-branch", "npgen/shop");
        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("NPG605", refused.StdErr);
        Assert.Contains("Test Human", refused.StdErr);
        Assert.Equal(tip, GitCli.Run(bare, "rev-parse", "npgen/shop"));

        var onBase = Publish(null, intent, bare, "--path", "apps/shop", "--push-branch", "main");
        Assert.Equal(2, onBase.ExitCode);
    }

    [Fact]
    public void Argocd_app_prints_a_directory_application_with_automated_prune()
    {
        var run = Npgen.Run("argocd", "app", "--repo", "https://git.example.com/platform/gitops.git", "--path", "apps/shop", "--name", "shop-netpol", "--dest-namespace", "shop", "--dest-namespace", "shop-data");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(Npgen.Repo, "examples", "gitops", "gitops-repo", "argocd", "shop-netpol.yaml")), run.StdOut);
        var withSecret = Npgen.Run("argocd", "app", "--repo", "https://bot:tok@git.example.com/x.git", "--path", "a", "--name", "n");
        Assert.Equal(2, withSecret.ExitCode);
        Assert.DoesNotContain("tok", withSecret.StdErr);
    }

    [Fact]
    public void The_gitops_example_holds_what_npgen_writes_for_the_app_repositorys_intent()
    {
        var example = Path.Combine(Npgen.Repo, "examples", "gitops");
        var output = Path.Combine(temp, "apps-shop");
        var run = Npgen.Run("build", "examples/gitops/app-repo/deploy/intents.yaml", "--env", "prod", "-o", output + "/");
        Assert.True(run.ExitCode == 0, run.ToString());
        var expected = Path.Combine(example, "gitops-repo", "apps", "shop");
        var files = Directory.GetFiles(expected, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(expected, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, Directory.GetFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(File.ReadAllText(Path.Combine(expected, f)), File.ReadAllText(Path.Combine(output, f))));
    }
}
