using System.CommandLine;
using PolicyGen.Diagnostics;

namespace PolicyGen.Cli;

/// <summary>
/// A mistyped command (<c>npgen biuld</c>, <c>npgen bench gne</c>): one message with the closest
/// command (NPG144), in place of System.CommandLine's three ("Required command was not provided",
/// "Unrecognized command or argument" for the word and again for each argument after it).
/// </summary>
internal static class UnknownCommand
{
    /// <summary>Prints the message and returns true when the parse stopped at a word that is no command of a command group.</summary>
    public static bool Report(ParseResult parse, CommandConsole console)
    {
        var group = parse.CommandResult.Command;
        if (group.Subcommands.Count == 0 || parse.UnmatchedTokens.Count == 0 || parse.UnmatchedTokens[0] is not { } typed || typed.StartsWith('-'))
        {
            return false;
        }

        var path = CommandPath(parse);
        var names = group.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        var closest = DidYouMean.Closest(typed, names);
        console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.UnknownCommand,
            $"unknown command \"{TextEscaping.ForLine(typed)}\" for {path}", null,
            closest is not null
                ? $"did you mean '{closest}'? ({path} {closest} --help shows how to use it)"
                : $"the commands are {string.Join(", ", names.Order(StringComparer.Ordinal))}; run '{path} --help'"));
        return true;
    }

    /// <summary>The command path as typed (npgen bench): the parse walked up to the root, whose own name is the executable's.</summary>
    public static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names.Prepend("npgen"));
    }
}
