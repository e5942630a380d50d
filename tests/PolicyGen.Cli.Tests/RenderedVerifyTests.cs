using System.Diagnostics;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// The proof after the transformers, with the real tools: the legacy example's prod overlay with a
/// kustomize transformer added, built by `kubectl kustomize --enable-alpha-plugins` (the
/// NetworkIntentValidator fails or passes the build) and piped into `npgen verify --rendered -f -`;
/// and a kpt pipeline whose validator runs after a mutator that moves the policies.
/// </summary>
public sealed class RenderedVerifyTests : IDisposable
{
    private const string Validators = "validators:\n- netpol-check.yaml\n";
    private static readonly string Examples = Path.Combine(Npgen.Repo, "kustomize-plugin", "examples");
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-rendered-").FullName;
    private readonly string xdg;
    private readonly string plugin;

    public RenderedVerifyTests()
    {
        plugin = Environment.GetEnvironmentVariable("NPGEN_PLUGIN_BINARY") is { Length: > 0 } binary
            ? binary
            : KustomizePluginTests.WriteWrapper(Path.Combine(temp, "bin", "npgen-plugin"));
        xdg = Path.Combine(temp, "xdg");
        foreach (var kind in new[] { "NetworkIntentGenerator", "NetworkIntentValidator" })
        {
            var dir = Path.Combine(xdg, "kustomize", "plugin", "npgen.dev", "v1alpha1", kind.ToLowerInvariant());
            Directory.CreateDirectory(dir);
            File.CreateSymbolicLink(Path.Combine(dir, kind), plugin);
        }
    }

    public void Dispose() => Directory.Delete(temp, recursive: true);

    /// <summary>kustomization.yaml additions that change what the policies mean or who owns them, the code and the cause each must be reported with.</summary>
    public static TheoryData<string, string, string, string> Harmful => new()
    {
        { "commonLabels-and-namespace", "commonLabels: {team: store}\nnamespace: store-prod\n", "NPG412", "`namespace:` transformer (or kpt's set-namespace, or a patch) moved 5 NetworkPolicies from store to store-prod" },
        { "commonLabels-dns", "commonLabels: {team: store}\n", "NPG414", "added team=store to spec.podSelector and to the DNS peer kube-system/{k8s-app=kube-dns}" },
        { "labels-includeSelectors", "labels:\n- pairs: {team: store}\n  includeSelectors: true\n", "NPG414", "kustomize `commonLabels` (or `labels:` with includeSelectors: true) added team=store" },
        { "namePrefix", "namePrefix: prod-\n", "NPG413", "kustomize `namePrefix: prod-` renamed 5 NetworkPolicies" },
        { "nameSuffix", "nameSuffix: -v2\n", "NPG413", "kustomize `nameSuffix: -v2` renamed 5 NetworkPolicies" },
        {
            "patch-widens-a-rule",
            "patches:\n- target: {kind: NetworkPolicy, name: web-ingress}\n  patch: |-\n    - op: add\n      path: /spec/ingress/0/ports/-\n      value: {port: 9090, protocol: TCP}\n",
            "NPG415", "NetworkPolicy store/web-ingress: spec.ingress[0].ports[1] was added (9090/TCP): a kustomize `patches:` entry"
        },
    };

    public static TheoryData<string, string> Harmless => new()
    {
        { "commonAnnotations", "commonAnnotations: {owner: platform}\n" },
        { "labels-without-selectors", "labels:\n- pairs: {team: store}\n  includeSelectors: false\n" },
    };

    [Theory]
    [MemberData(nameof(Harmful))]
    public void The_validator_fails_the_kustomize_build_naming_the_cause(string name, string addition, string code, string cause)
    {
        var overlay = Overlay(name, addition, withValidator: true);
        var run = Run("kubectl", ["kustomize", "--enable-alpha-plugins", overlay]);
        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Contains($"error {code}: ", run.StdErr);
        Assert.Contains(cause, run.StdErr);
        Assert.Contains("npgen: the rendered NetworkPolicies do not match intent store", run.StdErr);
        Assert.DoesNotContain("kind: NetworkPolicy", run.StdOut);
    }

