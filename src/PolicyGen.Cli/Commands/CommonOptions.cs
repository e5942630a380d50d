using System.CommandLine;
using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Validation;

namespace PolicyGen.Cli.Commands;

/// <summary>Flags shared by the commands that read manifests, and the loading they drive.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Files() => new("--filename", "-f")
    {
        Description = "Manifest file, directory (read recursively for *.yaml, *.yml, *.json) or - for stdin. Repeatable.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        Required = true,
    };

    public static Option<string> SelfTraffic() => new Option<string>("--self-traffic")
    {
        Description = "How a pod's connection to itself is judged: allow (a pod cannot block itself) or evaluate (like any pair).",
        DefaultValueFactory = _ => "allow",
    }.AcceptOnlyFromAmong("allow", "evaluate");

    public static Option<string> HostNetwork() => new Option<string>("--host-network")
    {
        Description = "hostNetwork pods as node traffic (node: unselectable, matched only by ipBlock) or as ordinary pods (pod).",
        DefaultValueFactory = _ => "node",
    }.AcceptOnlyFromAmong("node", "pod");

    public static EvaluationOptions ReadEvaluationOptions(ParseResult result, Option<string> selfTraffic, Option<string> hostNetwork)
        => new()
        {
            SelfTraffic = result.GetValue(selfTraffic) == "evaluate" ? SelfTrafficMode.Evaluate : SelfTrafficMode.Allow,
            HostNetwork = result.GetValue(hostNetwork) == "pod" ? HostNetworkMode.Pod : HostNetworkMode.Node,
        };

    /// <summary>Reads every -f input. Prints problems to stderr; returns null when the input is unusable.</summary>
    public static Cluster? LoadCluster(ParseResult result, Option<string[]> files, IProgress<double>? progress = null)
    {
        var (sources, missing) = ManifestFiles.Read(result.GetValue(files) ?? [], () => Console.In.ReadToEnd());
        var loaded = ManifestLoader.Load(sources, progress);
        var diagnostics = missing.AddRange(loaded.Diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            Console.Error.WriteLine(diagnostic);
        }

        if (diagnostics.Any(d => d.Severity == Severity.Error))
        {
            var errors = diagnostics.Count(d => d.Severity == Severity.Error);
            Console.Error.WriteLine($"npgen: {errors} error{(errors == 1 ? "" : "s")} in the input; nothing was evaluated.");
            return null;
        }

        return loaded.Cluster;
    }

    /// <summary>
    /// eval and matrix refuse policies the API server would reject: their meaning is undefined.
    /// Returns false (after printing the problems) when there are errors.
    /// </summary>
    public static bool CheckPoliciesValid(Cluster cluster)
    {
        var ok = true;
        foreach (var policy in cluster.Policies)
        {
            foreach (var problem in PolicyValidator.Validate(policy).Where(p => p.Severity == Severity.Error))
            {
                Console.Error.WriteLine(problem.Format(policy));
                ok = false;
            }
        }

        if (!ok)
        {
            Console.Error.WriteLine("npgen: the API server would reject these NetworkPolicies, so they cannot be evaluated; fix them (npgen validate lists every problem).");
        }

        return ClusterPolicyChecks.Report(cluster) && ok;
    }

    public static PolicyEvaluator? LoadEvaluator(ParseResult result, Option<string[]> files, Option<string> selfTraffic, Option<string> hostNetwork,
        StageTimings timings, ProgressReporter? progress = null, IntentFlags? intent = null)
    {
        progress?.Stage("reading manifests", 0.7);
        var cluster = LoadCluster(result, files, progress);
        timings.Lap("read manifests");
        if (cluster is not null && intent is not null && result.GetValue(intent.Intent) is { } intentPath)
        {
            cluster = intent.Substitute(result, intentPath, cluster, stdinTaken: (result.GetValue(files) ?? []).Contains("-"));
            timings.Lap("build intent");
        }

        progress?.Stage("checking policies", 0.05);
        if (cluster is null || !CheckPoliciesValid(cluster))
        {
            return null;
        }

        timings.Lap("check policies");
        progress?.Stage("indexing identities and selectors", 0.1);
        var evaluator = PolicyEvaluator.Create(cluster, ReadEvaluationOptions(result, selfTraffic, hostNetwork));
        timings.Add(evaluator.Timings);
        return evaluator;
    }
}
