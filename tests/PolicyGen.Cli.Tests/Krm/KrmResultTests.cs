using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests.Krm;

/// <summary>
/// Results as the KRM Functions Specification and kyaml's framework.Result define them
/// (krm-results-spec.txt), checked field by field on what the plugin printed and on what real kpt
/// made of it (its --results-dir file), with a broken intent.
/// </summary>
public sealed class KrmResultTests : IDisposable
{
    private readonly KrmTools tools = new();

    public void Dispose() => tools.Dispose();

    /// <summary>The kpt example with calls: [{fqdn: ...}] (NPG308) and a blank line, which kpt's copy of the intent drops.</summary>
    private (string Package, string Intents, int Line, int Column) BrokenPackage(string name)
    {
        var package = tools.CopyKptExample(name);
        var intents = Path.Combine(package, "intents.yaml");
        var text = File.ReadAllText(intents).Replace("calls: [api]", "calls: [{fqdn: api.example.com}]", StringComparison.Ordinal)
            .Replace("\nspec:\n", "\n\nspec:\n", StringComparison.Ordinal);
        File.WriteAllText(intents, text);
        var lines = text.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("fqdn:", StringComparison.Ordinal));
        return (package, intents, line + 1, lines[line].IndexOf("fqdn", StringComparison.Ordinal) + 1);
    }

    [Fact]
    public void Kpt_fn_eval_results_follow_the_spec_and_point_at_the_users_line()
    {
        var (package, intents, line, column) = BrokenPackage("eval");
        var resultsDir = Path.Combine(tools.Temp, "results-eval");
        var run = tools.Run(package, "kpt", ["fn", "eval", ".", "--exec", "npgen-plugin", "--fn-config", "intents.yaml", "--results-dir", resultsDir]);
        Assert.NotEqual(0, run.ExitCode);

        var printed = KrmTools.Results(File.ReadAllText(tools.Output));
        var fromKpt = KrmTools.Results(File.ReadAllText(Path.Combine(resultsDir, "results.yaml")));
        foreach (var results in new[] { printed, fromKpt })
        {
            var error = Assert.Single(results, r => KrmTools.Scalar(r, "severity") == "error");
            Assert.Empty(KrmResultRules.Load().Check(error));
            Assert.StartsWith("NPG308: ", KrmTools.Scalar(error, "message"));
            Assert.Equal("npgen.dev/v1alpha1", KrmTools.Scalar(error, "resourceRef.apiVersion"));
            Assert.Equal("NetworkIntent", KrmTools.Scalar(error, "resourceRef.kind"));
            Assert.Equal("store", KrmTools.Scalar(error, "resourceRef.name"));
            Assert.Equal("spec.apps.web.calls[0].fqdn", KrmTools.Scalar(error, "field.path"));
            Assert.Equal("intents.yaml", KrmTools.Scalar(error, "file.path"));
            Assert.Equal("NPG308", KrmTools.Scalar(error, "tags.code"));

            // The line of the user's file (with its blank line), not of kpt's re-serialized copy.
            Assert.Equal(line.ToString(System.Globalization.CultureInfo.InvariantCulture), KrmTools.Scalar(error, "tags.line"));
            Assert.Equal(column.ToString(System.Globalization.CultureInfo.InvariantCulture), KrmTools.Scalar(error, "tags.column"));
        }

        // npgen writes file.index even when it is 0 (kpt's results file leaves a 0 out).
        Assert.Equal("0", KrmTools.Scalar(printed.Single(r => KrmTools.Scalar(r, "severity") == "error"), "file.index"));
        Assert.Contains($"intents.yaml:{line}:{column}: error NPG308", run.StdErr + run.StdOut);
        Assert.DoesNotContain(tools.Temp, File.ReadAllText(tools.Output)); // no absolute path anywhere in the results
        Assert.True(File.Exists(intents));
    }

    [Fact]
    public void Kpt_fn_render_from_another_directory_still_names_the_file_and_field_but_no_line_it_cannot_know()
    {
        var (package, _, _, _) = BrokenPackage("render");
        var elsewhere = Directory.CreateDirectory(Path.Combine(tools.Temp, "elsewhere")).FullName;
        var resultsDir = Path.Combine(tools.Temp, "results-render");
        var run = tools.Run(elsewhere, "kpt", ["fn", "render", Path.GetRelativePath(elsewhere, package), "--allow-exec", "--results-dir", resultsDir]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("[FAIL] \"npgen-plugin", run.StdErr + run.StdOut);

        foreach (var results in new[] { KrmTools.Results(File.ReadAllText(tools.Output)), KrmTools.Results(File.ReadAllText(Path.Combine(resultsDir, "results.yaml"))) })
        {
            var error = Assert.Single(results, r => KrmTools.Scalar(r, "severity") == "error");
            Assert.Empty(KrmResultRules.Load().Check(error));
            Assert.Equal("intents.yaml", KrmTools.Scalar(error, "file.path"));
            Assert.Equal("spec.apps.web.calls[0].fqdn", KrmTools.Scalar(error, "field.path"));

            // kpt passes a copy (blank lines gone) and nothing that locates the package: no line rather than a wrong one.
            Assert.Null(KrmTools.Scalar(error, "tags.line"));
        }

        Assert.Contains("intents.yaml (document 0), spec.apps.web.calls[0].fqdn: error NPG308: app ", run.StdErr + run.StdOut);
        Assert.False(Directory.Exists(Path.Combine(package, "netpol")));
    }

    [Fact]
    public void A_result_for_a_generator_config_error_names_the_config_file_and_its_field()
    {
        var package = tools.CopyKptExample("generator-config");
        File.WriteAllText(Path.Combine(package, "netpol.yaml"),
            "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntentGenerator\nmetadata:\n  name: store-netpol\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\n\nspec:\n  intent: intents.yaml\n  enviroment: prod\n");
        var run = tools.Run(package, "kpt", ["fn", "eval", ".", "--exec", "npgen-plugin", "--fn-config", "netpol.yaml"]);
        Assert.NotEqual(0, run.ExitCode);
        var error = Assert.Single(KrmTools.Results(File.ReadAllText(tools.Output)), r => KrmTools.Scalar(r, "severity") == "error");
        Assert.Empty(KrmResultRules.Load().Check(error));
        Assert.Equal("NetworkIntentGenerator", KrmTools.Scalar(error, "resourceRef.kind"));
        Assert.Equal("netpol.yaml", KrmTools.Scalar(error, "file.path"));
        Assert.Equal("spec.enviroment", KrmTools.Scalar(error, "field.path"));
        Assert.Equal("10", KrmTools.Scalar(error, "tags.line"));
        Assert.Equal("3", KrmTools.Scalar(error, "tags.column"));
    }

    [Fact]
    public void Under_kustomize_the_function_config_is_found_among_the_kustomizations_files()
    {
        // What kustomize build --enable-exec sends a generator (kustomize v5.5.0 api/internal/plugins/fnplugin/fnplugin.go
        // and kyaml/fn/runtime/exec/exec.go): items hold only the config, annotated local-config; the working
        // directory is the kustomization. Assumed here: no path annotation and sorted keys, the worst case.
        // No standalone kustomize can be installed here, so the test hands npgen that input itself.
        var kz = Directory.CreateDirectory(Path.Combine(tools.Temp, "kz")).FullName;
        File.Copy(Path.Combine(Npgen.Repo, "kustomize-plugin", "examples", "kpt", "store", "intents.yaml"), Path.Combine(kz, "intents.yaml"));
        File.WriteAllText(Path.Combine(kz, "kustomization.yaml"), "generators:\n- netpol.yaml\n");
        File.WriteAllText(Path.Combine(kz, "netpol.yaml"),
            "# the store's policies\napiVersion: npgen.dev/v1alpha1\nkind: NetworkIntentGenerator\nmetadata:\n  name: store-netpol\n\nspec:\n  intent: intents.yaml\n  templtes: t\n");
        const string Copy = "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntentGenerator\nmetadata:\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\n  name: store-netpol\nspec:\n  intent: intents.yaml\n  templtes: t\n";
        var input = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- " + Copy.Replace("\n", "\n  ", StringComparison.Ordinal).TrimEnd() + "\nfunctionConfig:\n  "
            + Copy.Replace("\n", "\n  ", StringComparison.Ordinal).TrimEnd() + "\n";
        var run = Npgen.RunIn(kz, null, input, "krm");
        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(KrmTools.Results(run.StdOut), r => KrmTools.Scalar(r, "severity") == "error");
        Assert.Empty(KrmResultRules.Load().Check(error));
        Assert.Equal("netpol.yaml", KrmTools.Scalar(error, "file.path"));
        Assert.Equal("spec.templtes", KrmTools.Scalar(error, "field.path"));
        Assert.Equal("9", KrmTools.Scalar(error, "tags.line"));
        Assert.Contains("netpol.yaml:9:3: error NPG700", run.StdErr);
    }

    [Fact]
    public void The_rules_file_catches_what_the_spec_forbids()
    {
        // The checker itself: each rule rejects the mistake it is there for.
        var rules = KrmResultRules.Load();
        YamlMappingNode Parse(string yaml)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return (YamlMappingNode)stream.Documents[0].RootNode;
        }

        Assert.Empty(rules.Check(Parse("{message: m, severity: error, file: {path: a/b.yaml, index: 1}, field: {path: spec.x}, tags: {line: '3'}}")));
        Assert.Contains("tags.line is not a string", rules.Check(Parse("{message: m, severity: error, tags: {line: 3}}")));
        Assert.Contains(rules.Check(Parse("{message: m, severity: error, file: {path: /tmp/x.yaml}}")), p => p.StartsWith("file.path", StringComparison.Ordinal));
        Assert.Contains(rules.Check(Parse("{message: m, severity: error, file: {path: functionConfig}}")), p => p.StartsWith("file.path", StringComparison.Ordinal));
        Assert.Contains("field.path is missing", rules.Check(Parse("{message: m, severity: error, field: {}}")));
        Assert.Contains("severity is not one of error,warning,info", rules.Check(Parse("{message: m, severity: fatal}")));
    }
}
