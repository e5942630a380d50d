using System.Collections.Immutable;
using System.Diagnostics;
using PolicyGen.Check;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using PolicyGen.Validation;

namespace PolicyGen.Analysis;

/// <summary>
/// The front half of every command that reads manifests: read them (<see cref="Load"/>), put an
/// intent's policies in place of the ones it generated before, refuse policies the API server
/// would reject (their meaning is undefined), and build the evaluator (<see cref="Run"/>).
/// Nothing is printed: the result says what happened at each stage.
/// </summary>
public static class ClusterAnalysis
{
    /// <summary>Reads every input; the cluster is null when any of them has an error.</summary>
    public static ClusterLoad Load(IEnumerable<string> files, Func<TextReader> standardInput, IProgress<double>? progress = null)
        => Load(files, standardInput, null, progress);

    /// <param name="standardInputBytes">Standard input as bytes (read for -f - instead of <paramref name="standardInput"/>), or null.</param>
    public static ClusterLoad Load(IEnumerable<string> files, Func<TextReader> standardInput, Func<Stream>? standardInputBytes, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(standardInput);
        var (sources, missing) = ManifestFiles.Read(files, () => standardInputBytes is null
            ? new ManifestSource("<stdin>", standardInput().ReadToEnd())
            : ManifestSource.FromStandardInput(standardInputBytes()));
        var loaded = ManifestLoader.Load(sources, progress);
        var diagnostics = missing.AddRange(loaded.Diagnostics);
        return new ClusterLoad(diagnostics.HasErrors() ? null : loaded.Cluster, diagnostics);
    }

    /// <summary>Every error the API server would find in the cluster's policies, policy by policy.</summary>
    public static ImmutableArray<PolicyError> PolicyErrors(Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return [.. cluster.Policies.SelectMany(policy => PolicyValidator.Validate(policy)
            .Where(p => p.Severity == Severity.Error)
            .Select(p => new PolicyError(policy, p)))];
    }

    /// <summary>Load, the intent's policies (when asked), the policy check, the evaluator: stops at the first stage that fails.</summary>
    public static ClusterAnalysisResult Run(ClusterAnalysisRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var timings = ImmutableArray.CreateBuilder<StageTiming>();
        var clock = Stopwatch.StartNew();
        void Lap(string stage)
        {
            timings.Add(new StageTiming(stage, clock.Elapsed));
            clock.Restart();
        }

        request.Stage?.Invoke("reading manifests", 0.7);
        var load = Load(request.Files, request.StandardInput, request.StandardInputBytes, request.Progress);
        Lap("read manifests");
        var result = new ClusterAnalysisResult { Load = load };
        if (load.Cluster is not { } cluster)
        {
            return result with { Timings = timings.ToImmutable() };
        }

        if (request.Intent is { } intent)
        {
            var substituted = Substitute(intent, cluster, request.StandardInput, stdinTaken: request.Files.Contains("-"));
            Lap("build intent");
            result = result with { Intent = substituted };
            if (substituted.Substitution is null)
            {
                return result with { Timings = timings.ToImmutable() };
            }

            cluster = substituted.Substitution.Cluster;
        }

        request.Stage?.Invoke("checking policies", 0.05);
        var errors = PolicyErrors(cluster);
        if (!errors.IsEmpty)
        {
            return result with { PolicyErrors = errors, Timings = timings.ToImmutable() };
        }

        var clusterProblems = ClusterPolicyValidator.Validate(cluster);
        result = result with { ClusterPolicyProblems = clusterProblems };
        if (clusterProblems.HasErrors())
        {
            return result with { Timings = timings.ToImmutable() };
        }

        Lap("check policies");
        request.Stage?.Invoke("indexing identities and selectors", 0.1);
        var evaluator = PolicyEvaluator.Create(cluster, request.Options);
        timings.AddRange(evaluator.Timings);
        return result with { Evaluator = evaluator, Timings = timings.ToImmutable() };
    }

    /// <summary>Builds and proves the intent (as npgen build does) and puts its policies into the cluster.</summary>
    public static IntentSubstitution Substitute(AnalysisIntent intent, Cluster cluster, Func<TextReader> standardInput, bool stdinTaken)
    {
        ArgumentNullException.ThrowIfNull(intent);
        if (intent.Argument == IntentResolver.Stdin && stdinTaken)
        {
            return new IntentSubstitution(StdinReadTwice(), null, null);
        }

        var (input, error) = IntentResolver.Resolve(intent.Argument, intent.Environment, intent.Usage, standardInput);
        if (input is null)
        {
            return new IntentSubstitution(error, null, null);
        }

        var build = BuildPipeline.Run(input, new BuildOptions { Environment = intent.Environment, Overlays = intent.Overlays });
        if (!build.Succeeded || build.Intent is null)
        {
            return new IntentSubstitution(null, build, null);
        }

        var substitution = IntentPolicySubstitution.Apply(cluster, build.Intent.Name, [.. build.Policies.Select(p => p.Parsed)]);
        return new IntentSubstitution(null, build, substitution);
    }

    /// <summary><see cref="DiagnosticCodes.StdinReadTwice"/>: the intent (-) and the manifests (-f -) cannot both come from standard input.</summary>
    public static Diagnostic StdinReadTwice() => Diagnostic.Error(DiagnosticCodes.StdinReadTwice,
        "the intent (-) and the manifests (-f -) cannot both come from stdin", null,
        "give one of them as a file: save the manifests first (kubectl get ... -o yaml > cluster.yaml) or pass the intent file's path");
}
