using System.CommandLine;
using PolicyGen.Check;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using PolicyGen.Pipeline;

namespace PolicyGen.Cli.Commands;

/// <summary>
/// <c>--intent INTENT [--env E] [--overlay F]</c> of eval and matrix: evaluate the manifests' workloads
/// under the policies the intent generates, before anything is committed or applied.
/// </summary>
internal sealed class IntentFlags(string command)
{
    public Option<string?> Intent { get; } = new("--intent")
    {
        Description = "Evaluate under the policies this intent (a file, a directory's intents.yaml, or -) generates: they replace the policies it generated before (found by their npgen labels); other policies stay.",
    };

    public Option<string?> Environment { get; } = IntentArgument.EnvironmentOption("With --intent: merge environments/ENV.yaml over the intent; --env alone lists them.");

    public Option<string[]> Overlays { get; } = new("--overlay") { Description = "With --intent: overlay file to merge after --env; repeatable." };

    public IEnumerable<Option> All => [Intent, Environment, Overlays];

    /// <summary>False (after a message) when --env or --overlay is given without --intent.</summary>
    public bool Validate(ParseResult result)
    {
        if (IntentArgument.ReportEnvironmentWithoutName(result, Environment, result.GetValue(Intent), command, $"{command} -f MANIFESTS --intent"))
        {
            return false;
        }

        if (result.GetValue(Intent) is null && (result.GetValue(Environment) is not null || (result.GetValue(Overlays) ?? []).Length > 0))
        {
            Console.Error.WriteLine($"npgen {command}: --env and --overlay go with --intent INTENT");
            return false;
        }

        return true;
    }

    /// <summary>Builds and proves the intent (as npgen build does) and puts its policies into the cluster; null when it does not build.</summary>
    public Cluster? Substitute(ParseResult result, string intentPath, Cluster cluster, bool stdinTaken)
    {
        var input = IntentArgument.Resolve(intentPath, result.GetValue(Environment), command, stdinTaken, $"{command} -f MANIFESTS --intent");
        if (input is null)
        {
            return null;
        }

        var build = BuildPipeline.Run(input, new BuildOptions
        {
            Environment = result.GetValue(Environment),
            Overlays = result.GetValue(Overlays) ?? [],
        });
        foreach (var diagnostic in build.Diagnostics)
        {
            Console.Error.WriteLine(diagnostic);
        }

        if (!build.Succeeded || build.Intent is null)
        {
            var errors = build.Diagnostics.Count(d => d.Severity == Severity.Error);
            Console.Error.WriteLine($"npgen {command}: the intent does not build ({errors} error{(errors == 1 ? "" : "s")}); nothing was evaluated.");
            return null;
        }

        var substitution = IntentPolicySubstitution.Apply(cluster, build.Intent.Name, [.. build.Policies.Select(p => p.Parsed)]);
        Console.Error.WriteLine(
            $"npgen {command}: evaluating under the {substitution.Generated} policies intent \"{build.Intent.Name}\" generates"
            + (substitution.Replaced.IsEmpty ? "" : $", in place of {substitution.Replaced.Length} from the manifests ({string.Join(", ", substitution.Replaced)})")
            + (substitution.Kept.IsEmpty ? "" : $"; {substitution.Kept.Length} other {(substitution.Kept.Length == 1 ? "policy stays" : "policies stay")}"));
        return substitution.Cluster;
    }
}
