using YamlDotNet.RepresentationModel;

namespace PolicyGen.Cli.Tests.ArgoCd;

/// <summary>
/// The Config Management Plugin: the parameters it announces are the ones its generate step reads,
/// and the generate step (kustomize-plugin/argocd/npgen-cmp-generate, run with bash) refuses every
/// value that is not a known environment or an overlay file inside the source directory, before
/// npgen runs.
/// </summary>
public sealed class CmpPluginTests : IDisposable
{
    private const string RecordingNpgen = "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/npgen-ran\"\necho 'kind: NetworkPolicy'\n";
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-cmp-").FullName;
    private readonly string source;

    public CmpPluginTests()
    {
        source = Path.Combine(temp, "repo", "deploy");
        Directory.CreateDirectory(Path.Combine(source, "environments"));
        Directory.CreateDirectory(Path.Combine(source, "overlays"));
        Directory.CreateDirectory(Path.Combine(temp, "repo", "secrets"));
        File.WriteAllText(Path.Combine(source, "intents.yaml"), "kind: NetworkIntent\n");
        File.WriteAllText(Path.Combine(source, "environments", "prod.yaml"), "kind: NetworkIntentOverlay\n");
        File.WriteAllText(Path.Combine(source, "environments", "dev.yaml"), "kind: NetworkIntentOverlay\n");
        File.WriteAllText(Path.Combine(source, "overlays", "extra.yaml"), "kind: NetworkIntentOverlay\n");
        File.WriteAllText(Path.Combine(temp, "repo", "secrets", "x.yaml"), "kind: NetworkIntentOverlay\n");
        File.CreateSymbolicLink(Path.Combine(source, "overlays", "link.yaml"), Path.Combine(temp, "repo", "secrets", "x.yaml"));
        File.CreateSymbolicLink(Path.Combine(source, "environments", "staging.yaml"), Path.Combine(temp, "repo", "secrets", "x.yaml"));
    }

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Theory]
    [InlineData("PARAM_ENVIRONMENT", "../../x", "is not a DNS label")]
    [InlineData("PARAM_ENVIRONMENT", "../secrets/x", "is not a DNS label")]
    [InlineData("PARAM_ENVIRONMENT", "$(id)", "environment '??id?' is not a DNS label")]
    [InlineData("PARAM_ENVIRONMENT", "`id`", "is not a DNS label")]
    [InlineData("PARAM_ENVIRONMENT", "prod\nPARAM_X=1", "is not a DNS label")]
    [InlineData("PARAM_ENVIRONMENT", "prod\n", "environment 'prod?' is not a DNS label")]
    [InlineData("PARAM_ENVIRONMENT", "", "the environment parameter is empty; name one of: dev prod")]
    [InlineData("PARAM_ENVIRONMENT", "Prod", "is not a DNS label")]
    [InlineData("PARAM_ENVIRONMENT", "-prod", "is not a DNS label")]
    [InlineData("PARAM_ENVIRONMENT", "qa", "environment 'qa' has no file environments/qa.yaml; environments here: dev prod")]
    [InlineData("PARAM_ENVIRONMENT", "staging", "environment 'staging' has no file environments/staging.yaml")]
    [InlineData("PARAM_ENVIRONMENT", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "is longer than 63 characters")]
    [InlineData("ARGOCD_ENV_NPGEN_ENV", "../../x", "is not a DNS label")]
    [InlineData("PARAM_OVERLAYS_0", "../../secrets/x.yaml", "overlays[0] '../../secrets/x.yaml' leaves the Application's source directory")]
    [InlineData("PARAM_OVERLAYS_0", "overlays/../../secrets/x.yaml", "leaves the Application's source directory")]
    [InlineData("PARAM_OVERLAYS_0", "/etc/passwd", "is absolute")]
    [InlineData("PARAM_OVERLAYS_0", "overlays/link.yaml", "is not a file in the Application's source directory")]
    [InlineData("PARAM_OVERLAYS_0", "overlays/missing.yaml", "is not a file in the Application's source directory")]
    [InlineData("PARAM_OVERLAYS_0", "--templates=/etc", "starts with '-'")]
    [InlineData("PARAM_OVERLAYS_0", "$(id).yaml", "has characters other than")]
    [InlineData("PARAM_OVERLAYS_0", "", "overlays[0] is empty")]
    [InlineData("PARAM_ENVIRONEMNT", "prod", "unknown parameter(s): PARAM_ENVIRONEMNT (this plugin takes: environment, overlays)")]
    public void A_hostile_or_wrong_value_stops_the_sync_before_npgen_runs(string variable, string value, string message)
    {
        var run = ArgoCdRouteTests.CmpGenerate(source, new() { [variable] = value }, RecordingNpgen);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("npgen-cmp-generate: ", run.StdErr);
        Assert.Contains(message, run.StdErr);
        Assert.Equal("", run.StdOut);
        Assert.Single(run.StdErr.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(Path.Combine(temp, "repo", "npgen-ran")) || Directory.GetFiles(temp, "npgen-ran", SearchOption.AllDirectories).Length > 0, "npgen ran");
    }

    [Fact]
    public void A_missing_intents_file_and_disagreeing_environment_sources_are_refused()
    {
        var disagree = ArgoCdRouteTests.CmpGenerate(source, new() { ["PARAM_ENVIRONMENT"] = "dev", ["ARGOCD_ENV_NPGEN_ENV"] = "prod" }, RecordingNpgen);
        Assert.Equal(2, disagree.ExitCode);
        Assert.Contains("disagree; set only one", disagree.StdErr);

        File.Delete(Path.Combine(source, "intents.yaml"));
        var missing = ArgoCdRouteTests.CmpGenerate(source, new() { ["PARAM_ENVIRONMENT"] = "prod" }, RecordingNpgen);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no intents.yaml in the Application's source directory", missing.StdErr);
    }

    [Theory]
    [InlineData(new[] { "PARAM_ENVIRONMENT=prod" }, "build intents.yaml --env prod")]
    [InlineData(new[] { "ARGOCD_ENV_NPGEN_ENV=dev" }, "build intents.yaml --env dev")]
    [InlineData(new[] { "PARAM_ENVIRONMENT=prod", "ARGOCD_ENV_NPGEN_ENV=prod" }, "build intents.yaml --env prod")]
    [InlineData(new string[0], "build intents.yaml")]
    [InlineData(new[] { "PARAM_ENVIRONMENT=prod", "PARAM_OVERLAYS_0=overlays/extra.yaml", "PARAM_OVERLAYS_1=./overlays/extra.yaml" }, "build intents.yaml --env prod --overlay overlays/extra.yaml --overlay ./overlays/extra.yaml")]
    public void Good_values_reach_npgen_build_as_arguments(string[] variables, string expected)
    {
        var run = ArgoCdRouteTests.CmpGenerate(source, variables.ToDictionary(v => v[..v.IndexOf('=')], v => v[(v.IndexOf('=') + 1)..]), RecordingNpgen);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("kind: NetworkPolicy\n", run.StdOut);
        var ran = Directory.GetFiles(temp, "npgen-ran", SearchOption.AllDirectories).Single();
        Assert.Equal(expected, File.ReadAllText(ran).TrimEnd('\n').Replace('\n', ' '));
    }

    [Fact]
    public void The_plugin_announces_exactly_the_parameters_its_generate_step_reads()
    {
        var configMap = ArgoCdManifestSchemaTests.Load(File.ReadAllText(Path.Combine(Npgen.Repo, "kustomize-plugin", "argocd", "cmp-plugin.yaml"))).Single();
        var plugin = ArgoCdManifestSchemaTests.Load(((YamlScalarNode)((YamlMappingNode)configMap["data"])["plugin.yaml"]).Value!).Single();
        var spec = (YamlMappingNode)plugin["spec"];
        var announced = ((YamlSequenceNode)((YamlMappingNode)spec["parameters"])["static"]).Children.Cast<YamlMappingNode>()
            .ToDictionary(p => ((YamlScalarNode)p["name"]).Value!, p => ((YamlScalarNode)p["collectionType"]).Value!);
        Assert.Equal(new Dictionary<string, string> { ["environment"] = "string", ["overlays"] = "array" }, announced);

        // The generate step is the script the image installs (build-image.sh), and the script reads these names.
        var generate = ((YamlSequenceNode)((YamlMappingNode)spec["generate"])["command"]).Children.Cast<YamlScalarNode>().Select(c => c.Value).ToList();
        Assert.Equal(["/usr/local/bin/npgen-cmp-generate"], generate);
        Assert.Contains("kustomize-plugin/argocd/npgen-cmp-generate\" \"$root/usr/local/bin/npgen-cmp-generate\"", File.ReadAllText(Path.Combine(Npgen.Repo, "kustomize-plugin", "build-image.sh")));
        var script = File.ReadAllText(Path.Combine(Npgen.Repo, "kustomize-plugin", "argocd", "npgen-cmp-generate"));
        Assert.Contains("PARAM_ENVIRONMENT", script);
        Assert.Contains("PARAM_OVERLAYS_", script);
        Assert.Equal("./intents.yaml", ((YamlScalarNode)((YamlMappingNode)spec["discover"])["fileName"]).Value);
    }
}
