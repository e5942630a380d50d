using System.CommandLine;
using System.CommandLine.Parsing;
using PolicyGen.Analysis;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;

namespace PolicyGen.Cli.Commands;

/// <summary>
/// The intent argument as every command takes it (a file, a directory holding intents.yaml, or -
/// for stdin), and <c>--env</c> given without a name: the CLI side of <see cref="IntentResolver"/>.
/// </summary>
internal static class IntentArgument
{
    public const string Description = "The intent file (kind: NetworkIntent), a directory holding intents.yaml, or - to read it from stdin.";

    /// <summary>The --env option of every command that reads an intent: a name, or nothing to list the environments.</summary>
    public static Option<string?> EnvironmentOption(string description) => new("--env", "-e")
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrOne, // --env alone lists the environments (NPG149) instead of a parser error
    };

    /// <summary>
    /// Reads the intent; prints the problem and returns null when it cannot be used. <paramref name="usage"/>
    /// is the command line up to the intent, for hints (<c>matrix -f manifests/ --intent</c>); default the command.
    /// </summary>
    public static IntentInput? Resolve(string argument, string? environment, string command, CommandConsole console, bool stdinTaken = false, string? usage = null)
    {
        if (argument == IntentResolver.Stdin && stdinTaken)
        {
            PrintReadError(ClusterAnalysis.StdinReadTwice(), command, console);
            return null;
        }

        var (input, error) = IntentResolver.Resolve(argument, environment, usage ?? command, () => console.In);
        if (error is not null)
        {
            PrintReadError(error, command, console);
        }

        return input;
    }

    /// <summary>Why the intent could not be read; for anything but stdin asked for twice, that nothing was done.</summary>
    public static void PrintReadError(Diagnostic error, string command, CommandConsole console)
    {
        console.Error.WriteLine(error);
        if (error.Code != DiagnosticCodes.StdinReadTwice)
        {
            console.Error.WriteLine($"npgen {command}: the intent could not be read; nothing was done.");
        }
    }

    /// <summary>
    /// <c>--env</c> given without a name: prints the environments the intent has (NPG149) and returns
    /// true; false when --env has a name or is absent.
    /// </summary>
    public static bool ReportEnvironmentWithoutName(ParseResult result, Option<string?> env, string? intentArgument, string command, CommandConsole console, string? usage = null)
    {
        usage ??= command;
        if (result.GetResult(env) is not OptionResult { Tokens.Count: 0, Implicit: false })
        {
            return false;
        }

        var path = intentArgument is null ? null : IntentResolver.PathOf(intentArgument);
        var names = path is null || !File.Exists(path) ? [] : IntentResolver.EnvironmentsOf(path);
        var shown = TextEscaping.ForLine(intentArgument ?? "INTENT");
        string message, hint;
        if (path is null)
        {
            message = intentArgument is null ? "--env needs a name" : "--env needs a name, and an intent read from stdin has no environments/ beside it";
            hint = $"name the intent file: npgen {usage} path/to/intents.yaml --env NAME";
        }
        else if (names.IsEmpty)
        {
            message = $"--env needs a name, and {TextEscaping.ForLine(path)} has no environments (no environments/*.yaml beside it)";
            hint = "leave out --env, or create environments/NAME.yaml next to the intent";
        }
        else
        {
            message = $"--env needs a name; the environments of {TextEscaping.ForLine(path)}: {TextEscaping.ForLine(string.Join(", ", names))}";
            hint = $"npgen {usage} {shown} --env {TextEscaping.ForLine(names[0])}";
        }

        console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.EnvironmentMissingValue, message, null, hint));
        return true;
    }
}