    [Theory]
    [MemberData(nameof(Harmful))]
    public void Npgen_verify_rendered_fails_on_the_piped_stream_naming_the_cause(string name, string addition, string code, string cause)
    {
        var overlay = Overlay(name, addition, withValidator: false);
        var rendered = Run("kubectl", ["kustomize", "--enable-alpha-plugins", overlay]);
        Assert.True(rendered.ExitCode == 0, rendered.ToString());
        var verify = Npgen.RunWithInput(rendered.StdOut, "verify", Path.Combine(Examples, "legacy", "base", "intents.yaml"), "--env", "prod", "--rendered", "-f", "-");
        Assert.True(verify.ExitCode == 1, verify.ToString());
        Assert.Contains($"error {code}: ", verify.StdErr);
        Assert.Contains(cause, verify.StdErr);
        Assert.Contains("do not match intent store (env prod)", verify.StdErr);
        // Read from a file, the problems point at the line of the rendered object.
        var file = Path.Combine(temp, name + ".yaml");
        File.WriteAllText(file, rendered.StdOut);
        var fromFile = Npgen.Run("verify", Path.Combine(Examples, "legacy", "base", "intents.yaml"), "--env", "prod", "--rendered", "-f", file);
        Assert.Equal(1, fromFile.ExitCode);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(file)}:\d+:\d+: error {code}", fromFile.StdErr);
    }

    [Theory]
    [MemberData(nameof(Harmless))]
    public void A_harmless_transformer_passes_the_validator_and_npgen_verify(string name, string addition)
    {
        var run = Run("kubectl", ["kustomize", "--enable-alpha-plugins", Overlay(name, addition, withValidator: true)]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("name: web-ingress", run.StdOut);
        Assert.Contains(name == "commonAnnotations" ? "owner: platform" : "team: store", run.StdOut);

        var verify = Npgen.RunWithInput(run.StdOut, "verify", Path.Combine(Examples, "legacy", "base", "intents.yaml"), "--env", "prod", "--rendered", "-f", "-");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith("verified: the 5 NetworkPolicies of intent store (env prod) in stdin", verify.StdOut);
    }

    [Fact]
    public void The_validator_checks_the_environment_it_is_given()
    {
        // The prod overlay's stream is not what the dev environment generates (other networks).
        var rendered = Run("kubectl", ["kustomize", "--enable-alpha-plugins", Path.Combine(Examples, "legacy", "overlays", "prod")]);
        Assert.True(rendered.ExitCode == 0, rendered.ToString());
        var verify = Npgen.RunWithInput(rendered.StdOut, "verify", Path.Combine(Examples, "legacy", "base", "intents.yaml"), "--env", "dev", "--rendered", "-f", "-");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("error NPG415: NetworkPolicy store/api-egress: spec.egress[0].to[0].ipBlock.cidr is 198.51.100.0/24 (npgen generates 203.0.113.0/28)", verify.StdErr);
    }

    [Fact]
    public void Npgen_verify_rendered_needs_its_stream_and_reports_unreadable_input_as_bad_input()
    {
        var intent = Path.Combine(Examples, "legacy", "base", "intents.yaml");
        Assert.Equal(2, Npgen.Run("verify", intent, "--rendered").ExitCode);
        Assert.Equal(2, Npgen.Run("verify", intent, "-f", "-").ExitCode);
        Assert.Equal(2, Npgen.Run("verify", intent, "--rendered", "-f", Path.Combine(temp, "absent.yaml")).ExitCode);
        var garbage = Npgen.RunWithInput("kind: [unclosed\n", "verify", intent, "--rendered", "-f", "-");
        Assert.Equal(2, garbage.ExitCode);
        Assert.Contains("NPG101", garbage.StdErr);
        // An empty stream holds none of the intent's policies: a failed check, each one named.
        var empty = Npgen.RunWithInput("", "verify", intent, "--rendered", "-f", "-");
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("error NPG410: NetworkPolicy store/web-ingress", empty.StdErr);
    }

    [Fact]
    public void A_broken_validator_config_fails_the_build_with_its_own_code_and_line()
    {
        var overlay = Overlay("bad-config", "", withValidator: true);
        var config = Path.Combine(overlay, "netpol-check.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("  environment: prod\n", "  environment: prod\n  enviroment: dev\n", StringComparison.Ordinal));
        var run = Run("kubectl", ["kustomize", "--enable-alpha-plugins", overlay]);
        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Contains("error NPG720: spec: unknown key \"enviroment\"", run.StdErr);
        Assert.Contains("npgen: the validator could not build the intent", run.StdErr);
    }

    [Fact]
    public void Npgen_verify_rendered_reports_as_json()
    {
        var overlay = Overlay("json", "namePrefix: prod-\n", withValidator: false);
        var rendered = Run("kubectl", ["kustomize", "--enable-alpha-plugins", overlay]);
        var verify = Npgen.RunWithInput(rendered.StdOut, "verify", Path.Combine(Examples, "legacy", "base", "intents.yaml"), "--env", "prod", "--rendered", "-f", "-", "-o", "json");
        Assert.Equal(1, verify.ExitCode);
        using var report = System.Text.Json.JsonDocument.Parse(verify.StdOut);
        Assert.False(report.RootElement.GetProperty("verified").GetBoolean());
        Assert.Equal(5, report.RootElement.GetProperty("policiesFound").GetInt32());
        Assert.Contains(report.RootElement.GetProperty("problems").EnumerateArray(), p => p.GetProperty("code").GetString() == "NPG413");
    }

    [Fact]
    public void Kpt_validator_passes_the_example_and_fails_after_a_mutator_that_moves_the_policies()
    {
        var package = Path.Combine(CopyExample("kpt"), "store");
        var pass = Run("kpt", ["fn", "render", package, "--allow-exec"], path: Path.GetDirectoryName(plugin));
        Assert.True(pass.ExitCode == 0, pass.ToString());
        Assert.Contains("[PASS] \"npgen-plugin validate\"", pass.StdErr + pass.StdOut);
        Assert.Contains("verified 5 NetworkPolicies of intent store", pass.StdErr + pass.StdOut);

        // A stand-in for kpt's set-namespace function, run after npgen's generator.
        var mover = Path.Combine(temp, "move-namespace.sh");
        File.WriteAllText(mover, "#!/bin/sh\nexec sed -e 's/^\\( *\\)namespace: \\(\"\\{0,1\\}\\)store\\2$/\\1namespace: store-prod/'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(mover, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var kptfile = Path.Combine(package, "Kptfile");
        File.WriteAllText(kptfile, File.ReadAllText(kptfile).Replace("  validators:\n", $"  - exec: {mover}\n  validators:\n", StringComparison.Ordinal));
        var before = Directory.GetFiles(package, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText);
        var fail = Run("kpt", ["fn", "render", package, "--allow-exec", "--truncate-output=false"], path: Path.GetDirectoryName(plugin));
        var output = fail.StdErr + fail.StdOut;
        Assert.True(fail.ExitCode != 0, fail.ToString());
        Assert.Contains("[FAIL] \"npgen-plugin validate\"", output);
        Assert.Contains("NPG412: kustomize's `namespace:` transformer (or kpt's set-namespace, or a patch) moved 5 NetworkPolicies from store to store-prod", output);
        // A failed render writes nothing.
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllText(f.Key)));
    }

    private string Overlay(string name, string addition, bool withValidator)
    {
        var copy = CopyExample("legacy", name);
        var kustomization = Path.Combine(copy, "overlays", "prod", "kustomization.yaml");
        var text = File.ReadAllText(kustomization);
        Assert.Contains(Validators, text);
        File.WriteAllText(kustomization, (withValidator ? text : text.Replace(Validators, "", StringComparison.Ordinal)) + addition);
        return Path.Combine(copy, "overlays", "prod");
    }

    private string CopyExample(string name, string? suffix = null)
    {
        var target = Path.Combine(temp, $"copy-{name}-{suffix}");
        foreach (var file in Directory.GetFiles(Path.Combine(Examples, name), "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Path.Combine(Examples, name), file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    private NpgenRun Run(string tool, string[] args, string? path = null)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = temp };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["XDG_CONFIG_HOME"] = xdg;

        // The legacy example's overlays share ../../base/intents.yaml, outside their kustomization:
        // the documented opt-in of whoever runs kustomize (kustomize-plugin/README.md).
        start.Environment["NPGEN_LOAD_RESTRICTOR"] = "LoadRestrictionsNone";
        if (path is not null)
        {
            start.Environment["PATH"] = path + ":" + Environment.GetEnvironmentVariable("PATH");
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
}
