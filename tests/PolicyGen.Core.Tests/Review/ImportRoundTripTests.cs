using System.Collections.Immutable;
using PolicyGen.Intent;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using PolicyGen.Review.Import;
using PolicyGen.Tests.Shared;
using PolicyGen.Verify;
using PolicyGen.Workloads;
using Xunit.Abstractions;

namespace PolicyGen.Core.Tests.Review;

/// <summary>
/// npgen import round trips: policies → import → build → the same connectivity. For every example
/// (each environment): its built output is imported completely, the imported intent builds, and the
/// rebuilt policies allow exactly what the originals allow, on the witness cluster of
/// ConnectivityDiff and on the example's own manifests. For generated workloads (bench gen --preset
/// S and the fuzz profile): every import builds, and every complete import is connectivity-equal on
/// the workload's cluster.
/// </summary>
public sealed class ImportRoundTripTests(ITestOutputHelper output)
{
    private static string Examples => Path.Combine(ConformanceCase.RepositoryRoot(), "examples");

    public static TheoryData<string, string> ExampleBuilds()
    {
        var data = new TheoryData<string, string>();
        foreach (var directory in Directory.GetDirectories(Examples).Where(d => File.Exists(Path.Combine(d, "intents.yaml"))).Order(StringComparer.Ordinal))
        {
            var example = Path.GetFileName(directory);
            var environments = Directory.Exists(Path.Combine(directory, "environments"))
                ? Directory.GetFiles(Path.Combine(directory, "environments"), "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList()
                : [];
            if (environments.Count == 0)
            {
                data.Add(example, "");
            }

            foreach (var environment in environments)
            {
                data.Add(example, environment);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleBuilds))]
    public void Every_example_output_imports_completely_and_rebuilds_to_the_same_connectivity(string example, string environment)
    {
        var intentPath = Path.Combine(Examples, example, "intents.yaml");
        var original = BuildPipeline.Run(intentPath, new BuildOptions { Environment = environment.Length == 0 ? null : environment });
        Assert.True(original.Succeeded, string.Join("\n", original.Diagnostics));
        var before = original.Policies.Select(p => p.Parsed).ToImmutableArray();

        var manifests = ManifestsOf(example);
        var imported = PolicyImporter.Import(manifests with { Policies = before });
        Assert.True(imported.Notes.IsEmpty, string.Join("\n", imported.Notes) + "\n" + imported.Intent);

        var (rebuilt, after) = Build(imported.Intent);
        Assert.True(rebuilt.Succeeded, string.Join("\n", rebuilt.Diagnostics) + "\n" + imported.Intent);

        var changes = ConnectivityDiff.Compare(original.Intent!, AppConnectivity.Of(original.Intent!).Apps, before, after);
        Assert.True(changes.IsEmpty, string.Join("\n", changes.All) + "\n" + imported.Intent);
        Assert.Empty(PolicySetComparison.Differences(manifests, before, after));
    }

    [Fact]
    public void Generated_workload_preset_S_seed_1_round_trips()
    {
        var workload = WorkloadGenerator.Generate(WorkloadParameters.FromPreset("S")!, 1);
        var outcome = RoundTrip(workload);
        output.WriteLine($"bench gen --preset S --seed 1: {outcome}");
        Assert.True(outcome.Builds, outcome.ToString());
        Assert.True(!outcome.Complete || outcome.Differences.Count == 0, outcome.ToString());
    }

    [Fact]
    public void Fuzz_workloads_round_trip_when_the_import_is_complete_and_always_build()
    {
        var outcomes = new List<(ulong Seed, Outcome Outcome)>();
        for (ulong seed = 1; seed <= 40; seed++)
        {
            outcomes.Add((seed, RoundTrip(WorkloadGenerator.Generate(WorkloadParameters.FromPreset("fuzz")!, seed))));
        }

        var complete = outcomes.Count(o => o.Outcome.Complete);
        var equal = outcomes.Count(o => o.Outcome.Builds && o.Outcome.Differences.Count == 0);
        output.WriteLine($"fuzz seeds 1-40: {complete} complete imports, {outcomes.Count - complete} partial; {outcomes.Count(o => o.Outcome.Builds)} build; {equal} connectivity-equal (partial ones included)");
        foreach (var (seed, outcome) in outcomes.Where(o => !o.Outcome.Complete || o.Outcome.Differences.Count > 0))
        {
            output.WriteLine($"  seed {seed}: {outcome}");
        }

        Assert.All(outcomes, o => Assert.True(o.Outcome.Builds, $"seed {o.Seed}: {o.Outcome}"));
        Assert.All(outcomes.Where(o => o.Outcome.Complete), o => Assert.True(o.Outcome.Differences.Count == 0, $"seed {o.Seed}: {o.Outcome}"));
        Assert.True(complete > 0, "no fuzz seed imported completely: the check above proves nothing");
    }

    private sealed record Outcome(bool Complete, bool Builds, ImmutableArray<string> Notes, List<string> Differences, string Intent)
    {
        public override string ToString()
            => $"{(Complete ? "complete" : $"partial ({Notes.Length} notes)")}, {(Builds ? "builds" : "DOES NOT BUILD")}, {Differences.Count} differing cells"
                + (Notes.IsEmpty ? "" : "\n    " + string.Join("\n    ", Notes.Take(5)))
                + (Differences.Count == 0 ? "" : "\n    " + string.Join("\n    ", Differences))
                + (Builds ? "" : "\n" + Intent);
    }

    private static Outcome RoundTrip(Workload workload)
    {
        var imported = PolicyImporter.Import(workload.Cluster);
        var (rebuilt, after) = Build(imported.Intent);
        var notes = imported.Notes.Select(n => n.ToString()).ToImmutableArray();
        if (!rebuilt.Succeeded)
        {
            return new Outcome(!imported.Partial, false, [.. notes, .. rebuilt.Diagnostics.Select(d => d.ToString())], [], imported.Intent);
        }

        return new Outcome(!imported.Partial, true, notes, PolicySetComparison.Differences(workload.Cluster, workload.Cluster.Policies, after), imported.Intent);
    }

    private static (BuildResult Result, ImmutableArray<NetworkPolicy> Policies) Build(string intentText)
    {
        var (intent, diagnostics) = IntentLoader.LoadText("imported.yaml", intentText);
        if (intent is null)
        {
            return (new BuildResult(null, [], null, diagnostics), []);
        }

        var result = BuildPipeline.Run(intent, new BuildOptions(), diagnostics);
        return (result, [.. result.Policies.Select(p => p.Parsed)]);
    }

    /// <summary>The example's manifests/ (without any policies in them), or no objects.</summary>
    private static Cluster ManifestsOf(string example)
    {
        var directory = Path.Combine(Examples, example, "manifests");
        if (!Directory.Exists(directory))
        {
            return new Cluster();
        }

        var sources = Directory.GetFiles(directory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(ManifestSource.FromFile);
        var loaded = ManifestLoader.Load(sources);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        return PolicySetComparison.WithoutPolicies(loaded.Cluster);
    }
}
