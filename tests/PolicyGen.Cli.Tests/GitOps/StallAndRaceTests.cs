using System.Text.Json;

namespace PolicyGen.Cli.Tests.GitOps;

/// <summary>
/// Issue 11 item 8: a Git server that stops answering fails the publish after --timeout with a
/// message that names the option (never "failed: no error"); a concurrent first publish into an
/// empty repository is retried, not refused with NPG607.
/// </summary>
public sealed class StallAndRaceTests : GitOpsTestBase
{
    [Theory]
    [InlineData(StallMode.BeforeAnswer)]
    [InlineData(StallMode.MidAnswer)]
    public void A_silent_server_fails_after_the_timeout_and_the_message_names_it(StallMode mode)
    {
        var root = Path.Combine(temp, "srv");
        var bare = GitCli.CreateBare(root, "gitops.git");
        using var server = new GitHttpServer(root, User, Password) { Stall = mode };

        var run = Publish(WithToken(), Intent("shop", Version1), server.Url("gitops.git"), "--path", "apps/shop", "--timeout", "1s", "-o", "json");
        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains("NPG612", run.StdErr);
        Assert.Contains("did not answer for 1 s", run.StdErr);
        Assert.Contains("--timeout", run.StdErr);
        Assert.Contains("NPGEN_GIT_TIMEOUT", run.StdErr);
        Assert.DoesNotContain("no error", run.StdErr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(run.StdOut);
        Assert.Contains("did not answer", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Single(Log(bare));
    }

    [Fact]
    public void The_timeout_comes_from_the_environment_and_a_bad_value_is_refused()
    {
        var root = Path.Combine(temp, "srv");
        GitCli.CreateBare(root, "gitops.git");
        using var server = new GitHttpServer(root, User, Password) { Stall = StallMode.BeforeAnswer };
        var intent = Intent("shop", Version1);

        var fromEnv = Publish(Env(("NPGEN_GIT_USERNAME", User), ("NPGEN_GIT_PASSWORD", Password), ("NPGEN_GIT_TIMEOUT", "500ms")), intent, server.Url("gitops.git"), "--path", "apps/shop");
        Assert.Equal(4, fromEnv.ExitCode);
        Assert.Contains("did not answer for 500 ms", fromEnv.StdErr);

        foreach (var bad in new[] { "soon", "0s", "2d", "10x" })
        {
            var refused = Publish(WithToken(), intent, server.Url("gitops.git"), "--path", "apps/shop", "--timeout", bad);
            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Contains($"--timeout {bad} is not a duration", refused.StdErr);
        }

        var badEnv = Publish(Env(("NPGEN_GIT_TIMEOUT", "forever")), intent, server.Url("gitops.git"), "--path", "apps/shop");
        Assert.Equal(2, badEnv.ExitCode);
        Assert.Contains("NPGEN_GIT_TIMEOUT forever is not a duration", badEnv.StdErr);
    }

    [Fact]
    public void An_answer_larger_than_the_response_limit_fails_the_publish_and_names_the_limit()
    {
        // Issue 11 item 6: a smart-HTTP answer is buffered whole, so its size is bounded. A repository
        // holding ~2 MiB of incompressible text cannot be cloned under a 1 MiB limit; the default reads it.
        var root = Path.Combine(temp, "srv");
        var bare = GitCli.CreateBare(root, "big.git", seed: false);
        var random = new Random(11);
        var bytes = new byte[1536 * 1024];
        random.NextBytes(bytes);
        FirstCommit(bare, "blobs/noise.txt", Convert.ToBase64String(bytes), "Someone's large file");
        using var server = new GitHttpServer(root, User, Password);
        var intent = Intent("shop", Version1);

        var limited = Publish(Env(("NPGEN_GIT_USERNAME", User), ("NPGEN_GIT_PASSWORD", Password), ("NPGEN_GIT_MAX_RESPONSE", "1Mi")),
            intent, server.Url("big.git"), "--path", "apps/shop");
        Assert.True(limited.ExitCode == 4, limited.ToString());
        Assert.Contains("sent more than 1,048,576 bytes in one answer", limited.StdErr);
        Assert.Contains("NPGEN_GIT_MAX_RESPONSE", limited.StdErr);
        Assert.Equal(["Someone's large file"], Log(bare));

        var refused = Publish(Env(("NPGEN_GIT_MAX_RESPONSE", "lots")), intent, server.Url("big.git"), "--path", "apps/shop");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("NPGEN_GIT_MAX_RESPONSE lots is not a size", refused.StdErr);

        var unlimited = Publish(WithToken(), intent, server.Url("big.git"), "--path", "apps/shop");
        Assert.True(unlimited.ExitCode == 0, unlimited.ToString());
        Assert.Equal(2, Log(bare).Length);
    }

    [Fact]
    public void A_first_commit_made_by_another_writer_between_npgens_fetches_is_built_upon()
    {
        var root = Path.Combine(temp, "srv");
        var bare = GitCli.CreateBare(root, "empty.git", seed: false);
        using var server = new GitHttpServer(root, User, Password);
        var listings = 0;
        server.BeforeRequest = (method, path) =>
        {
            // npgen's first look finds no main; before its second look (any branch at all?), another writer makes the first commit.
            if (method == "GET" && path.Contains("service=git-upload-pack", StringComparison.Ordinal) && Interlocked.Increment(ref listings) == 2)
            {
                FirstCommit(bare, "apps/other/config.yaml", "other: writer\n", "Another writer's first commit");
            }
        };

        var run = Publish(WithToken(), Intent("shop", Version1), server.Url("empty.git"), "--path", "apps/shop", "-o", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("NPG607", run.StdErr);
        Assert.Equal(["npgen: update NetworkPolicies for shop", "Another writer's first commit"], Log(bare));
        var tree = GitCli.Run(bare, "ls-tree", "-r", "--name-only", "main");
        Assert.Contains("apps/other/config.yaml", tree);
        Assert.Contains("apps/shop/shop/db-ingress.yaml", tree);
    }

    [Fact]
    public async Task Two_first_publishes_into_one_empty_repository_both_land_on_a_linear_history()
    {
        var root = Path.Combine(temp, "srv");
        var bare = GitCli.CreateBare(root, "empty.git", seed: false);
        using var server = new GitHttpServer(root, User, Password);
        var shop = Intent("shop", Version1);
        var other = Intent("other", Version2.Replace("name: shop}", "name: other}", StringComparison.Ordinal));
        var pushes = 0;
        var gate = new Barrier(2);
        server.BeforeRequest = (method, path) =>
        {
            // Hold both publishers' first push until both have seen the empty repository, so one must lose the race.
            if (method == "GET" && path.Contains("service=git-receive-pack", StringComparison.Ordinal) && Interlocked.Increment(ref pushes) <= 2)
            {
                gate.SignalAndWait(TimeSpan.FromSeconds(30));
            }
        };

        var runs = new[] { (shop, "apps/shop"), (other, "apps/other") }
            .Select(p => Task.Run(() => PublishAsProcess(WithToken(), p.Item1, server.Url("empty.git"), "--path", p.Item2, "-o", "json"))).ToArray();
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Contains(results, r => JsonDocument.Parse(r.StdOut).RootElement.GetProperty("attempts").GetInt32() > 1);
        Assert.Equal(2, Log(bare).Length);
        Assert.Empty(GitCli.Run(bare, "rev-list", "--merges", "main").Trim());
        var tree = GitCli.Run(bare, "ls-tree", "-r", "--name-only", "main");
        Assert.Contains("apps/shop/shop/db-ingress.yaml", tree);
        Assert.Contains("apps/other/kustomization.yaml", tree);
    }

    private static void FirstCommit(string bare, string path, string content, string message)
    {
        var work = Directory.CreateTempSubdirectory("npgen-writer-").FullName;
        try
        {
            GitCli.Run(work, "init", "-q", "-b", "main");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(work, path))!);
            File.WriteAllText(Path.Combine(work, path), content);
            GitCli.Run(work, "add", path);
            GitCli.Run(work, "commit", "-q", "-m", message);
            GitCli.Run(work, "push", "-q", bare, "main:refs/heads/main");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
