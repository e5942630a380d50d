using System.Text.Json;
using PolicyGen.Cli.Tests.GitOps;

namespace PolicyGen.Cli.Tests.Review;

/// <summary>
/// npgen diff between revisions of examples/shop committed into a real repository: the flows an
/// edit adds and removes, --fail-on as a gate, renames as no change, and the md and json outputs.
/// </summary>
public sealed class DiffCliTests : IDisposable
{
    private static readonly string[] FlowLists = ["added", "removed"];
    private readonly ShopRepository repo = new();

    public void Dispose() => repo.Dispose();

    /// <summary>web may now call the database directly (the example's own expectation said it may not).</summary>
    private string WebCallsDb() => repo.Edit("web calls db",
        ("      calls:\n      - app: api\n        ports: [http]\n", "      calls:\n      - app: api\n        ports: [http]\n      - app: db\n        ports: [postgres]\n"),
        ("  - {from: web, to: db, port: postgres, allowed: false}\n", "  - {from: web, to: db, port: postgres, allowed: true}\n"));

    /// <summary>Prometheus may no longer scrape the worker.</summary>
    private string NoWorkerScrape() => repo.Edit("no worker scraping",
        ("      ports: {metrics: 9090/TCP}\n      ingress:\n      - from: [{namespace: monitoring, podLabels: {app.kubernetes.io/name: prometheus}}]\n        ports: [metrics]\n      calls:\n      - app: db\n        ports: [postgres]\n",
         "      ports: {metrics: 9090/TCP}\n      ingress: []\n      calls:\n      - app: db\n        ports: [postgres]\n"));

    private static List<string> Section(string stdout, string title)
        => [.. stdout.Split('\n').SkipWhile(l => !l.StartsWith(title, StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))];

