using System.CommandLine;
using PolicyGen.Analysis;
using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Model;

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

    /// <summary>Reads every -f input (<see cref="ClusterAnalysis.Load"/>). Prints problems to stderr; returns null when the input is unusable.</summary>
    public static Cluster? LoadCluster(ParseResult result, Option<string[]> files, CommandConsole console, IProgress<double>? progress = null)
    {
        var load = ClusterAnalysis.Load(result.GetValue(files) ?? [], () => console.In, console.OpenStandardInput, progress);
        return Print(load, console);
    }

    private static Cluster? Print(ClusterLoad load, CommandConsole console)
    {
        foreach (var diagnostic in load.Diagnostics)
        {
            console.Error.WriteLine(diagnostic);
        }

        if (load.Cluster is null)
        {
            var errors = load.ErrorCount;
            console.Error.WriteLine($"npgen: {errors} error{(errors == 1 ? "" : "s")} in the input; nothing was evaluated.");
        }

        return load.Cluster;
    }

    /// <summary>
    /// The manifests, the --intent's policies in place, the policies checked (eval and matrix refuse
    /// policies the API server would reject: their meaning is undefined), the evaluator: the core's
    /// <see cref="ClusterAnalysis.Run"/>, printed stage by stage. Null when a stage failed.
    /// </summary>
    public static PolicyEvaluator? LoadEvaluator(CommandConsole console, ParseResult result, Option<string[]> files, Option<string> selfTraffic, Option<string> hostNetwork,
        StageTimings timings, ProgressReporter? progress = null, IntentFlags? intent = null)
    {
        var analysis = ClusterAnalysis.Run(new ClusterAnalysisRequest
        {
            Files = [.. result.GetValue(files) ?? []],
            StandardInput = () => console.In,
            StandardInputBytes = console.OpenStandardInput,
            Options = ReadEvaluationOptions(result, selfTraffic, hostNetwork),
            Intent = intent?.Read(result),
            Stage = progress is null ? null : progress.Stage,
            Progress = progress,
        });
        timings.Add(analysis.Timings);
        if (Print(analysis.Load, console) is null)
        {
            return null;
        }

        if (analysis.Intent is { } substituted && !intent!.Print(substituted, console))
        {
            return null;
        }

        foreach (var error in analysis.PolicyErrors)
        {
            console.Error.WriteLine(error);
        }

        if (!analysis.PolicyErrors.IsEmpty)
        {
            console.Error.WriteLine("npgen: the API server would reject these NetworkPolicies, so they cannot be evaluated; fix them (npgen validate lists every problem).");
        }

        foreach (var problem in analysis.ClusterPolicyProblems)
        {
            console.Error.WriteLine(string.Join("\n", problem.ToString().Split('\n').Select(TextEscaping.ForLine)));
        }

        if (analysis.ClusterPolicyProblems.HasErrors())
        {
            console.Error.WriteLine("npgen: the API server would reject these cluster policies, so they cannot be evaluated; fix them (npgen validate lists every problem).");
        }

        return analysis.Evaluator;
    }
}
