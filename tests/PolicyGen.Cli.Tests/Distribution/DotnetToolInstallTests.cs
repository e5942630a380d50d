using System.Diagnostics;
using System.IO.Compression;
using Xunit.Abstractions;

namespace PolicyGen.Cli.Tests.Distribution;

/// <summary>
/// `dotnet tool install --global npgen`, as the README says, with the package built from this
/// checkout: pack it into a folder, install it from that folder alone (a nuget.config that clears
/// every other source, so nothing is downloaded), and use the installed command, also as
/// `kubectl npgen`.
/// </summary>
public sealed class DotnetToolInstallTests(ITestOutputHelper output) : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-tool-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [ToolFact("dotnet", "kubectl")]
    public void Packed_tool_installs_from_a_local_folder_and_builds_the_shop_example()
    {
        var clock = Stopwatch.StartNew();
        // Packed from a copy of the sources, so its Release build and restore never touch the obj/
        // folders of the build under test.
        var source = Path.Combine(temp, "src");
        CopySources(Npgen.Repo, source);
        var packages = Path.Combine(temp, "packages");
        var pack = ExternalTool.Run("dotnet", ["pack", "src/PolicyGen.Cli", "-c", "Release", "-o", packages, "--nologo"], source, timeout: TimeSpan.FromMinutes(20));
        Assert.True(pack.ExitCode == 0, pack.ToString());
        var package = Assert.Single(Directory.GetFiles(packages, "*.nupkg"));
        var version = NpgenProcess.Run("--version").StdOut.Trim().Split('+')[0]; // a real process: --version is the entry assembly's
        Assert.Equal($"npgen.{version}.nupkg", Path.GetFileName(package));
        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("tools/net10.0/any/DotnetToolSettings.xml", entries);
            Assert.Contains("tools/net10.0/any/npgen.dll", entries);
            Assert.Contains("README.md", entries);
            using var settings = new StreamReader(zip.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open());
            Assert.Contains("<Command Name=\"npgen\" EntryPoint=\"npgen.dll\"", settings.ReadToEnd());
        }

        var config = Path.Combine(temp, "nuget.config");
        File.WriteAllText(config, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
              </packageSources>
            </configuration>
            """);
        var tools = Path.Combine(temp, "tools");
        var install = ExternalTool.Run("dotnet", ["tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", packages, "npgen"], temp, timeout: TimeSpan.FromMinutes(5));
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains($"Tool 'npgen' (version '{version}') was successfully installed.", install.StdOut);

        var npgen = Path.Combine(tools, "npgen");
        var environment = new Dictionary<string, string> { ["DOTNET_ROOT"] = ExternalTool.DotnetRoot() };
        var installedVersion = ExternalTool.Run(npgen, ["--version"], temp, environment);
        Assert.True(installedVersion.ExitCode == 0, installedVersion.ToString());
        Assert.Equal(version, installedVersion.StdOut.Trim().Split('+')[0]);

        // The installed tool builds what the build under test builds, byte for byte: every reviewed policy of the example.
        var intent = Path.Combine(Npgen.Repo, "examples", "shop", "intents.yaml");
        var built = ExternalTool.Run(npgen, ["build", intent, "--env", "prod"], temp, environment);
        Assert.True(built.ExitCode == 0, built.ToString());
        Assert.Equal(Npgen.Run("build", intent, "--env", "prod").StdOut, built.StdOut);
        var reviewed = Directory.GetFiles(Path.Combine(Npgen.Repo, "examples", "shop", "output", "prod"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml").ToList();
        Assert.NotEmpty(reviewed);
        foreach (var file in reviewed)
        {
            Assert.Contains($"  name: {Path.GetFileNameWithoutExtension(file)}\n", built.StdOut);
        }

        // The same program as a kubectl plugin: a link named kubectl-npgen next to it, found by the real kubectl.
        File.CreateSymbolicLink(Path.Combine(tools, "kubectl-npgen"), "npgen");
        var onPath = new Dictionary<string, string>(environment) { ["PATH"] = tools + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH") };
        var viaKubectl = ExternalTool.Run("kubectl", ["npgen", "--version"], temp, onPath);
        Assert.True(viaKubectl.ExitCode == 0, viaKubectl.ToString());
        Assert.Equal(version, viaKubectl.StdOut.Trim().Split('+')[0]);
        var plugins = ExternalTool.Run("kubectl", ["plugin", "list"], temp, onPath);
        Assert.Contains(Path.Combine(tools, "kubectl-npgen"), plugins.StdOut);

        // Figures for the report (no assertion on time: the machine is shared).
        output.WriteLine($"dotnet pack + tool install + runs: {clock.Elapsed.TotalSeconds:F0} s, package {new FileInfo(package).Length / 1024} KiB");
    }

    /// <summary>The files a source build of the CLI needs: the root build files and src/, without bin/ and obj/.</summary>
    private static void CopySources(string repo, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "README.md", ".editorconfig", "CodeMetricsConfig.txt" })
        {
            File.Copy(Path.Combine(repo, file), Path.Combine(target, file));
        }

        foreach (var folder in new[] { "src", "templates" })
        {
            CopyTree(Path.Combine(repo, folder), Path.Combine(target, folder));
        }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            if (entry is DirectoryInfo directory)
            {
                if (directory.Name is not ("bin" or "obj"))
                {
                    CopyTree(directory.FullName, Path.Combine(to, directory.Name));
                }
            }
            else
            {
                File.Copy(entry.FullName, Path.Combine(to, entry.Name));
            }
        }
    }
}
