using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests.ArgoCd;

/// <summary>
/// Each shipped Argo CD route rendered as Argo CD would see it (the committed directory, the
/// kustomize build with the plugin, the CMP's generate step) together with its Application, and
/// checked for the rule "a policy's namespace exists before the policy is applied".
/// </summary>
public sealed class ArgoCdRouteTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-argocd-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void The_model_catches_a_namespace_in_a_later_wave_and_a_namespace_no_one_creates()
    {
        var order = ArgoCdSyncOrder.Load();
        var app = ArgoCdManifestSchemaTests.Load("""
            kind: Application
            spec: {destination: {server: https://kubernetes.default.svc, namespace: store}}
            """).Single();
        var resources = ArgoCdManifestSchemaTests.Load("""
            kind: Namespace
            metadata: {name: store}
            ---
            kind: NetworkPolicy
            metadata: {name: web-ingress, namespace: store, annotations: {argocd.argoproj.io/sync-wave: "-1"}}
            ---
            kind: NetworkPolicy
            metadata: {name: db, namespace: data}
            """);
        Assert.Equal(
            [
                "NetworkPolicy store/web-ingress (wave -1) is applied before its Namespace (phase Sync, wave 0)",
                "NetworkPolicy data/db (wave 0): this Application never creates namespace data",
            ],
            order.NamespaceBeforeObjectProblems(app, resources));

        // Same wave: Namespace is the first kind Argo CD applies.
        var sameWave = ArgoCdManifestSchemaTests.Load("""
            kind: NetworkPolicy
            metadata: {name: a, namespace: store}
            ---
            kind: Namespace
            metadata: {name: store}
            """);
        Assert.Empty(order.NamespaceBeforeObjectProblems(app, sameWave));
    }

    [Fact]
    public void Committed_yaml_route_gitops_example_every_policy_is_in_an_application_that_creates_its_namespace_first()
    {
        var gitops = Path.Combine(Npgen.Repo, "examples", "gitops", "gitops-repo");
        var applications = ArgoCdManifestSchemaTests.Load(File.ReadAllText(Path.Combine(gitops, "argocd", "shop-netpol.yaml")));
        AssertDirectoryRoute(gitops, applications, "apps/shop");
    }

    [Fact]
    public void Committed_yaml_route_application_directory_yaml_syncs_what_npgen_build_writes_for_the_store_example()
    {
        var build = Npgen.Run("build", "kustomize-plugin/examples/legacy/base/intents.yaml", "--env", "prod", "-o", Path.Combine(temp, "apps", "store", "netpol") + "/");
        Assert.True(build.ExitCode == 0, build.ToString());
        var applications = ArgoCdManifestSchemaTests.Load(File.ReadAllText(Path.Combine(Npgen.Repo, "kustomize-plugin", "argocd", "application-directory.yaml")));
        AssertDirectoryRoute(temp, applications, "apps/store/netpol");
    }

    [Fact]
    public void Kustomize_route_the_overlay_build_with_the_plugin_puts_the_namespace_before_its_policies()
    {
        var plugin = PluginHome();
        var run = Run("kubectl", ["kustomize", "--enable-alpha-plugins", Path.Combine(Npgen.Repo, "kustomize-plugin", "examples", "legacy", "overlays", "prod")],
            // The example's overlays share ../../base/intents.yaml: outside their kustomization, so the
            // repo-server needs the operator's opt-in (kustomize-plugin/argocd/repo-server-patch.yaml).
            new() { ["KUSTOMIZE_PLUGIN_HOME"] = plugin, ["NPGEN_LOAD_RESTRICTOR"] = "LoadRestrictionsNone" });
        Assert.True(run.ExitCode == 0, run.ToString());
        var resources = ArgoCdManifestSchemaTests.Load(run.StdOut);
        Assert.Contains(resources, r => Kind(r) == "NetworkPolicy");
        var application = ArgoCdManifestSchemaTests.Load(File.ReadAllText(Path.Combine(Npgen.Repo, "kustomize-plugin", "argocd", "application-kustomize.yaml"))).Single();

        var order = ArgoCdSyncOrder.Load();
        Assert.Empty(order.NamespaceBeforeObjectProblems(application, resources));
        var tasks = order.Tasks(application, resources);
        Assert.Equal("Namespace", tasks[0].Kind);
        Assert.All(tasks.Where(t => t.Kind == "NetworkPolicy"), t => Assert.True(t.Wave < tasks.First(d => d.Kind == "Deployment").Wave, "policies before the workloads"));
    }

    [Fact]
    public void Cmp_route_the_generate_step_with_the_applications_parameters_yields_policies_in_the_namespace_argo_cd_creates()
    {
        var application = ArgoCdManifestSchemaTests.Load(File.ReadAllText(Path.Combine(Npgen.Repo, "kustomize-plugin", "argocd", "application-cmp.yaml"))).Single();
        var source = Copy(Path.Combine(Npgen.Repo, "kustomize-plugin", "examples", "legacy", "base"), Path.Combine(temp, "deploy", "base"));
        var run = CmpGenerate(source, ParameterEnvironment(application));
        Assert.True(run.ExitCode == 0, run.ToString());
        var resources = ArgoCdManifestSchemaTests.Load(run.StdOut);
        Assert.NotEmpty(resources);
        Assert.All(resources, r => Assert.Equal("NetworkPolicy", Kind(r)));
        Assert.Empty(ArgoCdSyncOrder.Load().NamespaceBeforeObjectProblems(application, resources));
        Assert.Equal(Npgen.RunIn(source, null, null, "build", "intents.yaml", "--env", "prod").StdOut, run.StdOut);
    }

    /// <summary>Runs kustomize-plugin/argocd/npgen-cmp-generate with bash in <paramref name="dir"/>, npgen on PATH.</summary>
    internal static NpgenRun CmpGenerate(string dir, Dictionary<string, string> environment, string? npgen = null)
    {
        var bin = Path.Combine(dir, "..", ".bin-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(bin);
        var dll = Path.Combine(AppContext.BaseDirectory, "npgen.dll");
        WriteExecutable(Path.Combine(bin, "npgen"), npgen ?? $"#!/bin/sh\nexec dotnet \"{dll}\" \"$@\"\n");
        environment["PATH"] = bin + ":/usr/local/bin:/usr/bin:/bin";
        var script = Path.Combine(Npgen.Repo, "kustomize-plugin", "argocd", "npgen-cmp-generate");
        return Run("bash", [script], environment, dir, clearEnvironment: true);
    }

    /// <summary>The PARAM_* variables Argo CD sets from plugin.parameters (Environ() in Argo CD's application types).</summary>
    internal static Dictionary<string, string> ParameterEnvironment(YamlMappingNode application)
    {
        var environment = new Dictionary<string, string>();
        var plugin = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)application["spec"])["source"])["plugin"];
        foreach (var parameter in ((YamlSequenceNode)plugin["parameters"]).Children.Cast<YamlMappingNode>())
        {
            var name = "PARAM_" + Regex.Replace(((YamlScalarNode)parameter["name"]).Value!.ToUpperInvariant(), "[^A-Z0-9_]", "_");
            if (parameter.Children.TryGetValue(new YamlScalarNode("string"), out var s))
            {
                environment[name] = ((YamlScalarNode)s).Value!;
            }

            if (parameter.Children.TryGetValue(new YamlScalarNode("array"), out var a))
            {
                var items = ((YamlSequenceNode)a).Children;
                for (var i = 0; i < items.Count; i++)
                {
                    environment[$"{name}_{i}"] = ((YamlScalarNode)items[i]).Value!;
                }
            }
        }

        return environment;
    }

    internal static NpgenRun Run(string tool, string[] args, Dictionary<string, string>? environment = null, string? directory = null, bool clearEnvironment = false)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory ?? Npgen.Repo };
        if (clearEnvironment)
        {
            var home = start.Environment.TryGetValue("HOME", out var h) ? h : null;
            var dotnetRoot = start.Environment.TryGetValue("DOTNET_ROOT", out var r) ? r : null;
            start.Environment.Clear();
            if (home is not null)
            {
                start.Environment["HOME"] = home;
            }

            if (dotnetRoot is not null)
            {
                start.Environment["DOTNET_ROOT"] = dotnetRoot;
            }
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(tool + " " + string.Join(' ', args));
        }

        return new NpgenRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    internal static void WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
    }

    private static string Kind(YamlMappingNode resource) => ((YamlScalarNode)resource["kind"]).Value!;

    private static void AssertDirectoryRoute(string repoRoot, List<YamlMappingNode> applications, string publishedPath)
    {
        Assert.NotEmpty(applications);
        var order = ArgoCdSyncOrder.Load();
        var published = Directory.GetFiles(Path.Combine(repoRoot, publishedPath), "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Select(f => Path.GetRelativePath(repoRoot, f).Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);
        var synced = new List<string>();
        foreach (var application in applications)
        {
            var source = (YamlMappingNode)((YamlMappingNode)application["spec"])["source"];
            var path = ((YamlScalarNode)source["path"]).Value!;
            var exclude = ((YamlScalarNode)((YamlMappingNode)source["directory"])["exclude"]).Value!;
            var files = Directory.GetFiles(Path.Combine(repoRoot, path), "*.yaml", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) != exclude)
                .ToList();
            Assert.NotEmpty(files);
            synced.AddRange(files.Select(f => Path.GetRelativePath(repoRoot, f).Replace('\\', '/')));
            var resources = files.SelectMany(f => ArgoCdManifestSchemaTests.Load(File.ReadAllText(f))).ToList();
            var problems = order.NamespaceBeforeObjectProblems(application, resources);
            Assert.True(problems.Count == 0, $"Application {((YamlScalarNode)((YamlMappingNode)application["metadata"])["name"]).Value} ({path}):\n" + string.Join('\n', problems));
        }

        // Every published policy is synced, by exactly one Application.
        Assert.Equal(published.Order(StringComparer.Ordinal), synced.Order(StringComparer.Ordinal));
    }

    private string PluginHome()
    {
        var plugin = Environment.GetEnvironmentVariable("NPGEN_PLUGIN_BINARY") is { Length: > 0 } binary ? binary : null;
        if (plugin is null)
        {
            plugin = Path.Combine(temp, "npgen-plugin");
            var dll = Path.Combine(AppContext.BaseDirectory, "npgen.dll");
            WriteExecutable(plugin, $"#!/bin/sh\nif [ $# -eq 0 ]; then exec dotnet \"{dll}\" krm; fi\nexec dotnet \"{dll}\" \"$@\"\n");
        }

        // The layout the repo-server patch makes under KUSTOMIZE_PLUGIN_HOME.
        var home = Path.Combine(temp, "custom-tools", "kustomize", "plugin");
        foreach (var kind in new[] { "NetworkIntentGenerator", "NetworkIntent", "NetworkIntentValidator" })
        {
            var dir = Path.Combine(home, "npgen.dev", "v1alpha1", kind.ToLowerInvariant());
            Directory.CreateDirectory(dir);
            File.CreateSymbolicLink(Path.Combine(dir, kind), plugin);
        }

        return home;
    }

    private static string Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return to;
    }
}
