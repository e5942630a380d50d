using System.Text.Json;

namespace PolicyGen.Cli.Tests.CommandLine;

/// <summary>
/// npgen build -o as kustomize build -o: a directory (existing, or written with a trailing /) gets
/// one file per policy, a file path one stream written whole; the build report has its own flag.
/// </summary>
public sealed class BuildOutputFlagTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-output-flag-").FullName;

    private static string Shop => Path.Combine(Npgen.Repo, "examples", "shop", "intents.yaml");

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private NpgenRun Build(params string[] args) => Npgen.RunIn(temp, null, null, ["build", .. args]);

    [Fact]
    public void A_file_path_gets_the_same_stream_as_stdout_and_nothing_else()
    {
        var stdout = Build(Shop, "--env", "prod");
        var run = Build(Shop, "--env", "prod", "-o", "out/shop-prod.yaml");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.StdOut);
        Assert.Equal(stdout.StdOut, File.ReadAllText(Path.Combine(temp, "out", "shop-prod.yaml")));
        Assert.Equal(["shop-prod.yaml"], Directory.GetFileSystemEntries(Path.Combine(temp, "out")).Select(Path.GetFileName));
        Assert.Contains("out/shop-prod.yaml: written (", run.StdErr, StringComparison.Ordinal);

        var again = Build(Shop, "--env", "prod", "-o", "out/shop-prod.yaml");
        Assert.Contains("out/shop-prod.yaml: unchanged", again.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_larger_than_the_stdout_buffer_reaches_a_pipe_whole_and_the_same_as_the_file()
    {
        // stdout redirected is written 64 KiB at a time: a stream of several buffers must arrive in order, byte for byte.
        var gen = Npgen.RunIn(temp, null, null, "bench", "gen", "--preset", "S", "--seed", "3", "--set", "apps=60", "--digest", "never", "-o", "gen");
        Assert.True(gen.ExitCode == 0, gen.ToString());
        var stdout = Build("gen/intent.yaml");
        Assert.True(stdout.ExitCode == 0, stdout.ToString());
        Assert.True(stdout.StdOut.Length > 64 * 1024, $"the stream is {stdout.StdOut.Length} characters: too short to fill the buffer");
        var run = Build("gen/intent.yaml", "-o", "out.yaml");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(File.ReadAllText(Path.Combine(temp, "out.yaml")), stdout.StdOut);
    }

    [Fact]
    public void Build_timings_start_with_reading_the_intent_and_leave_stdout_unchanged()
    {
        // The intent is parsed while it is read (to tell an overlay from an intent): that time is a stage of its own.
        var plain = Build(Shop);
        var timed = Npgen.RunIn(temp, new Dictionary<string, string> { ["NPGEN_TIMINGS"] = "1" }, null, "build", Shop);
        Assert.True(timed.ExitCode == 0, timed.ToString());
        Assert.Equal(plain.StdOut, timed.StdOut);
        var stages = timed.StdErr.TrimEnd('\n').Split('\n');
        Assert.All(stages, line => Assert.Matches(@"^npgen: \S.{21} +[0-9]+\.[0-9] ms$", line));
        Assert.StartsWith("npgen: read intent ", stages[0], StringComparison.Ordinal);
        Assert.StartsWith("npgen: load intent ", stages[1], StringComparison.Ordinal);
        Assert.StartsWith("npgen: verify ", stages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_trailing_slash_or_an_existing_directory_gets_one_file_per_policy()
    {
        var run = Build(Shop, "-o", "netpol/");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(temp, "netpol", "kustomization.yaml")));
        Assert.True(File.Exists(Path.Combine(temp, "netpol", "shop", "web-ingress.yaml")));

        Directory.CreateDirectory(Path.Combine(temp, "existing"));
        Assert.Equal(0, Build(Shop, "-o", "existing").ExitCode);
        Assert.True(File.Exists(Path.Combine(temp, "existing", "kustomization.yaml")));
    }

    [Fact]
    public void A_new_path_without_slash_or_extension_is_refused_with_both_spellings()
    {
        var run = Build(Shop, "-o", "apps/shop/prod");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error NPG146", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("-o apps/shop/prod/", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("-o apps/shop/prod.yaml", run.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(temp));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    public void The_old_report_spelling_names_the_new_flag(string format)
    {
        var run = Build(Shop, "-o", format);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.StdOut);
        Assert.Contains("error NPG140", run.StdErr, StringComparison.Ordinal);
        Assert.Contains($"--report {format}", run.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(temp));
    }

    [Fact]
    public void A_file_npgen_did_not_write_is_never_replaced()
    {
        var mine = Path.Combine(temp, "notes.yaml");
        File.WriteAllText(mine, "my own notes\n");
        var run = Build(Shop, "-o", "notes.yaml");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("NPG503", run.StdErr, StringComparison.Ordinal);
        Assert.Equal("my own notes\n", File.ReadAllText(mine));
        Assert.Equal(["notes.yaml"], Directory.GetFileSystemEntries(temp).Select(Path.GetFileName));
    }

    [Fact]
    public void Another_environments_file_is_replaced_only_on_purpose()
    {
        Assert.Equal(0, Build(Shop, "--env", "prod", "-o", "shop.yaml").ExitCode);
        var prod = File.ReadAllText(Path.Combine(temp, "shop.yaml"));
        var forgotten = Build(Shop, "-o", "shop.yaml");
        Assert.Equal(2, forgotten.ExitCode);
        Assert.Contains("NPG512", forgotten.StdErr, StringComparison.Ordinal);
        Assert.Equal(prod, File.ReadAllText(Path.Combine(temp, "shop.yaml")));

        var replaced = Build(Shop, "-o", "shop.yaml", "--replace-environment");
        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        Assert.Contains("\"environment\":null", File.ReadAllText(Path.Combine(temp, "shop.yaml")), StringComparison.Ordinal);
    }

    [LinuxFact]
    public void A_symbolic_link_at_the_file_path_is_refused_and_not_followed()
    {
        var target = Path.Combine(temp, "elsewhere.yaml");
        File.WriteAllText(target, "keep\n");
        File.CreateSymbolicLink(Path.Combine(temp, "link.yaml"), target);
        var run = Build(Shop, "-o", "link.yaml");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("NPG514", run.StdErr, StringComparison.Ordinal);
        Assert.Equal("keep\n", File.ReadAllText(target));
        Assert.NotNull(new FileInfo(Path.Combine(temp, "link.yaml")).LinkTarget);
    }

    [Fact]
    public void The_report_takes_stdout_when_the_policies_go_to_a_directory()
    {
        var run = Build(Shop, "--env", "prod", "-o", "netpol/", "--report", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StdOut);
        var root = json.RootElement;
        Assert.Equal("BuildReport", root.GetProperty("kind").GetString());
        var output = root.GetProperty("output");
        Assert.Equal("directory", output.GetProperty("to").GetString());
        Assert.Equal("netpol", output.GetProperty("path").GetString());
        Assert.Contains("kustomization.yaml", output.GetProperty("written").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void The_report_alone_replaces_the_stream_and_a_report_file_keeps_it()
    {
        var alone = Build(Shop, "--report", "yaml");
        Assert.True(alone.ExitCode == 0, alone.ToString());
        Assert.StartsWith("apiVersion: npgen.dev/v1alpha1\nkind: BuildReport\n", alone.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: NetworkPolicy", alone.StdOut, StringComparison.Ordinal);
        Assert.Contains("  to: none\n", alone.StdOut, StringComparison.Ordinal);

        var both = Build(Shop, "--report-file", "report.json");
        Assert.True(both.ExitCode == 0, both.ToString());
        Assert.Contains("kind: NetworkPolicy", both.StdOut, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp, "report.json")));
        Assert.Equal("stdout", json.RootElement.GetProperty("output").GetProperty("to").GetString());
    }

    [Fact]
    public void A_failed_build_still_reports_and_writes_nothing()
    {
        File.WriteAllText(Path.Combine(temp, "intents.yaml"), File.ReadAllText(Shop).Replace("app: api", "app: apj", StringComparison.Ordinal) + "  bogus: 1\n");
        var run = Build("intents.yaml", "-o", "out.yaml", "--report", "json");
        Assert.Equal(2, run.ExitCode);
        using var json = JsonDocument.Parse(run.StdOut);
        Assert.NotEmpty(json.RootElement.GetProperty("errors").EnumerateArray());
        Assert.False(File.Exists(Path.Combine(temp, "out.yaml")));
    }
}
