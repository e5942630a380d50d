using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests.Krm;

/// <summary>
/// A scratch folder with the plugin (NPGEN_PLUGIN_BINARY, the Native AOT build, or a wrapper around
/// the npgen.dll next to the tests) installed as kustomize's legacy plugins and on PATH as
/// <c>npgen-plugin</c>, and a way to run kpt and kubectl there.
/// </summary>
public sealed class KrmTools : IDisposable
{
    public KrmTools()
    {
        Temp = Directory.CreateTempSubdirectory("npgen-krm-").FullName;
        var plugin = Environment.GetEnvironmentVariable("NPGEN_PLUGIN_BINARY") is { Length: > 0 } binary
            ? binary
            : KustomizePluginTests.WriteWrapper(Path.Combine(Temp, "wrapped", "npgen-plugin"));
        Bin = Directory.CreateDirectory(Path.Combine(Temp, "bin")).FullName;
        Output = Path.Combine(Temp, "last-output.yaml");

        // npgen-plugin on PATH keeps a copy of what it printed, so a test can read the ResourceList itself.
        Plugin = Path.Combine(Bin, "npgen-plugin");
        File.WriteAllText(Plugin, $"#!/bin/sh\n\"{plugin}\" \"$@\" > \"{Output}\"\nrc=$?\ncat \"{Output}\"\nexit $rc\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Xdg = Path.Combine(Temp, "xdg");
        foreach (var kind in new[] { "NetworkIntentGenerator", "NetworkIntent", "NetworkIntentValidator" })
        {
            var dir = Path.Combine(Xdg, "kustomize", "plugin", "npgen.dev", "v1alpha1", kind.ToLowerInvariant());
            Directory.CreateDirectory(dir);
            File.CreateSymbolicLink(Path.Combine(dir, kind), plugin);
        }
    }

    public string Temp { get; }

    public string Bin { get; }

    public string Plugin { get; }

    public string Output { get; }

    public string Xdg { get; }

    public void Dispose() => Directory.Delete(Temp, recursive: true);

    /// <summary>The kpt example package (kustomize-plugin/examples/kpt/store) copied to <paramref name="name"/>.</summary>
    public string CopyKptExample(string name)
    {
        var from = Path.Combine(Npgen.Repo, "kustomize-plugin", "examples", "kpt", "store");
        var to = Path.Combine(Temp, name);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return to;
    }

    public NpgenRun Run(string workingDirectory, string tool, string[] args, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["XDG_CONFIG_HOME"] = Xdg;
        start.Environment["PATH"] = Bin + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment.Remove("NPGEN_LOAD_RESTRICTOR");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(180)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)}");
        }

        return new NpgenRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The results of a ResourceList (or the items of kpt's FunctionResultList, flattened).</summary>
    public static List<YamlMappingNode> Results(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        if (Scalar(root, "kind") == "FunctionResultList")
        {
            return [.. ((YamlSequenceNode)root["items"]).Children.Cast<YamlMappingNode>()
                .Where(i => i.Children.ContainsKey(new YamlScalarNode("results")))
                .SelectMany(i => ((YamlSequenceNode)i["results"]).Children.Cast<YamlMappingNode>())];
        }

        return root.Children.TryGetValue(new YamlScalarNode("results"), out var results) ? [.. ((YamlSequenceNode)results).Children.Cast<YamlMappingNode>()] : [];
    }

    /// <summary>The scalar at a dotted path (<c>file.path</c>) in a mapping, or null.</summary>
    public static string? Scalar(YamlMappingNode map, string path)
    {
        YamlNode node = map;
        foreach (var part in path.Split('.'))
        {
            if (node is not YamlMappingNode m || !m.Children.TryGetValue(new YamlScalarNode(part), out var child))
            {
                return null;
            }

            node = child;
        }

        return (node as YamlScalarNode)?.Value;
    }
}
