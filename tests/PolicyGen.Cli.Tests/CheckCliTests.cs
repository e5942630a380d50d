using System.Text.Json;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// <c>npgen check</c> through the built CLI: the four mistakes of examples/check-mistakes with both
/// places, the exit codes, -o json, --strict, --env; every shipped example that has manifests passes;
/// and the expected output printed in the example's README is what the command prints.
/// </summary>
public sealed class CheckCliTests
{
    private const string MistakesIntent = "examples/check-mistakes/intents.yaml";
    private const string MistakesManifests = "examples/check-mistakes/manifests/";

    [Fact]
    public void Mistakes_example_exits_1_and_names_the_intent_and_the_manifest_place_of_each_mistake()
    {
        var run = Npgen.Run("check", MistakesIntent, "-f", MistakesManifests);
        Assert.True(run.ExitCode == 1, run.ToString());

        // 1: the selector typo, with the real label.
        Assert.Contains("examples/check-mistakes/intents.yaml:15:5: error NPG800: app \"frontend\": selector app=fronted selects no workload or pod in namespace storefront\n"
                        + "  manifest: examples/check-mistakes/manifests/workloads.yaml:1:1\n"
                        + "  hint: did you mean app=frontend? storefront/frontend (Deployment) has app=frontend\n", run.StdOut, StringComparison.Ordinal);

        // 2: the CronJob no app selects (a warning).
        Assert.Contains("examples/check-mistakes/intents.yaml:10:5: warning NPG801: namespace storefront is managed, but no app selects 2 of its workloads or pods: "
                        + "storefront/frontend (Deployment), storefront/nightly-report (CronJob)", run.StdOut, StringComparison.Ordinal);

        // 3: the port.
        Assert.Contains("examples/check-mistakes/intents.yaml:25:5: error NPG802: app \"api\": port http (8000/TCP) is not a container port of storefront/api (Deployment)",
            run.StdOut, StringComparison.Ordinal);
        Assert.Contains("  manifest: examples/check-mistakes/manifests/workloads.yaml:20:1\n", run.StdOut, StringComparison.Ordinal);

        // 4: the namespace labels, and the peer that relies on them.
        Assert.Contains("examples/check-mistakes/intents.yaml:11:5: error NPG803: namespace monitoring:", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("examples/check-mistakes/intents.yaml:30:9: error NPG804: app \"api\": ingress[0]: {namespaceLabels: purpose=monitoring} does not match namespace monitoring",
            run.StdOut, StringComparison.Ordinal);
        Assert.Contains("  manifest: examples/check-mistakes/manifests/namespaces.yaml:6:1\n", run.StdOut, StringComparison.Ordinal);

        Assert.Contains("npgen check: 4 errors, 1 warning: the intent does not describe these manifests", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_output_holds_every_finding_with_both_locations()
    {
        var run = Npgen.Run("check", MistakesIntent, "-f", MistakesManifests, "-o", "json");
        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.StdOut);
        var root = json.RootElement;
        Assert.False(root.GetProperty("passed").GetBoolean());
        Assert.Equal(4, root.GetProperty("errors").GetInt32());
        Assert.Equal(1, root.GetProperty("warnings").GetInt32());
        var typo = root.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "NPG800");
        Assert.Equal("error", typo.GetProperty("severity").GetString());
        Assert.Equal(15, typo.GetProperty("intent").GetProperty("line").GetInt32());
        Assert.Equal(5, typo.GetProperty("intent").GetProperty("column").GetInt32());
        Assert.Equal("examples/check-mistakes/manifests/workloads.yaml", typo.GetProperty("manifest").GetProperty("file").GetString());
        Assert.Equal("storefront/frontend (Deployment)", typo.GetProperty("objects")[0].GetString());
    }

    [Fact]
    public void The_expected_output_in_the_examples_readme_is_what_check_prints()
    {
        var readme = File.ReadAllText(Path.Combine(Npgen.Repo, "examples", "check-mistakes", "README.md"));
        const string start = "<!-- npgen check output -->\n```\n";
        var from = readme.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, "the README has no expected-output block");
        var expected = readme[(from + start.Length)..readme.IndexOf("```", from + start.Length, StringComparison.Ordinal)];

        var run = Npgen.Run("check", MistakesIntent, "-f", MistakesManifests);
        Assert.Equal(expected, run.StdOut + run.StdErr);
    }