    [Fact]
    public void Two_revisions_print_exactly_the_flows_added_and_removed()
    {
        WebCallsDb();
        NoWorkerScrape();

        var run = repo.Diff("git:HEAD~2:shop/intents.yaml", "git:HEAD:shop/intents.yaml");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["+ shop/web -> shop-data/db 5432/TCP"], Section(run.StdOut, "Added"));
        Assert.Equal(["- monitoring/{app.kubernetes.io/name=prometheus} -> shop/worker 9090/TCP"], Section(run.StdOut, "Removed"));
        Assert.Contains("1 flow added, 1 removed", run.StdOut);
    }

    [Fact]
    public void With_manifests_the_flows_name_the_real_workloads()
    {
        WebCallsDb();
        NoWorkerScrape();

        var run = repo.Diff("git:HEAD~2:shop/intents.yaml", "shop/intents.yaml", "-f", "shop/manifests/");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("+ shop/web -> shop-data/postgres 5432/TCP", Section(run.StdOut, "Added"));
        Assert.Contains("- monitoring/prometheus -> shop/worker 9090/TCP", Section(run.StdOut, "Removed"));
    }

    [Fact]
    public void Fail_on_widen_exits_1_only_when_a_flow_was_added()
    {
        WebCallsDb();

        var widened = repo.Diff("git:HEAD~1:shop/intents.yaml", "git:HEAD:shop/intents.yaml", "--fail-on", "widen");
        var narrowed = repo.Diff("git:HEAD:shop/intents.yaml", "git:HEAD~1:shop/intents.yaml", "--fail-on", "widen");
        var anyChange = repo.Diff("git:HEAD:shop/intents.yaml", "git:HEAD~1:shop/intents.yaml", "--fail-on", "any");
        var byDefault = repo.Diff("git:HEAD~1:shop/intents.yaml", "git:HEAD:shop/intents.yaml");

        Assert.True(widened.ExitCode == 1, widened.ToString());
        Assert.Equal(["+ shop/web -> shop-data/db 5432/TCP"], Section(widened.StdOut, "Added"));
        Assert.True(narrowed.ExitCode == 0, narrowed.ToString());
        Assert.Equal(["- shop/web -> shop-data/db 5432/TCP"], Section(narrowed.StdOut, "Removed"));
        Assert.Empty(Section(narrowed.StdOut, "Added"));
        Assert.True(anyChange.ExitCode == 1, anyChange.ToString());
        Assert.True(byDefault.ExitCode == 0, byDefault.ToString());
    }

    [Fact]
    public void Renaming_an_app_and_moving_policy_files_is_no_change()
    {
        var old = Path.Combine(repo.Root, "old");
        Assert.Equal(0, Npgen.Run("build", repo.Intent, "--env", "prod", "-o", old + "/").ExitCode);
        repo.Edit("rename worker to jobs",
            ("    worker:\n      namespace: shop\n", "    jobs:\n      namespace: shop\n"),
            ("  - {from: worker, to: db, port: postgres, allowed: true}\n", "  - {from: jobs, to: db, port: postgres, allowed: true}\n"));
        var renamed = Path.Combine(repo.Root, "renamed");
        Assert.Equal(0, Npgen.Run("build", repo.Intent, "--env", "prod", "-o", renamed + "/").ExitCode);
        // Policies moved into other files and directories: connectivity is compared, not files.
        var moved = Path.Combine(repo.Root, "moved");
        Directory.CreateDirectory(moved);
        var all = Directory.EnumerateFiles(renamed, "*.yaml", SearchOption.AllDirectories).Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Select(File.ReadAllText);
        File.WriteAllText(Path.Combine(moved, "all.yaml"), string.Join("\n---\n", all.Reverse()));

        var intents = repo.Diff("git:HEAD~1:shop/intents.yaml", "shop/intents.yaml", "--env", "prod", "--fail-on", "any");
        var policies = repo.Diff(old, moved, "--fail-on", "any");

        Assert.True(intents.ExitCode == 0, intents.ToString());
        Assert.Contains("No change in connectivity", intents.StdOut);
        Assert.True(policies.ExitCode == 0, policies.ToString());
        Assert.Contains("No change in connectivity", policies.StdOut);
        Assert.NotEqual(
            Directory.EnumerateFiles(old, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(old, f)).Order(),
            Directory.EnumerateFiles(renamed, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(renamed, f)).Order());
    }

    [Fact]
    public void Markdown_is_a_table_of_the_changes()
    {
        WebCallsDb();
        NoWorkerScrape();

        var run = repo.Diff("git:HEAD~2:shop/intents.yaml", "git:HEAD:shop/intents.yaml", "-o", "md");

        Assert.True(run.ExitCode == 0, run.ToString());
        var rows = run.StdOut.Split('\n').Where(l => l.StartsWith('|')).ToList();
        Assert.Equal("| change | from | to | ports |", rows[0]);
        Assert.Equal("|---|---|---|---|", rows[1]);
        Assert.Equal(
            ["| ➕ added | `shop/web` | `shop-data/db` | 5432/TCP |", "| ➖ removed | `monitoring/{app.kubernetes.io/name=prometheus}` | `shop/worker` | 9090/TCP |"],
            rows.Skip(2));
        Assert.All(rows, r => Assert.Equal(6, r.Split('|').Length));
    }

    [Fact]
    public void Json_is_a_ConnectivityDiffReport()
    {
        var commit = WebCallsDb();

        var run = repo.Diff("git:HEAD~1:shop/intents.yaml", "git:HEAD:shop/intents.yaml", "-o", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StdOut);
        var root = json.RootElement;
        Assert.StartsWith("{\n  \"apiVersion\": \"npgen.dev/v1alpha1\",\n  \"kind\": \"ConnectivityDiffReport\"", run.StdOut);
        Assert.Equal("intent", root.GetProperty("old").GetProperty("kind").GetString());
        Assert.Equal(commit, root.GetProperty("new").GetProperty("commit").GetString());
        Assert.True(root.GetProperty("summary").GetProperty("widened").GetBoolean());
        var added = Assert.Single(root.GetProperty("added").EnumerateArray());
        Assert.Equal("shop/web", added.GetProperty("from").GetString());
        Assert.Equal("shop-data/db", added.GetProperty("to").GetString());
        var port = Assert.Single(added.GetProperty("ports").EnumerateArray());
        Assert.Equal(("TCP", 5432, 5432), (port.GetProperty("protocol").GetString(), port.GetProperty("port").GetInt32(), port.GetProperty("endPort").GetInt32()));
        Assert.Empty(root.GetProperty("removed").EnumerateArray());
    }

    [Fact]
    public void A_side_on_stdin_compares_with_a_revision()
    {
        WebCallsDb();
        var built = Npgen.Run("build", repo.Intent);
        Assert.Equal(0, built.ExitCode);

        var run = Npgen.RunIn(repo.Work, null, built.StdOut, "diff", "git:HEAD~1:shop/intents.yaml", "-", "--fail-on", "widen");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(["+ shop/web -> shop-data/db 5432/TCP"], Section(run.StdOut, "Added"));
    }

    [LinuxFact]
    public void Missing_revisions_paths_and_links_are_named_errors()
    {
        File.CreateSymbolicLink(Path.Combine(repo.Work, "linked"), "shop");
        repo.Commit("a link");

        var revision = repo.Diff("git:nosuch:shop/intents.yaml", "shop/intents.yaml");
        var path = repo.Diff("git:HEAD:shop/nosuch.yaml", "shop/intents.yaml");
        var link = repo.Diff("git:HEAD:linked/intents.yaml", "shop/intents.yaml");
        var twice = Npgen.RunIn(repo.Work, null, "", "diff", "-", "-");
        var outside = Npgen.RunIn(Path.GetTempPath(), null, null, "diff", "git:HEAD:shop/intents.yaml", Path.Combine(repo.Work, "shop", "intents.yaml"));

        Assert.True(revision.ExitCode == 4 && revision.StdErr.Contains("NPG842", StringComparison.Ordinal), revision.ToString());
        Assert.Contains("fetch-depth: 0", revision.StdErr);
        Assert.True(path.ExitCode == 4 && path.StdErr.Contains("NPG843", StringComparison.Ordinal), path.ToString());
        Assert.True(link.ExitCode == 4 && link.StdErr.Contains("NPG844", StringComparison.Ordinal), link.ToString());
        Assert.True(twice.ExitCode == 2 && twice.StdErr.Contains("NPG840", StringComparison.Ordinal), twice.ToString());
        Assert.True(outside.ExitCode == 4 && outside.StdErr.Contains("NPG841", StringComparison.Ordinal), outside.ToString());
        Assert.All([revision, path, link, twice, outside], r => Assert.Equal("", r.StdOut));
    }

    [Fact]
    public void Environment_per_side_compares_dev_with_prod()
    {
        var run = repo.Diff("shop/intents.yaml", "shop/intents.yaml", "--old-env", "dev", "--new-env", "prod");

        Assert.True(run.ExitCode == 0, run.ToString());
        // dev lets the office VPN reach web; prod does not, and prod's worker reaches the API server.
        Assert.Contains("- 10.20.0.0/16 -> shop/web 8080/TCP", Section(run.StdOut, "Removed"));
        Assert.Contains(Section(run.StdOut, "Added"), l => l.StartsWith("+ shop/worker -> 172.20.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_outputs_diff_like_the_intents_they_were_built_from()
    {
        var fromIntents = Npgen.Run("diff", "examples/shop/intents.yaml", "examples/shop/intents.yaml", "--old-env", "dev", "--new-env", "prod", "-f", "examples/shop/manifests/", "-o", "json");
        var fromPolicies = Npgen.Run("diff", "examples/shop/output/dev", "examples/shop/output/prod", "-f", "examples/shop/manifests/", "-o", "json");

        Assert.True(fromIntents.ExitCode == 0, fromIntents.ToString());
        Assert.True(fromPolicies.ExitCode == 0, fromPolicies.ToString());
        using var intents = JsonDocument.Parse(fromIntents.StdOut);
        using var policies = JsonDocument.Parse(fromPolicies.StdOut);
        foreach (var list in FlowLists)
        {
            var expected = intents.RootElement.GetProperty(list).GetRawText();
            Assert.NotEqual("[]", expected);
            Assert.Equal(expected, policies.RootElement.GetProperty(list).GetRawText());
        }

        Assert.Equal("policies", policies.RootElement.GetProperty("old").GetProperty("kind").GetString());
        Assert.True(policies.RootElement.GetProperty("workloads").GetInt32() > 0);
        Assert.Equal(intents.RootElement.GetProperty("workloads").GetInt32(), policies.RootElement.GetProperty("workloads").GetInt32());
    }
}
