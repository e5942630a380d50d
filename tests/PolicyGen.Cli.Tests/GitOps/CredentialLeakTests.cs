using System.Text;
using System.Text.Json;

namespace PolicyGen.Cli.Tests.GitOps;

/// <summary>
/// Issue 11 item 7: a password with /, #, ? or @ in the URL, a port out of range, a scheme npgen
/// cannot use, a wrong password, a missing repository, an unreachable server. Whatever happens,
/// the secret appears nowhere: not on stdout or stderr (text and -o json), not in any file of the
/// --cache-dir clone (its .git/config included), not in any object of the pushed repository.
/// </summary>
public sealed class CredentialLeakTests : GitOpsTestBase
{
    private const string Marker = "LEAKMARK";
    private const string HostilePassword = "p/a#s?s@w0rd-" + Marker;

    [Fact]
    public void No_url_shape_leaks_the_password_anywhere()
    {
        var root = Path.Combine(temp, "srv");
        var bare = GitCli.CreateBare(root, "gitops.git");
        using var server = new GitHttpServer(root, User, HostilePassword);
        var port = server.Port;
        var closed = ClosedPort();
        var intent = Intent("shop", Version1);
        var cache = Path.Combine(temp, "cache");
        var escaped = Uri.EscapeDataString(HostilePassword);

        // (URL, extra environment, expected exit code, expected words on stderr)
        var cases = new (string Url, Dictionary<string, string>? Env, int Exit, string Says)[]
        {
            ($"http://{User}:{HostilePassword}@127.0.0.1:{port}/gitops.git", null, 0, "from http://127.0.0.1:"),
            ($"http://{User}:{escaped}@127.0.0.1:{port}/gitops.git", null, 0, "up to date"),
            ($"http://{User}:wrong/#?@{Marker}@127.0.0.1:{port}/gitops.git", null, 4, "NPG606"),
            ($"http://{User}:p/a#{Marker}@127.0.0.1:99999/gitops.git", null, 2, "port 99999"),
            ($"http://{User}:{HostilePassword}@127.0.0.1:{port}/missing.git", null, 4, "HTTP 404"),
            ($"ftp://{User}:{HostilePassword}@127.0.0.1/gitops.git", null, 2, "NPG610"),
            ($"http://{User}:{HostilePassword}@127.0.0.1:{closed}/gitops.git", null, 4, "could not reach"),
            ($"http://{Marker}-token@127.0.0.1:{port}/gitops.git", null, 4, "NPG606"),
            ($"http://{User}:{HostilePassword}@[::1/gitops.git", null, 2, "not a valid URL"),
            (server.Url("gitops.git"), Env(("NPGEN_GIT_USERNAME", User), ("NPGEN_GIT_PASSWORD", HostilePassword)), 0, "up to date"),
            (server.Url("gitops.git"), Env(("NPGEN_GIT_USERNAME", User), ("NPGEN_GIT_PASSWORD", "x/y#" + Marker)), 4, "NPG606"),
        };

        var secrets = new[] { Marker, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{HostilePassword}")) };
        foreach (var (url, env, exit, says) in cases)
        {
            foreach (var format in new[] { "text", "json" })
            {
                // Progress lines name the URL, so they are on (stderr is a pipe here) and checked too.
                var run = Publish(new Dictionary<string, string>(env ?? Fast) { ["NPGEN_PROGRESS"] = "1" }, intent, url, "--path", "apps/shop", "--cache-dir", cache, "-o", format);
                var shown = $"{RedactedForTest(url)} -o {format}: {run.ToString().Replace(Marker, "<MARKER>", StringComparison.Ordinal)}";
                Assert.True(run.ExitCode == exit, shown);
                Assert.Contains(says, run.StdErr, StringComparison.Ordinal);
                Assert.DoesNotContain("no error", run.StdErr, StringComparison.Ordinal);
                Assert.All(secrets, s => Assert.DoesNotContain(s, run.StdOut + run.StdErr, StringComparison.Ordinal));
                if (format == "json" && exit != 2) // a refused request (exit 2) prints no result, as for any bad input
                {
                    using var json = JsonDocument.Parse(run.StdOut);
                    Assert.Equal(exit == 0, json.RootElement.GetProperty("error").ValueKind == JsonValueKind.Null); // one shape: null when it worked
                }

                if (Directory.Exists(cache))
                {
                    foreach (var file in Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories))
                    {
                        var bytes = File.ReadAllBytes(file);
                        Assert.All(secrets, s => Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(s)) < 0, $"{file} holds the secret after {shown}"));
                    }
                }
            }
        }

        // The commit npgen pushed, and every other object of the remote, hold no secret either.
        Assert.Equal(2, Log(bare).Length);
        var objects = GitCli.Run(bare, "cat-file", "--batch-all-objects", "--batch");
        Assert.All(secrets, s => Assert.DoesNotContain(s, objects, StringComparison.Ordinal));
        Assert.DoesNotContain(Marker, GitCli.Run(bare, "log", "--all", "--format=%an%ae%cn%ce%B"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_commit_push_to_a_remote_with_credentials_in_its_url_prints_no_secret()
    {
        var root = Path.Combine(temp, "srv");
        GitCli.CreateBare(root, "gitops.git");
        using var server = new GitHttpServer(root, User, HostilePassword);
        var work = Path.Combine(temp, "work");
        GitCli.Run(temp, "clone", "-q", Path.Combine(root, "gitops.git"), work);
        // A remote someone configured by hand with the wrong password in it (git itself cannot parse this one either).
        GitCli.Run(work, "remote", "add", "ci", $"http://{User}:bad/#?{Marker}@127.0.0.1:{server.Port}/gitops.git");
        var run = Npgen.RunIn(work, Fast, null, "build", Intent("shop", Version1), "-o", "apps/shop", "--commit", "--push", "--remote", "ci", "--branch", "main");
        Assert.Equal(4, run.ExitCode);
        Assert.DoesNotContain(Marker, run.StdOut + run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("no error", run.StdErr, StringComparison.Ordinal);
    }

    private static string RedactedForTest(string url) => url.Replace(HostilePassword, "<PASSWORD>", StringComparison.Ordinal).Replace(Marker, "<MARKER>", StringComparison.Ordinal);

    private static int ClosedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