    [Fact]
    public void Strict_makes_unselected_pods_an_error()
    {
        var run = Npgen.Run("check", MistakesIntent, "-f", MistakesManifests, "--strict");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("error NPG801: namespace storefront is managed", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("npgen check: 5 errors:", run.StdErr, StringComparison.Ordinal);
    }

    /// <summary>Every shipped example that has an intent and manifests/ (only shop today; examples/cluster has hand-written policies and no intent).</summary>
    public static TheoryData<string, string> ExamplesWithManifests()
    {
        var data = new TheoryData<string, string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(Npgen.Repo, "examples")).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (name == "check-mistakes" || !File.Exists(Path.Combine(dir, "intents.yaml")) || !Directory.Exists(Path.Combine(dir, "manifests")))
            {
                continue;
            }

            data.Add(name, "");
            var environments = Path.Combine(dir, "environments");
            foreach (var env in Directory.Exists(environments) ? Directory.GetFiles(environments, "*.yaml").Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
            {
                data.Add(name, Path.GetFileNameWithoutExtension(env));
            }
        }

        return data;
    }

    [Fact]
    public void Shop_is_among_the_examples_with_manifests()
        => Assert.Contains(ExamplesWithManifests(), row => (string)row[0] == "shop");

    [Theory]
    [MemberData(nameof(ExamplesWithManifests))]
    public void Shipped_example_passes_check_strictly_with_no_findings(string example, string environment)
    {
        string[] args = ["check", $"examples/{example}/intents.yaml", "-f", $"examples/{example}/manifests/", "--strict"];
        var run = Npgen.Run(environment.Length == 0 ? args : [.. args, "--env", environment]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.StdOut);
        Assert.Contains("npgen check: intents.yaml matches the manifests: 4 apps select 4 of 7 workloads and pods\n", run.StdErr, StringComparison.Ordinal);
    }

    /// <summary>
    /// The kustomize and kpt examples ship their app's workloads next to the intent (app.yaml), and the
    /// GitOps example's intent describes the shop: no errors. Their manifests hold no kube-system or
    /// ingress-nginx pods, so the DNS and controller checks are warnings that say what to pass.
    /// </summary>
    [Theory]
    [InlineData("kustomize-plugin/examples/legacy/base/intents.yaml", "kustomize-plugin/examples/legacy/base/app.yaml", "", 2)]
    [InlineData("kustomize-plugin/examples/legacy/base/intents.yaml", "kustomize-plugin/examples/legacy/base/app.yaml", "dev", 2)]
    [InlineData("kustomize-plugin/examples/legacy/base/intents.yaml", "kustomize-plugin/examples/legacy/base/app.yaml", "prod", 2)]
    [InlineData("kustomize-plugin/examples/kpt/store/intents.yaml", "kustomize-plugin/examples/kpt/store/app.yaml", "", 2)]
    [InlineData("examples/gitops/app-repo/deploy/intents.yaml", "examples/shop/manifests/", "prod", 0)]
    public void Other_shipped_intents_with_workloads_pass_check(string intent, string manifests, string environment, int warnings)
    {
        string[] args = ["check", intent, "-f", manifests, "-o", "json"];
        var run = Npgen.Run(environment.Length == 0 ? args : [.. args, "--env", environment]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StdOut);
        Assert.Equal(0, json.RootElement.GetProperty("errors").GetInt32());
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(warnings, findings.Count);
        Assert.All(findings, f => Assert.Equal("NPG807", f.GetProperty("code").GetString()));
    }

    [Fact]
    public void Check_reads_a_kubectl_get_stream_from_stdin()
    {
        var manifests = string.Join("---\n", Directory.GetFiles(Path.Combine(Npgen.Repo, "examples", "shop", "manifests")).Order(StringComparer.Ordinal).Select(File.ReadAllText));
        var run = Npgen.RunWithInput(manifests, "check", "examples/shop/intents.yaml", "--env", "prod", "-f", "-");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public void An_intent_with_errors_exits_2_and_checks_nothing()
    {
        var run = Npgen.Run("check", "examples/shop/intents.yaml", "--env", "nope", "-f", "examples/shop/manifests/");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("error NPG312", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("npgen check: 1 error in the intent; nothing was checked.", run.StdErr, StringComparison.Ordinal);
        Assert.Equal("", run.StdOut);
    }

    [Fact]
    public void Missing_manifests_exit_2()
    {
        var run = Npgen.Run("check", "examples/shop/intents.yaml", "-f", "examples/shop/no-such-dir/");
        Assert.True(run.ExitCode == 2, run.ToString());
    }

    [Fact]
    public void Help_lists_the_rules_and_an_example()
    {
        var run = Npgen.Run("check", "--help");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("npgen check examples/shop/intents.yaml -f examples/shop/manifests/", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("--strict", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("--env", run.StdOut, StringComparison.Ordinal);
    }
}
