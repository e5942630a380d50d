using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests.Distribution;

/// <summary>
/// release/build-release.sh: the archives, SHA256SUMS, the binary inside (as npgen and as
/// `kubectl npgen` through install.sh and the real kubectl), and the krew manifest against krew's
/// own rules (krew-manifest-facts.txt names where each comes from).
/// </summary>
public sealed class ReleaseScriptTests(ReleaseBuild release, ITestOutputHelper output) : IClassFixture<ReleaseBuild>, IDisposable
{
    private const string Archive = $"npgen-{ReleaseBuild.Version}-linux-x64.tar.gz";
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-release-test-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private static string Script => Path.Combine(Npgen.Repo, "release", "build-release.sh");

    /// <summary>The linux-x64 archive unpacked into a folder of this test's.</summary>
    private string ExtractArchive(string folder)
    {
        _ = release.Result;
        var extracted = Path.Combine(temp, folder);
        Directory.CreateDirectory(extracted);
        var untar = ExternalTool.Run("tar", ["-xzf", Path.Combine(release.Out, Archive), "-C", extracted], temp);
        Assert.True(untar.ExitCode == 0, untar.ToString());
        return extracted;
    }

    [ToolFact("bash", "dotnet", "sha256sum")]
    public void Sums_verify_with_sha256sum_and_list_every_archive()
    {
        var (_, elapsed) = release.Result;
        var check = ExternalTool.Run("sha256sum", ["-c", "SHA256SUMS"], release.Out);
        Assert.True(check.ExitCode == 0, check.ToString());
        var archives = Directory.GetFiles(release.Out, "*.tar.gz").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        List<string?> expected = [.. (release.PluginBinary is null ? [Archive] : new[] { Archive, $"npgen-plugin-{ReleaseBuild.Version}-linux-x64.tar.gz" }).Order(StringComparer.Ordinal)];
        Assert.Equal(expected, archives);
        Assert.Equal(archives.Select(a => $"{a}: OK"), check.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        output.WriteLine($"build-release.sh (linux-x64): {elapsed.TotalSeconds:F0} s; " + string.Join(", ", archives.Select(a => $"{a} {new FileInfo(Path.Combine(release.Out, a!)).Length / 1024} KiB")));
    }

    [ToolFact("bash", "dotnet", "kubectl", "tar")]
    public void Archive_installs_npgen_and_kubectl_npgen_and_both_build_the_shop_example()
    {
        var extracted = ExtractArchive("x");
        var binary = Path.Combine(extracted, "npgen");
        output.WriteLine($"npgen (self-contained single file, linux-x64): {new FileInfo(binary).Length / (1024 * 1024.0):F1} MiB");

        // Its one native library (libgit2) unpacks under DOTNET_BUNDLE_EXTRACT_BASE_DIR: a folder of the test's, not ~/.net.
        var prefix = Path.Combine(temp, "prefix");
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = Path.Combine(prefix, "bin") + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(temp, "extract"),
        };
        var install = ExternalTool.Run(Path.Combine(extracted, "install.sh"), ["--prefix", prefix], temp, environment);
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains($"installed {prefix}/bin/npgen and {prefix}/bin/kubectl-npgen ({ReleaseBuild.Version}", install.StdOut);

        var version = ExternalTool.Run(Path.Combine(prefix, "bin", "npgen"), ["--version"], temp, environment);
        Assert.Equal(ReleaseBuild.Version, version.StdOut.Trim().Split('+')[0]);

        var viaKubectl = ExternalTool.Run("kubectl", ["npgen", "--version"], temp, environment);
        Assert.True(viaKubectl.ExitCode == 0, viaKubectl.ToString());
        Assert.Equal(ReleaseBuild.Version, viaKubectl.StdOut.Trim().Split('+')[0]);
        var plugins = ExternalTool.Run("kubectl", ["plugin", "list"], temp, environment);
        Assert.Contains(Path.Combine(prefix, "bin", "kubectl-npgen"), plugins.StdOut);

        var intent = Path.Combine(Npgen.Repo, "examples", "shop", "intents.yaml");
        var built = ExternalTool.Run("kubectl", ["npgen", "build", intent, "--env", "prod"], temp, environment);
        Assert.True(built.ExitCode == 0, built.ToString());
        Assert.Equal(Npgen.Run("build", intent, "--env", "prod").StdOut, built.StdOut);
    }

