using System.CommandLine;
using PolicyGen.Analysis;
using PolicyGen.Diagnostics;

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
    public bool Validate(ParseResult result, CommandConsole console)
    {
        if (IntentArgument.ReportEnvironmentWithoutName(result, Environment, result.GetValue(Intent), command, console, $"{command} -f MANIFESTS --intent"))
        {
            return false;
        }

        if (result.GetValue(Intent) is null && (result.GetValue(Environment) is not null || (result.GetValue(Overlays) ?? []).Length > 0))
        {
            console.Error.WriteLine($"npgen {command}: --env and --overlay go with --intent INTENT");
            return false;
        }

        return true;
    }

    /// <summary>What the analysis needs to substitute the intent's policies; null without --intent.</summary>
    public AnalysisIntent? Read(ParseResult result)
        => result.GetValue(Intent) is { } argument
            ? new AnalysisIntent(argument, result.GetValue(Environment), [.. result.GetValue(Overlays) ?? []], $"{command} -f MANIFESTS --intent")
            : null;

    /// <summary>Prints what became of --intent (its build's diagnostics, then which policies it replaced); false when it did not build.</summary>
    public bool Print(IntentSubstitution substituted, CommandConsole console)
    {
        if (substituted.ReadError is { } error)
        {
            IntentArgument.PrintReadError(error, command, console);
            return false;
        }

        var build = substituted.Build!;
        foreach (var diagnostic in build.Diagnostics)
        {
            console.Error.WriteLine(diagnostic);
        }

        if (substituted.Substitution is not { } substitution)
        {
            var errors = build.Diagnostics.Count(d => d.Severity == Severity.Error);
            console.Error.WriteLine($"npgen {command}: the intent does not build ({errors} error{(errors == 1 ? "" : "s")}); nothing was evaluated.");
            return false;
        }

        console.Error.WriteLine(
            $"npgen {command}: evaluating under the {substitution.Generated} policies intent \"{build.Intent!.Name}\" generates"
            + (substitution.Replaced.IsEmpty ? "" : $", in place of {substitution.Replaced.Length} from the manifests ({string.Join(", ", substitution.Replaced)})")
            + (substitution.Kept.IsEmpty ? "" : $"; {substitution.Kept.Length} other {(substitution.Kept.Length == 1 ? "policy stays" : "policies stay")}"));
        return true;
    }
}
