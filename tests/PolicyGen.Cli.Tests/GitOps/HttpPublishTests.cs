using System.Text.Json;

namespace PolicyGen.Cli.Tests.GitOps;

/// <summary>npgen publish over smart HTTP with Basic auth (git http-backend on 127.0.0.1): credentials, hooks, races.</summary>
public sealed class HttpPublishTests : GitOpsTestBase
{
    // ------------------------------------------------------------------ smart HTTP with Basic auth

    [Fact]
    public void Publish_over_http_with_basic_auth_and_clear_errors_for_wrong_or_missing_credentials()
    {
        var root = Path.Combine(temp, "srv");
        GitCli.CreateBare(root, "gitops.git");
        using var server = new GitHttpServer(root, User, Password);
        var intent = Intent("shop", Version1);
        var url = server.Url("gitops.git");

        var ok = Publish(WithToken(), intent, url, "--path", "apps/shop");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.StartsWith("pushed ", ok.StdOut, StringComparison.Ordinal);
        Assert.Equal(2, Log(Path.Combine(root, "gitops.git")).Length);
        Assert.DoesNotContain(Password, ok.StdOut + ok.StdErr);

        var again = Publish(WithToken(), intent, url, "--path", "apps/shop");
        Assert.Equal("up to date\n", again.StdOut);

        var wrong = Publish(WithToken("not-the-" + Password), intent, url, "--path", "apps/shop");
        Assert.Equal(4, wrong.ExitCode);
        Assert.Contains("NPG606", wrong.StdErr);
        Assert.Contains("authentication", wrong.StdErr);
        Assert.Contains("HTTP 401", wrong.StdErr);
        Assert.DoesNotContain(Password, wrong.StdOut + wrong.StdErr);

        var none = Publish(null, intent, url, "--path", "apps/shop");
        Assert.Equal(4, none.ExitCode);
        Assert.Contains("requires authentication", none.StdErr);

        // Credentials in the URL work, and never show up in what npgen prints.
        File.WriteAllText(intent, Version2);
        var inUrl = Publish(null, intent, $"http://{User}:{Password}@127.0.0.1:{server.Port}/gitops.git", "--path", "apps/shop");
        Assert.True(inUrl.ExitCode == 0, inUrl.ToString());
        Assert.DoesNotContain(Password, inUrl.StdOut + inUrl.StdErr);
        var badInUrl = Publish(null, intent, $"http://{User}:wrong-{Password}@127.0.0.1:{server.Port}/gitops.git", "--path", "apps/other");
        Assert.Equal(4, badInUrl.ExitCode);
        Assert.DoesNotContain(Password, badInUrl.StdOut + badInUrl.StdErr);
    }

