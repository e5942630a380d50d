using System.Diagnostics;

namespace PolicyGen.Cli.Tests.Distribution;

/// <summary>
/// One run of release/build-release.sh for linux-x64, shared by the release tests. The plugin archive
/// is made from NPGEN_PLUGIN_BINARY when .ci/run built it, and left out otherwise (no second AOT build).
/// </summary>
public sealed class ReleaseBuild : IDisposable
{
    public const string Version = "0.1.0-test.1";

    private readonly Lazy<(NpgenRun Run, TimeSpan Elapsed)> run;

    public ReleaseBuild()
    {
        Root = Directory.CreateTempSubdirectory("npgen-release-").FullName;
        run = new Lazy<(NpgenRun, TimeSpan)>(Build);
    }

    public string Root { get; }

    public string Out => Path.Combine(Root, "out");

    public string? PluginBinary { get; } = Environment.GetEnvironmentVariable("NPGEN_PLUGIN_BINARY") is { Length: > 0 } p && File.Exists(p) ? p : null;

    /// <summary>The script's run (built on first use); fails the calling test when the script failed.</summary>
    public (NpgenRun Run, TimeSpan Elapsed) Result
    {
        get
        {
            var result = run.Value;
            Assert.True(result.Run.ExitCode == 0, result.Run.ToString());
            return result;
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private (NpgenRun, TimeSpan) Build()
    {
        var clock = Stopwatch.StartNew();
        List<string> args = [Path.Combine(Npgen.Repo, "release", "build-release.sh"), "--version", Version, "--out", Out, "--rid", "linux-x64",
            "--base-url", "https://downloads.example.test/npgen/v" + Version];
        args.AddRange(PluginBinary is null ? ["--no-plugin"] : ["--plugin-binary", PluginBinary]);
        var result = ExternalTool.Run("bash", args, Root, timeout: TimeSpan.FromMinutes(30));
        return (result, clock.Elapsed);
    }
}
