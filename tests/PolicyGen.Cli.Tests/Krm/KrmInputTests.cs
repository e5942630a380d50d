namespace PolicyGen.Cli.Tests.Krm;

/// <summary>
/// What the KRM function takes as input: the NetworkIntent among the items when there is no
/// functionConfig, a generator config's paths relative to its own file (so kpt works from any
/// directory), never a file outside the package, and items passed through with their data.
/// </summary>
public sealed class KrmInputTests : IDisposable
{
    private readonly KrmTools tools = new();

    public void Dispose() => tools.Dispose();

    private static List<string> Generated(string package)
        => Directory.Exists(Path.Combine(package, "netpol"))
            ? [.. Directory.GetFiles(Path.Combine(package, "netpol"), "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(package, f).Replace('\\', '/')).Order(StringComparer.Ordinal)]
            : [];

    [Fact]
    public void Without_a_function_config_the_one_NetworkIntent_among_the_items_is_built()
    {
        var package = tools.CopyKptExample("no-config");
        var run = tools.Run(package, "kpt", ["fn", "eval", ".", "--exec", "npgen-plugin"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("netpol/store/web-ingress.yaml", Generated(package));
    }

    [Fact]
    public void Without_a_function_config_two_NetworkIntents_are_named_and_nothing_is_guessed()
    {
        var package = tools.CopyKptExample("two-intents");
        File.WriteAllText(Path.Combine(package, "other.yaml"), File.ReadAllText(Path.Combine(package, "intents.yaml")).Replace("name: store", "name: other", StringComparison.Ordinal));
        var run = tools.Run(package, "kpt", ["fn", "eval", ".", "--exec", "npgen-plugin"]);
        Assert.NotEqual(0, run.ExitCode);
        var output = run.StdErr + run.StdOut;
        Assert.Contains("NPG730", output);
        Assert.Contains("2 NetworkIntents among its items", output);
        Assert.Contains("NetworkIntent \"store\" in \"intents.yaml\"", output);
        Assert.Contains("NetworkIntent \"other\" in \"other.yaml\"", output);
        Assert.Empty(Generated(package));
    }

    [Fact]
    public void Without_a_function_config_and_without_an_intent_it_says_so()
    {
        var package = tools.CopyKptExample("no-intent");
        File.Delete(Path.Combine(package, "intents.yaml"));
        var run = tools.Run(package, "kpt", ["fn", "eval", ".", "--exec", "npgen-plugin"]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("NPG730", run.StdErr + run.StdOut);
        Assert.Contains("no NetworkIntent", run.StdErr + run.StdOut);
    }

    /// <summary>A package whose Kptfile runs a NetworkIntentGenerator kept in sub/, pointing at sub/intents.yaml as "intents.yaml".</summary>
    private string GeneratorPackage(string name, string intent = "intents.yaml")
    {
        var package = tools.CopyKptExample(name);
        var sub = Directory.CreateDirectory(Path.Combine(package, "sub")).FullName;
        File.Move(Path.Combine(package, "intents.yaml"), Path.Combine(sub, "intents.yaml"));
        File.WriteAllText(Path.Combine(sub, "netpol.yaml"),
            $"apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntentGenerator\nmetadata:\n  name: store-netpol\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\nspec:\n  intent: {intent}\n");
        File.WriteAllText(Path.Combine(package, "Kptfile"),
            "apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: store\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\npipeline:\n  mutators:\n  - exec: npgen-plugin\n    configPath: sub/netpol.yaml\n");
        return package;
    }

    [Fact]
    public void Kpt_fn_render_resolves_the_generators_paths_against_its_own_file_from_any_directory()
    {
        var expected = new List<string> { "netpol/store/api-egress.yaml", "netpol/store/api-ingress.yaml", "netpol/store/default-deny.yaml", "netpol/store/web-egress.yaml", "netpol/store/web-ingress.yaml" };
        var inside = GeneratorPackage("render-inside");
        var fromPackage = tools.Run(inside, "kpt", ["fn", "render", ".", "--allow-exec"]);
        Assert.True(fromPackage.ExitCode == 0, fromPackage.ToString());
        Assert.Equal(expected, Generated(inside));

        var outside = GeneratorPackage("render-outside");
        var elsewhere = Directory.CreateDirectory(Path.Combine(tools.Temp, "elsewhere")).FullName;
        var fromElsewhere = tools.Run(elsewhere, "kpt", ["fn", "render", outside, "--allow-exec"]);
        Assert.True(fromElsewhere.ExitCode == 0, fromElsewhere.ToString());
        Assert.Equal(expected, Generated(outside));
        Assert.Empty(Directory.GetFileSystemEntries(elsewhere));
        foreach (var file in expected)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(inside, file)), File.ReadAllText(Path.Combine(outside, file)));
        }
    }

    [Fact]
    public void A_generator_path_that_leaves_the_package_is_refused_from_any_directory()
    {
        File.WriteAllText(Path.Combine(tools.Temp, "secret.yaml"), "spec:\n  NPGEN-SECRET-41c9: 1\n");
        var package = GeneratorPackage("escape", "../../secret.yaml");
        foreach (var cwd in new[] { package, tools.Temp })
        {
            var run = tools.Run(cwd, "kpt", ["fn", "render", package, "--allow-exec"]);
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("NPG710", run.StdErr + run.StdOut);
            Assert.DoesNotContain("NPGEN-SECRET-41c9", run.StdErr + run.StdOut);
            Assert.Empty(Generated(package));
        }
    }

    [Fact]
    public void Run_from_outside_the_package_npgen_reads_the_package_not_the_working_directory()
    {
        // The working directory holds a file with the name the generator asks for; the package does not.
        var package = GeneratorPackage("not-in-package", "other.yaml");
        var elsewhere = Directory.CreateDirectory(Path.Combine(tools.Temp, "cwd", "sub")).FullName;
        File.Copy(Path.Combine(package, "sub", "intents.yaml"), Path.Combine(elsewhere, "other.yaml"));
        var run = tools.Run(Path.GetDirectoryName(elsewhere)!, "kpt", ["fn", "render", package, "--allow-exec"]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("NPG733", run.StdErr + run.StdOut);
        Assert.Contains("sub/other.yaml", run.StdErr + run.StdOut);
        Assert.Empty(Generated(package));
    }

    [Fact]
    public void Comments_of_passed_through_items_are_not_in_npgens_output_and_kpt_restores_them()
    {
        var package = tools.CopyKptExample("comments");
        var app = Path.Combine(package, "app.yaml");
        File.WriteAllText(app, "# owned by team store\n" + File.ReadAllText(app).Replace("image: nginx:1.27", "image: nginx:1.27 # pinned", StringComparison.Ordinal));
        var before = File.ReadAllBytes(app);
        var run = tools.Run(package, "kpt", ["fn", "render", ".", "--allow-exec"]);
        Assert.True(run.ExitCode == 0, run.ToString());

        // What kustomize-plugin/README.md says: npgen's ResourceList carries the items' data, not their comments ...
        var printed = File.ReadAllText(tools.Output);
        Assert.Contains("nginx:1.27", printed);
        Assert.DoesNotContain("# pinned", printed);
        Assert.Contains("comments of the items it passes through", File.ReadAllText(Path.Combine(Npgen.Repo, "kustomize-plugin", "README.md")));

        // ... and kpt puts them back: the file is byte for byte what it was.
        Assert.Equal(before, File.ReadAllBytes(app));
    }
}