    [Fact]
    public void A_pre_receive_hook_rejection_is_exit_4_with_the_hooks_message()
    {
        var root = Path.Combine(temp, "srv");
        var bare = GitCli.CreateBare(root, "gitops.git");
        var hook = Path.Combine(bare, "hooks", "pre-receive");
        File.WriteAllText(hook, "#!/bin/sh\necho 'policy-check: main is protected, open a pull request' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var server = new GitHttpServer(root, User, Password);

        var run = Publish(WithToken(), Intent("shop", Version1), server.Url("gitops.git"), "--path", "apps/shop", "-o", "json");
        Assert.Equal(4, run.ExitCode);
        Assert.Contains("NPG603", run.StdErr);
        Assert.Contains("pre-receive hook declined", run.StdErr);
        Assert.Contains("policy-check: main is protected, open a pull request", run.StdErr);
        using var json = JsonDocument.Parse(run.StdOut);
        Assert.False(json.RootElement.GetProperty("pushed").GetBoolean());
        Assert.Contains("policy-check", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Single(Log(bare));
    }

    // ------------------------------------------------------------------ races

    [Theory]
    [InlineData("GET", "service=git-receive-pack")] // the remote moves before npgen sees its refs: libgit2 refuses the non-fast-forward
    [InlineData("POST", "/git-receive-pack")]       // ... after: receive-pack refuses to move the ref ("cannot lock ref")
    public void A_push_that_loses_a_race_is_rebuilt_on_the_new_tip(string method, string when)
    {
        var root = Path.Combine(temp, "srv");
        var bare = GitCli.CreateBare(root, "gitops.git");
        using var server = new GitHttpServer(root, User, Password);
        var raced = 0;
        server.BeforeRequest = (m, path) =>
        {
            if (m == method && path.Contains(when, StringComparison.Ordinal) && Interlocked.Exchange(ref raced, 1) == 0)
            {
                GitCli.CommitTo(bare, "main", "apps/other/config.yaml", "other: writer\n", "Another writer");
            }
        };

        var run = Publish(WithToken(), Intent("shop", Version1), server.Url("gitops.git"), "--path", "apps/shop", "-o", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StdOut);
        Assert.Equal(2, json.RootElement.GetProperty("attempts").GetInt32());
        Assert.Equal(["npgen: update NetworkPolicies for shop", "Another writer", "Seed"], Log(bare));
        Assert.Empty(GitCli.Run(bare, "rev-list", "--merges", "main").Trim());
        Assert.Contains("apps/other/config.yaml", GitCli.Run(bare, "ls-tree", "-r", "--name-only", "main"));
    }

    [Fact]
    public async Task Two_publishers_at_once_both_land_or_are_up_to_date_on_a_linear_history()
    {
        var root = Path.Combine(temp, "srv");
        var bare = GitCli.CreateBare(root, "gitops.git");
        using var server = new GitHttpServer(root, User, Password);
        var url = server.Url("gitops.git");
        var shop = Intent("shop", Version1);
        var other = Intent("other", Version2.Replace("name: shop}", "name: other}", StringComparison.Ordinal));

        // Different paths: both commits must land.
        var runs = new[] { (shop, "apps/shop"), (other, "apps/other") }
            .Select(p => Task.Run(() => PublishAsProcess(WithToken(), p.Item1, url, "--path", p.Item2, "-o", "json"))).ToArray();
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.All(results, r => Assert.True(JsonDocument.Parse(r.StdOut).RootElement.GetProperty("pushed").GetBoolean()));
        Assert.Equal(3, Log(bare).Length);
        Assert.Empty(GitCli.Run(bare, "rev-list", "--merges", "main").Trim());
        var tree = GitCli.Run(bare, "ls-tree", "-r", "--name-only", "main");
        Assert.Contains("apps/shop/shop/db-ingress.yaml", tree);
        Assert.Contains("apps/other/kustomization.yaml", tree);

        // The same output twice: one commit, the other publisher finds it up to date.
        File.WriteAllText(shop, Version2);
        var same = Enumerable.Range(0, 2).Select(_ => Task.Run(() => PublishAsProcess(WithToken(), shop, url, "--path", "apps/shop"))).ToArray();
        var sameResults = await Task.WhenAll(same);
        Assert.All(sameResults, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Equal(4, Log(bare).Length);
        Assert.Contains(sameResults, r => r.StdOut.StartsWith("pushed ", StringComparison.Ordinal));
        Assert.Empty(GitCli.Run(bare, "rev-list", "--merges", "main").Trim());
    }

    [Fact]
    public void Https_with_a_private_ca_needs_ca_file()
    {
        var root = Path.Combine(temp, "srv");
        var bare = GitCli.CreateBare(root, "gitops.git");
        using var server = new GitHttpServer(root, User, Password);
        var ca = Path.Combine(temp, "ca.pem");
        using var tls = new TlsProxy(server.Port, ca);
        var url = $"https://127.0.0.1:{tls.Port}/gitops.git";
        var intent = Intent("shop", Version1);

        var untrusted = Publish(WithToken(), intent, url, "--path", "apps/shop");
        Assert.Equal(4, untrusted.ExitCode);
        Assert.Contains("TLS certificate of 127.0.0.1", untrusted.StdErr);
        Assert.Contains("--ca-file", untrusted.StdErr);

        var trusted = Publish(WithToken(), intent, url, "--path", "apps/shop", "--ca-file", ca);
        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.Equal(2, Log(bare).Length);
    }
}
