using System.Collections.Immutable;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using PolicyGen.Review.Lint;
using PolicyGen.Tests.Shared;

namespace PolicyGen.Core.Tests.Review;

/// <summary>
/// npgen lint on what npgen itself writes: every example's built output (each environment), with the
/// example's manifests where it has some, gets no warning and no error. check-mistakes is the
/// exception by design: its intent is wrong about its manifests (see its README), and lint must say so.
/// </summary>
public sealed class LintExampleOutputTests
{
    private static string Examples => Path.Combine(ConformanceCase.RepositoryRoot(), "examples");

    public static TheoryData<string, string> ExampleBuilds() => ImportRoundTripTests.ExampleBuilds();

    [Theory]
    [MemberData(nameof(ExampleBuilds))]
    public void Lint_finds_no_warning_or_error_in_an_examples_own_output(string example, string environment)
    {
        var findings = LintOutput(example, environment);
        if (example == "check-mistakes")
        {
            // Its selector typo (app=fronted) is what npgen check reports as NPG800; lint sees the same policy select nothing.
            Assert.Contains(findings, f => f.Code == LintCodes.PodSelectorMatchesNothing && f.Message.Contains("app=fronted", StringComparison.Ordinal));
            return;
        }

        var problems = findings.Where(f => f.Severity != LintSeverity.Info).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// Most examples have no manifests, so the checks that need pods would be skipped: here they run on
    /// the proof's witness cluster (a pod for every app and every selector the policies name).
    /// </summary>
    [Theory]
    [MemberData(nameof(ExampleBuilds))]
    public void Lint_finds_no_warning_or_error_in_an_examples_output_on_its_witness_cluster(string example, string environment)
    {
        var build = BuildPipeline.Run(Path.Combine(Examples, example, "intents.yaml"), new BuildOptions { Environment = environment.Length == 0 ? null : environment });
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        var policies = build.Policies.Select(p => p.Parsed).ToImmutableArray();
        var world = PolicyGen.Verify.WitnessWorld.Build(build.Intent!, PolicyGen.Intent.AppConnectivity.Of(build.Intent!).Apps, policies);
        var findings = Linter.Lint(new Cluster { Namespaces = world.Namespaces, Endpoints = world.Endpoints, Policies = policies }).Findings;
        Assert.DoesNotContain(findings, f => f.Code == LintCodes.NotChecked && f.Message.StartsWith("no pods", StringComparison.Ordinal));
        var problems = findings.Where(f => f.Severity != LintSeverity.Info).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static ImmutableArray<LintFinding> LintOutput(string example, string environment)
    {
        var build = BuildPipeline.Run(Path.Combine(Examples, example, "intents.yaml"), new BuildOptions { Environment = environment.Length == 0 ? null : environment });
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        var directory = Path.Combine(Examples, example, "manifests");
        var manifests = new Cluster();
        if (Directory.Exists(directory))
        {
            var loaded = ManifestLoader.Load(Directory.GetFiles(directory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(ManifestSource.FromFile));
            manifests = loaded.Cluster;
        }

        // The policies as a reader of the written files sees them: through the manifest loader, which adds the namespaces they name.
        var text = string.Join("---\n", build.Policies.Select(p => p.Yaml));
        var policies = ManifestLoader.LoadText("output.yaml", text).Cluster.Policies;
        var cluster = manifests with
        {
            Policies = [.. manifests.Policies.Where(p => !policies.Any(q => q.Id == p.Id)).Concat(policies)],
            Namespaces = [.. manifests.Namespaces.Concat(policies.Select(p => p.Namespace).Distinct().Where(n => !manifests.Namespaces.Any(m => m.Name == n)).Select(n => Namespace.Create(n, [], null)))],
        };
        return Linter.Lint(cluster).Findings;
    }
}
