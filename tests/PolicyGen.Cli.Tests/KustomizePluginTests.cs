using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// npgen inside the real tools: `kubectl kustomize --enable-alpha-plugins` with the legacy exec
/// plugin, `kpt fn eval --exec` and `kpt fn render --allow-exec` with the KRM function, and a
/// standalone `kustomize build --enable-exec` when one is installed. The plugin is the binary
/// named by NPGEN_PLUGIN_BINARY (CI sets it to the Native AOT build from install.sh); without it,
/// a wrapper around the npgen.dll built next to these tests.
/// </summary>
public sealed class KustomizePluginTests : IDisposable
{
    private const string LoadRestrictorVariable = "NPGEN_LOAD_RESTRICTOR";
    private static readonly string Examples = Path.Combine(Npgen.Repo, "kustomize-plugin", "examples");

    /// <summary>
    /// The legacy example shares base/intents.yaml between overlays, outside each overlay's root: it
    /// needs the opt-in that whoever runs kustomize gives (kustomize-plugin/README.md).
    /// </summary>
    private static readonly Dictionary<string, string> OptIn = new() { [LoadRestrictorVariable] = "LoadRestrictionsNone" };
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-kustomize-").FullName;
    private readonly string xdg;
    private readonly string plugin;

    public KustomizePluginTests()
    {
        plugin = Environment.GetEnvironmentVariable("NPGEN_PLUGIN_BINARY") is { Length: > 0 } binary
            ? binary
            : WriteWrapper(Path.Combine(temp, "bin", "npgen-plugin"));
        xdg = Path.Combine(temp, "xdg");
        foreach (var kind in new[] { "NetworkIntentGenerator", "NetworkIntent", "NetworkIntentValidator" })
        {
            var dir = Path.Combine(xdg, "kustomize", "plugin", "npgen.dev", "v1alpha1", kind.ToLowerInvariant());
            Directory.CreateDirectory(dir);
            File.CreateSymbolicLink(Path.Combine(dir, kind), plugin);
        }
    }

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Theory]
    [InlineData("prod")]
    [InlineData("dev")]
    public void Kubectl_kustomize_overlay_produces_exactly_the_policies_of_npgen_build(string env)
    {
        var kustomize = Run("kubectl", ["kustomize", "--enable-alpha-plugins", Path.Combine(Examples, "legacy", "overlays", env)], environment: OptIn);
        Assert.True(kustomize.ExitCode == 0, kustomize.ToString());
        var build = Npgen.Run("build", Path.Combine(Examples, "legacy", "base", "intents.yaml"), "--env", env);
        Assert.True(build.ExitCode == 0, build.ToString());

        var fromKustomize = Objects(kustomize.StdOut).Where(o => o.Kind == "NetworkPolicy").ToList();
        var fromBuild = Objects(build.StdOut).ToList();
        Assert.NotEmpty(fromBuild);
        Assert.Equal(fromBuild.Select(o => o.Id), fromKustomize.Select(o => o.Id));
        foreach (var (expected, actual) in fromBuild.Zip(fromKustomize))
        {
            Assert.True(expected.Canonical == actual.Canonical, $"{expected.Id} differs:\n{expected.Canonical}\n---\n{actual.Canonical}");
        }

        // The app's own resources pass through.
        Assert.Contains(Objects(kustomize.StdOut), o => o.Kind == "Deployment" && o.Id == "store/web");
    }

    [Fact]
    public void Kubectl_kustomize_fails_with_npgens_message_when_the_intent_is_broken()
    {
        var copy = CopyExample("legacy");
        var env = Path.Combine(copy, "base", "environments", "prod.yaml");
        File.WriteAllText(env, File.ReadAllText(env).Replace("198.51.100.0/24", "198.51.100.0/33", StringComparison.Ordinal));
        var run = Run("kubectl", ["kustomize", "--enable-alpha-plugins", Path.Combine(copy, "overlays", "prod")], environment: OptIn);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{env}:3:16: error NPG305", run.StdErr);
        Assert.Contains("npgen: the NetworkPolicies were not generated", run.StdErr);
        Assert.DoesNotContain("kind: NetworkPolicy", run.StdOut);
    }

    [Fact]
    public void Kubectl_kustomize_fails_when_an_edited_template_changes_the_meaning()
    {
        var copy = CopyExample("legacy");
        var templates = Directory.CreateDirectory(Path.Combine(copy, "overlays", "prod", "templates")).FullName;
        // A template that forgets the ports: every port becomes allowed, which the intent does not say.
        File.WriteAllText(Path.Combine(templates, "_rules.sbn"), File.ReadAllText(Path.Combine(Npgen.Repo, "templates", "_rules.sbn"))
            .Replace("{{~ if rule.ports.size > 0 ~}}", "{{~ if false ~}}", StringComparison.Ordinal));
        var config = Path.Combine(copy, "overlays", "prod", "netpol.yaml");
        File.AppendAllText(config, "  templates: templates\n");
        var run = Run("kubectl", ["kustomize", "--enable-alpha-plugins", Path.Combine(copy, "overlays", "prod")], environment: OptIn);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("error NPG400", run.StdErr);
        Assert.Contains("intent denies, policies allow", run.StdErr);
    }

    [Fact]
    public void Kpt_fn_render_writes_the_policies_and_leaves_other_files_byte_identical()
    {
        var copy = CopyExample("kpt");
        var package = Path.Combine(copy, "store");
        var before = Snapshot(package);
        var run = Run("kpt", ["fn", "render", package, "--allow-exec"], path: Path.GetDirectoryName(plugin));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("[PASS]", run.StdErr + run.StdOut);

        var after = Snapshot(package);
        Assert.Equal(before["app.yaml"], after["app.yaml"]);
        Assert.Equal(before["intents.yaml"], after["intents.yaml"]);
        var generated = after.Keys.Where(k => k.StartsWith("netpol/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["netpol/store/api-egress.yaml", "netpol/store/api-ingress.yaml", "netpol/store/default-deny.yaml",
            "netpol/store/web-egress.yaml", "netpol/store/web-ingress.yaml"], generated);

        // Rendering again replaces npgen's own files instead of duplicating them.
        var again = Run("kpt", ["fn", "render", package, "--allow-exec"], path: Path.GetDirectoryName(plugin));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(after.Keys.Order(StringComparer.Ordinal), Snapshot(package).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Kpt_fn_eval_exec_matches_npgen_build_and_keeps_unrelated_annotations()
    {
        var copy = CopyExample("kpt");
        var package = Path.Combine(copy, "store");
        var app = Path.Combine(package, "app.yaml");
        File.WriteAllText(app, File.ReadAllText(app).Replace("  name: store\n",
            "  name: store\n  annotations:\n    team.example.com/owner: 'platform'\n    config.kubernetes.io/local-config: \"false\"\n", StringComparison.Ordinal));
        var before = File.ReadAllBytes(app);
        var run = Run("kpt", ["fn", "eval", package, "--exec", plugin, "--fn-config", Path.Combine(package, "intents.yaml")]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(before, File.ReadAllBytes(app));

        // kpt hands the intent over without its file name, so only the source annotations may differ.
        var build = Npgen.Run("build", Path.Combine(package, "intents.yaml"));
        var expected = Objects(build.StdOut, ignoreSources: true).ToDictionary(o => o.Id);
        var written = Directory.GetFiles(Path.Combine(package, "netpol"), "*.yaml", SearchOption.AllDirectories)
            .SelectMany(f => Objects(File.ReadAllText(f), ignoreSources: true)).ToList();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), written.Select(o => o.Id).Order(StringComparer.Ordinal));
        Assert.All(written, o => Assert.Equal(expected[o.Id].Canonical, o.Canonical));
    }

    [Fact]
    public void Kpt_shows_FAIL_with_the_result_when_the_intent_is_broken()
    {
        var copy = CopyExample("kpt");
        var intents = Path.Combine(copy, "store", "intents.yaml");
        File.WriteAllText(intents, File.ReadAllText(intents).Replace("calls: [api]", "calls: [{fqdn: api.example.com}]", StringComparison.Ordinal));
        var run = Run("kpt", ["fn", "eval", Path.Combine(copy, "store"), "--exec", plugin, "--fn-config", intents]);
        Assert.NotEqual(0, run.ExitCode);
        var output = run.StdErr + run.StdOut;
        Assert.Contains("[FAIL]", output);
        Assert.Contains("[error] npgen.dev/v1alpha1/NetworkIntent/store spec.apps.web.calls[0].fqdn: NPG308", output); // kpt prints field.path after the object
        Assert.False(Directory.Exists(Path.Combine(copy, "store", "netpol")));
    }

    [OnPathFact("kustomize")] // kubectl's built-in kustomize cannot --enable-exec; a standalone one is optional.
    public void Standalone_kustomize_runs_the_KRM_function_when_installed()
    {
        var copy = CopyExample("legacy");
        var overlay = Path.Combine(copy, "overlays", "prod");
        var config = Path.Combine(overlay, "netpol.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("  name: store-netpol\n",
            $"  name: store-netpol\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: {plugin}\n", StringComparison.Ordinal));
        var run = Run("kustomize", ["build", "--enable-alpha-plugins", "--enable-exec", overlay], environment: OptIn);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(Objects(run.StdOut), o => o.Kind == "NetworkPolicy" && o.Id == "store/web-ingress");
    }

    [Fact]
    public void Argo_CD_manifests_are_well_formed_and_the_plugin_definition_runs_npgen_build()
    {
        var dir = Path.Combine(Npgen.Repo, "kustomize-plugin", "argocd");
        var kinds = new List<string>();
        foreach (var file in Directory.GetFiles(dir, "*.yaml"))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            kinds.AddRange(stream.Documents.Select(d => ((YamlScalarNode)((YamlMappingNode)d.RootNode).Children[new YamlScalarNode("kind")]).Value!));
        }

        Assert.Contains("Application", kinds);
        var configMap = File.ReadAllText(Path.Combine(dir, "cmp-plugin.yaml"));
        var data = (YamlMappingNode)((YamlMappingNode)LoadFirst(configMap)).Children[new YamlScalarNode("data")];
        var definition = (YamlMappingNode)LoadFirst(((YamlScalarNode)data.Children[new YamlScalarNode("plugin.yaml")]).Value!);
        Assert.Equal("ConfigManagementPlugin", ((YamlScalarNode)definition.Children[new YamlScalarNode("kind")]).Value);
        Assert.Contains("/usr/local/bin/npgen-cmp-generate", LoadText(definition)); // which runs npgen build intents.yaml (CmpPluginTests)
    }

    private const string Marker = "NPGEN-SECRET-5d21e8";

    /// <summary>A "secret" outside the kustomization: npgen would echo it (as an unknown key) if it ever read it.</summary>
    private const string SecretText = "spec:\n  " + Marker + ": 1\n";

    /// <summary>
    /// A kustomization (kz/) with a generator config, a valid intent inside it, and a secret next to
    /// it (outside kz/). <paramref name="spec"/> is the generator's spec; <paramref name="prepare"/>
    /// adds links or files.
    /// </summary>
    private string Kustomization(string name, string spec, Action<string, string>? prepare = null)
    {
        var dir = Path.Combine(temp, name);
        var kz = Path.Combine(dir, "kz");
        Directory.CreateDirectory(kz);
        File.WriteAllText(Path.Combine(dir, "secret.yaml"), SecretText);
        File.Copy(Path.Combine(Examples, "kpt", "store", "intents.yaml"), Path.Combine(kz, "intents.yaml"));
        File.WriteAllText(Path.Combine(kz, "kustomization.yaml"), "generators:\n- netpol.yaml\n");
        File.WriteAllText(Path.Combine(kz, "netpol.yaml"),
            $"apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntentGenerator\nmetadata: {{name: store-netpol}}\nspec:\n{spec}");
        prepare?.Invoke(dir, kz);
        return kz;
    }

    public static TheoryData<string, string, string> Escapes => new()
    {
        { "absolute", "  intent: {secret}\n", "NPG710" },
        { "dotdot", "  intent: ../secret.yaml\n", "NPG710" },
        { "symlink", "  intent: link.yaml\n", "NPG710" },
        { "environment-link", "  intent: intents.yaml\n  environment: prod\n", "NPG710" },
        { "environment-path", "  intent: intents.yaml\n  environment: ../../secret\n", "NPG711" },
        { "overlay", "  intent: intents.yaml\n  overlays: [../secret.yaml]\n", "NPG710" },
        { "templates-link", "  intent: intents.yaml\n  templates: t\n", "NPG710" },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Kubectl_kustomize_refuses_every_path_outside_the_kustomization_and_never_prints_the_secret(string name, string spec, string code)
    {
        var kz = Kustomization(name, spec.Replace("{secret}", Path.Combine(temp, name, "secret.yaml"), StringComparison.Ordinal), (dir, kz) =>
        {
            var secret = Path.Combine(dir, "secret.yaml");
            File.CreateSymbolicLink(Path.Combine(kz, "link.yaml"), "../secret.yaml");
            var envs = Directory.CreateDirectory(Path.Combine(dir, "outside-environments")).FullName;
            File.Copy(secret, Path.Combine(envs, "prod.yaml"));
            File.CreateSymbolicLink(Path.Combine(kz, "environments"), envs);
            Directory.CreateDirectory(Path.Combine(kz, "t"));
            File.CreateSymbolicLink(Path.Combine(kz, "t", "_rules.sbn"), secret);
        });
        var run = Run("kubectl", ["kustomize", "--enable-alpha-plugins", kz]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"error {code}", run.StdErr);
        Assert.DoesNotContain(Marker, run.StdOut + run.StdErr);
        Assert.DoesNotContain("kind: NetworkPolicy", run.StdOut);
    }

    [Fact]
    public void Kubectl_kustomize_builds_a_kustomization_whose_files_are_inside_it_without_any_opt_in()
    {
        var kz = Kustomization("inside", "  intent: intents.yaml\n", (_, kz) =>
        {
            Directory.CreateDirectory(Path.Combine(kz, "sub"));
            File.CreateSymbolicLink(Path.Combine(kz, "sub", "intents.yaml"), "../intents.yaml"); // a link that stays inside is fine
        });
        File.WriteAllText(Path.Combine(kz, "netpol.yaml"), File.ReadAllText(Path.Combine(kz, "netpol.yaml")).Replace("intent: intents.yaml", "intent: sub/intents.yaml", StringComparison.Ordinal));
        var run = Run("kubectl", ["kustomize", "--enable-alpha-plugins", kz]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(Objects(run.StdOut), o => o.Kind == "NetworkPolicy" && o.Id == "store/web-ingress");
    }

    [Fact]
    public void The_opt_in_comes_only_from_the_environment_and_a_bad_value_is_refused()
    {
        var kz = Kustomization("optin", "  intent: ../secret.yaml\n");
        var refused = Run("kubectl", ["kustomize", "--enable-alpha-plugins", kz]);
        Assert.Contains("error NPG710", refused.StdErr);
        Assert.Contains("NPGEN_LOAD_RESTRICTOR=LoadRestrictionsNone", refused.StdErr); // the message says how to opt in

        var bogus = Run("kubectl", ["kustomize", "--enable-alpha-plugins", kz], environment: new Dictionary<string, string> { [LoadRestrictorVariable] = "AnythingGoes" });
        Assert.NotEqual(0, bogus.ExitCode);
        Assert.Contains("error NPG712", bogus.StdErr);
        Assert.DoesNotContain(Marker, bogus.StdOut + bogus.StdErr);

        // With the opt-in npgen reads it (and, since it is no intent, says so with at most an excerpt).
        var allowed = Run("kubectl", ["kustomize", "--enable-alpha-plugins", kz], environment: OptIn);
        Assert.NotEqual(0, allowed.ExitCode);
        Assert.DoesNotContain("NPG710", allowed.StdErr);
        Assert.Contains("secret.yaml", allowed.StdErr);
    }

    [Fact]
    public void Kpt_fn_eval_refuses_an_absolute_intent_path_in_the_results_without_the_secret()
    {
        var secret = Path.Combine(temp, "kpt-secret.yaml");
        File.WriteAllText(secret, SecretText);
        var package = Directory.CreateDirectory(Path.Combine(temp, "pkg")).FullName;
        File.Copy(Path.Combine(Examples, "kpt", "store", "app.yaml"), Path.Combine(package, "app.yaml"));
        var config = Path.Combine(temp, "fn-config.yaml");
        File.WriteAllText(config, $"apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntentGenerator\nmetadata: {{name: store-netpol}}\nspec:\n  intent: {secret}\n");
        var run = Run("kpt", ["fn", "eval", package, "--exec", plugin, "--fn-config", config]);
        Assert.NotEqual(0, run.ExitCode);
        var output = run.StdErr + run.StdOut;
        Assert.Contains("[FAIL]", output);
        Assert.Contains("NPG710", output);
        Assert.Contains("is an absolute path", output);
        Assert.DoesNotContain(Marker, output);
        Assert.False(Directory.Exists(Path.Combine(package, "netpol")));
    }

    private static YamlNode LoadFirst(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }

    private static string LoadText(YamlNode node) => Canonical(node, ignoreSources: false);

    private string CopyExample(string name)
    {
        var target = Path.Combine(temp, "copy-" + name);
        foreach (var file in Directory.GetFiles(Path.Combine(Examples, name), "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Path.Combine(Examples, name), file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    private static Dictionary<string, byte[]> Snapshot(string dir)
        => Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f).Replace('\\', '/'), File.ReadAllBytes);

    internal static string WriteWrapper(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // As npgen-plugin does: no arguments means a KRM function call (exec.path cannot pass any), `validate` the KRM validator.
        var dll = Path.Combine(AppContext.BaseDirectory, "npgen.dll");
        File.WriteAllText(path, $"#!/bin/sh\nif [ $# -eq 0 ]; then exec dotnet \"{dll}\" krm; fi\n"
            + $"if [ \"$1\" = validate ]; then exec dotnet \"{dll}\" krm --validate; fi\nexec dotnet \"{dll}\" \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        return path;
    }

    private NpgenRun Run(string tool, string[] args, string? path = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = temp };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["XDG_CONFIG_HOME"] = xdg;
        if (path is not null)
        {
            start.Environment["PATH"] = path + ":" + Environment.GetEnvironmentVariable("PATH");
        }

        start.Environment.Remove(LoadRestrictorVariable);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)}");
        }

        return new NpgenRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    private sealed record KubeObject(string Kind, string Id, string Canonical);

    /// <summary>Objects of a YAML stream with a canonical text (keys sorted) so tools' formatting does not matter.</summary>
    private static IEnumerable<KubeObject> Objects(string yaml, bool ignoreSources = false)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode map)
            {
                continue;
            }

            var metadata = (YamlMappingNode)map.Children[new YamlScalarNode("metadata")];
            var ns = metadata.Children.TryGetValue(new YamlScalarNode("namespace"), out var n) ? ((YamlScalarNode)n).Value : "";
            var name = ((YamlScalarNode)metadata.Children[new YamlScalarNode("name")]).Value;
            yield return new KubeObject(((YamlScalarNode)map.Children[new YamlScalarNode("kind")]).Value!, $"{ns}/{name}", Canonical(map, ignoreSources));
        }
    }

    private static string Canonical(YamlNode node, bool ignoreSources) => node switch
    {
        YamlMappingNode m => "{" + string.Join(",", m.Children
            .Where(c => !IsToolAnnotation(((YamlScalarNode)c.Key).Value!)
                && !(ignoreSources && ((YamlScalarNode)c.Key).Value!.StartsWith("npgen.dev/", StringComparison.Ordinal) && ((YamlScalarNode)c.Key).Value != "npgen.dev/intent"))
            .Select(c => (Key: ((YamlScalarNode)c.Key).Value!, c.Value))
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => $"{c.Key}:{Canonical(c.Value, ignoreSources)}")) + "}",
        YamlSequenceNode s => "[" + string.Join(",", s.Children.Select(c => Canonical(c, ignoreSources))) + "]",
        YamlScalarNode s => s.Value ?? "",
        _ => "",
    };

    /// <summary>Bookkeeping annotations kpt and kustomize add to files they write.</summary>
    private static bool IsToolAnnotation(string key)
        => key.StartsWith("config.kubernetes.io/", StringComparison.Ordinal) || key.StartsWith("internal.config.kubernetes.io/", StringComparison.Ordinal)
            || key.StartsWith("config.k8s.io/", StringComparison.Ordinal);
}
