using System.CommandLine;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;

namespace PolicyGen.Cli.Commands;

/// <summary>The --env and --overlay flags of the commands that read an intent next to manifests (check, eval, matrix), as build has them.</summary>
internal static class IntentOptions
{
    public static Option<string?> Environment() => IntentArgument.EnvironmentOption("Merge environments/ENV.yaml (next to the intent file) over the intent; --env alone lists them.");

    public static Option<string[]> Overlays() => new("--overlay")
    {
        Description = "Overlay file to merge after --env; repeatable, applied in order.",
    };

    /// <summary>Loads and binds the intent; prints its diagnostics to stderr and returns null when it has errors.</summary>
    public static NetworkIntent? Load(ParseResult result, Argument<string> intent, Option<string?> env, Option<string[]> overlays, string command, CommandConsole console, bool stdinTaken)
        => Load(result.GetValue(intent)!, result.GetValue(env), result.GetValue(overlays) ?? [], command, console, stdinTaken);

    public static NetworkIntent? Load(string path, string? environment, IReadOnlyList<string> overlays, string command, CommandConsole console, bool stdinTaken)
    {
        var input = IntentArgument.Resolve(path, environment, command, console, stdinTaken);
        if (input is null)
        {
            return null;
        }

        var (loaded, diagnostics) = IntentLoader.Load(input, environment, overlays);
        foreach (var diagnostic in diagnostics)
        {
            console.Error.WriteLine(diagnostic);
        }

        if (loaded is null || diagnostics.HasErrors())
        {
            var errors = diagnostics.Count(d => d.Severity == Severity.Error);
            console.Error.WriteLine($"npgen {command}: {errors} error{(errors == 1 ? "" : "s")} in the intent; nothing was checked.");
            return null;
        }

        return loaded;
    }
}