    [ToolFact("bash", "dotnet", "tar")]
    public void The_released_binary_is_ready_to_run_and_compiles_little_at_start_up()
    {
        var extracted = ExtractArchive("r2r");

        // The runtime lists every method it compiles while running; a single file without ReadyToRun
        // compiles ~3,600 to build the shop example (~530 with it: framework generics over npgen's types).
        var jitted = Path.Combine(temp, "jitted.txt");
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(temp, "extract"),
            ["DOTNET_JitStdOutFile"] = jitted,
            ["DOTNET_JitDisasmSummary"] = "1",
        };
        var intent = Path.Combine(Npgen.Repo, "examples", "shop", "intents.yaml");
        var built = ExternalTool.Run(Path.Combine(extracted, "npgen"), ["build", intent, "--env", "prod"], temp, environment);
        Assert.True(built.ExitCode == 0, built.ToString());
        var compiled = File.ReadLines(jitted).Count(l => l.Contains("JIT compiled", StringComparison.Ordinal));
        output.WriteLine($"methods compiled at run time building the shop example: {compiled:N0}");
        Assert.InRange(compiled, 1, 1_500);
    }

    [ToolFact("bash", "dotnet")]
    public void Krew_manifest_follows_krews_rules_and_names_each_archive_with_its_sha256()
    {
        _ = release.Result;
        var facts = Facts();
        var manifestPath = Path.Combine(release.Out, "npgen.yaml");
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(manifestPath)));
        var manifest = (YamlMappingNode)stream.Documents.Single().RootNode;

        Assert.Equal(facts["apiVersion"], Scalar(manifest, "apiVersion"));
        Assert.Equal(facts["kind"], Scalar(manifest, "kind"));
        var name = Scalar(Map(manifest, "metadata"), "name");
        Assert.Matches(facts["name.pattern"], name);
        Assert.Equal(Path.GetFileNameWithoutExtension(manifestPath), name);

        var spec = Map(manifest, "spec");
        Assert.Equal("v" + ReleaseBuild.Version, Scalar(spec, "version"));
        Assert.Matches(facts["version.pattern"], Scalar(spec, "version"));
        var shortDescription = Scalar(spec, "shortDescription");
        Assert.False(string.IsNullOrWhiteSpace(shortDescription));
        Assert.DoesNotMatch("[\r\n]", shortDescription);
        Assert.False(string.IsNullOrWhiteSpace(Scalar(spec, "description")));

        var platforms = ((YamlSequenceNode)spec.Children[new YamlScalarNode("platforms")]).Children.Cast<YamlMappingNode>().ToList();
        var platform = Assert.Single(platforms); // --rid linux-x64 only
        var labels = Map(Map(platform, "selector"), "matchLabels");
        Assert.All(labels.Children.Keys, k => Assert.Contains(((YamlScalarNode)k).Value, facts["platform.selector.keys"].Split(' ')));
        Assert.Equal("linux", Scalar(labels, "os"));
        Assert.Equal("amd64", Scalar(labels, "arch"));

        var uri = Scalar(platform, "uri");
        Assert.Equal($"https://downloads.example.test/npgen/v{ReleaseBuild.Version}/{Archive}", uri);
        Assert.Contains(facts["archive.suffixes"].Split(' '), suffix => uri.EndsWith(suffix, StringComparison.Ordinal));
        var sha256 = Scalar(platform, "sha256");
        Assert.Matches(facts["platform.sha256.pattern"], sha256);
        Assert.Equal(Sha256(Path.Combine(release.Out, Archive)), sha256);
        var sums = File.ReadAllLines(Path.Combine(release.Out, "SHA256SUMS"));
        Assert.Contains($"{sha256}  {Archive}", sums);

        // bin names an executable regular file of the archive, and the archive holds nothing krew cannot extract.
        var bin = Scalar(platform, "bin");
        var allowed = facts["archive.tar.entryTypes"].Split(' ').Select(Enum.Parse<TarEntryType>).ToList();
        var entries = TarEntries(Path.Combine(release.Out, Archive));
        Assert.All(entries, e => Assert.Contains(e.Type, allowed));
        var binEntry = Assert.Single(entries, e => e.Name.TrimStart('.', '/') == bin);
        Assert.True(binEntry.Mode.HasFlag(UnixFileMode.UserExecute), $"{bin} is not executable in the archive");
    }

    [ToolFact("bash")]
    public void Bad_arguments_fail_with_exit_2_and_write_nothing()
    {
        var occupied = Path.Combine(temp, "occupied");
        Directory.CreateDirectory(occupied);
        File.WriteAllText(Path.Combine(occupied, "keep.txt"), "mine");

        var nonEmpty = ExternalTool.Run("bash", [Script, "--version", "1.0.0", "--out", occupied], temp);
        Assert.Equal(2, nonEmpty.ExitCode);
        Assert.Contains("is not an empty directory", nonEmpty.StdErr);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(occupied).Select(Path.GetFileName));

        var badVersion = ExternalTool.Run("bash", [Script, "--version", "1.0", "--out", Path.Combine(temp, "new")], temp);
        Assert.Equal(2, badVersion.ExitCode);
        Assert.Contains("is not a semantic version", badVersion.StdErr);

        var badRid = ExternalTool.Run("bash", [Script, "--rid", "win-x64", "--out", Path.Combine(temp, "new")], temp);
        Assert.Equal(2, badRid.ExitCode);
        Assert.Contains("use linux-x64 or linux-arm64", badRid.StdErr);
        Assert.False(Directory.Exists(Path.Combine(temp, "new")));
        Assert.Equal(["occupied"], Directory.GetFileSystemEntries(temp).Select(Path.GetFileName));
    }

    private static Dictionary<string, string> Facts()
        => File.ReadAllLines(Path.Combine(Npgen.Repo, "tests", "PolicyGen.Cli.Tests", "Distribution", "krew-manifest-facts.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(" = ", 2))
            .ToDictionary(p => p[0], p => p[1]);

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value ?? "";

    private static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static List<(string Name, TarEntryType Type, UnixFileMode Mode)> TarEntries(string archive)
    {
        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entries = new List<(string, TarEntryType, UnixFileMode)>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add((entry.Name, entry.EntryType, entry.Mode));
        }

        return entries;
    }
}
