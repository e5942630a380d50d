namespace PolicyGen.Cli.Tests.Krm;

/// <summary>
/// The legacy exec plugin under the real <c>kubectl kustomize --enable-alpha-plugins</c>: the extra
/// arguments kustomize passes from argsOneLiner / argsFromFile, and errors that name the user's
/// generator config rather than kustomize's temporary copy (kust-plugin-config-NNN).
/// </summary>
public sealed class LegacyPluginConfigTests : IDisposable
{
    private static readonly string Base = Path.Combine(Npgen.Repo, "kustomize-plugin", "examples", "legacy", "base");
    private readonly KrmTools tools = new();

    public void Dispose() => tools.Dispose();

    /// <summary>A kustomization holding the legacy example's intent and environments, with <paramref name="config"/> as netpol.yaml.</summary>
    private string Kustomization(string name, string config, string kustomization = "generators:\n- netpol.yaml\n")
    {
        var kz = Directory.CreateDirectory(Path.Combine(tools.Temp, name)).FullName;
        File.Copy(Path.Combine(Base, "intents.yaml"), Path.Combine(kz, "intents.yaml"));
        Directory.CreateDirectory(Path.Combine(kz, "environments"));
        foreach (var env in Directory.GetFiles(Path.Combine(Base, "environments")))
        {
            File.Copy(env, Path.Combine(kz, "environments", Path.GetFileName(env)));
        }

        File.WriteAllText(Path.Combine(kz, "kustomization.yaml"), kustomization);
        File.WriteAllText(Path.Combine(kz, "netpol.yaml"), config);
        return kz;
    }

    private NpgenRun Kustomize(string kz) => tools.Run(tools.Temp, "kubectl", ["kustomize", "--enable-alpha-plugins", kz]);

    private const string Header = "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntentGenerator\nmetadata:\n  name: store-netpol\n";

    [Theory]
    [InlineData("argsOneLiner: --env prod\n", null)]
    [InlineData("argsOneLiner: '--env=prod'\n", null)]
    [InlineData("argsFromFile: args.txt\n", "--env\n  prod\n\n")]
    public void The_arguments_kustomize_passes_set_the_environment_like_spec_environment(string arguments, string? argsFile)
    {
        var kz = Kustomization("args-" + Math.Abs(arguments.GetHashCode(StringComparison.Ordinal)), Header + arguments + "spec:\n  intent: intents.yaml\n");
        if (argsFile is not null)
        {
            File.WriteAllText(Path.Combine(kz, "args.txt"), argsFile);
        }

        var withArguments = Kustomize(kz);
        Assert.True(withArguments.ExitCode == 0, withArguments.ToString());

        File.WriteAllText(Path.Combine(kz, "netpol.yaml"), Header + "spec:\n  intent: intents.yaml\n  environment: prod\n");
        var withSpec = Kustomize(kz);
        Assert.True(withSpec.ExitCode == 0, withSpec.ToString());
        Assert.Equal(withSpec.StdOut, withArguments.StdOut);
        Assert.Contains("198.51.100.0/24", withArguments.StdOut); // prod's payments network: the environment was applied
    }

    [Theory]
    [InlineData("argsOneLiner: --verbose\n", "\"--verbose\" is not an argument npgen takes")]
    [InlineData("argsOneLiner: --env\n", "\"--env\" needs a value")]
    [InlineData("argsOneLiner: --env dev\n", "contradicts spec.environment \"prod\"")]
    public void Arguments_npgen_does_not_take_are_refused_at_the_users_line(string arguments, string message)
    {
        var kz = Kustomization("bad-args-" + Math.Abs(arguments.GetHashCode(StringComparison.Ordinal)), Header + arguments + "spec:\n  intent: intents.yaml\n  environment: prod\n");
        var run = Kustomize(kz);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{Path.Combine(kz, "netpol.yaml")}:5:1: error NPG731: argsOneLiner/argsFromFile: ", run.StdErr);
        Assert.Contains(message, run.StdErr);
        Assert.DoesNotContain("kind: NetworkPolicy", run.StdOut);
    }

    [Fact]
    public void A_generator_config_error_names_the_users_file_and_line_not_kustomizes_copy()
    {
        // Comments and a blank line: kustomize's copy has neither (and sorts the keys), so its lines differ.
        var kz = Kustomization("config-error", "# NetworkPolicies for store\n" + Header + "\nspec:\n  intent: intents.yaml\n  enviroment: prod\n");
        var run = Kustomize(kz);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{Path.Combine(kz, "netpol.yaml")}:9:3: error NPG700: spec: unknown key \"enviroment\"", run.StdErr);
        Assert.DoesNotMatch(@"kust-plugin-config-\d+:\d+:\d+", run.StdErr);
    }

    [Fact]
    public void A_validator_config_error_names_the_users_file_too()
    {
        var kz = Kustomization("validator-error", Header + "spec:\n  intent: intents.yaml\n", "generators:\n- netpol.yaml\nvalidators:\n- check.yaml\n");
        File.WriteAllText(Path.Combine(kz, "check.yaml"), "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntentValidator\nmetadata:\n  name: store-check\nspec:\n  intent: intents.yaml\n  templtes: t\n");
        var run = Kustomize(kz);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{Path.Combine(kz, "check.yaml")}:7:3: error NPG720", run.StdErr);
    }

    [Fact]
    public void Where_kustomize_hides_the_file_the_error_names_the_generator_and_field()
    {
        // The generator config comes through a directory (a kustomization of its own): kustomize
        // passes only the copy, and npgen does not guess among files it was not pointed at.
        var kz = Kustomization("hidden", "unused: true\n", "generators:\n- gen\n");
        var gen = Directory.CreateDirectory(Path.Combine(kz, "gen")).FullName;
        File.WriteAllText(Path.Combine(gen, "kustomization.yaml"), "resources:\n- netpol.yaml\n");
        File.WriteAllText(Path.Combine(gen, "netpol.yaml"), Header + "spec:\n  intent: intents.yaml\n  enviroment: prod\n");
        var run = Kustomize(kz);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("kustomize's temporary copy of NetworkIntentGenerator \"store-netpol\"", run.StdErr);
        Assert.Contains(", spec.enviroment: error NPG700: spec: unknown key \"enviroment\"", run.StdErr);
        Assert.DoesNotMatch(@"kust-plugin-config-\d+:\d+:\d+", run.StdErr);
    }
}
