using System.Text.RegularExpressions;

namespace PolicyGen.Cli.Tests.CommandLine;

/// <summary>npgen --help stays short; every command's own --help teaches by example; mistyped commands get the closest one.</summary>
public sealed partial class HelpTests
{
    [Fact]
    public void Root_help_is_one_screen_with_one_line_per_command_and_a_pointer()
    {
        // A real process: npgen starts and answers --help (and no arguments) on its own.
        var run = NpgenProcess.Run("--help");
        Assert.Equal(0, run.ExitCode);
        var lines = run.StdOut.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length <= 40, $"{lines.Length} lines:\n{run.StdOut}");
        Assert.Contains("npgen COMMAND --help", run.StdOut, StringComparison.Ordinal);
        Assert.All(Commands(run.StdOut), c => Assert.Single(lines, l => Regex.IsMatch(l, $@"^  {c}\s+\S")));
        Assert.Equal(run.StdOut, NpgenProcess.Run().StdOut);

        // A command without a written one-line summary shows a cut sentence: every command gets one.
        Assert.DoesNotContain(lines, l => l.EndsWith("...", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_command_and_subcommand_help_has_examples_of_itself()
    {
        var commands = Commands(Npgen.Run("--help").StdOut).ToList();
        Assert.Contains("build", commands);
        Assert.Contains("matrix", commands);
        foreach (var command in commands.Concat(["bench gen", "argocd app"]))
        {
            var run = Npgen.Run([.. command.Split(' '), "--help"]);
            Assert.True(run.ExitCode == 0, $"{command}: {run}");
            Assert.Contains("Examples:", run.StdOut, StringComparison.Ordinal);
            Assert.Matches(new Regex($@"Examples:\n(.*\n)*\s+[^\n]*npgen {Regex.Escape(command)}\b"), run.StdOut);
        }
    }

    [Theory]
    [InlineData(new[] { "biuld", "x.yaml" }, "did you mean 'build'?")]
    [InlineData(new[] { "matirx" }, "did you mean 'matrix'?")]
    [InlineData(new[] { "bench", "gne" }, "did you mean 'gen'?")]
    public void A_mistyped_command_gets_one_message_with_the_closest(string[] args, string hint)
    {
        var run = Npgen.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(hint, run.StdErr, StringComparison.Ordinal);
        Assert.Contains("error NPG144", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrecognized", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Required command", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, run.StdErr.TrimEnd('\n').Split('\n').Length); // the error and its hint
    }

    [Fact]
    public void A_word_far_from_every_command_lists_them()
    {
        var run = Npgen.Run("kubectl");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("the commands are ", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("build", run.StdErr, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Commands(string rootHelp)
        => CommandLine().Matches(rootHelp.Split("Commands:")[1].Split("\n\n")[0] + "\n").Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"^  ([a-z]+)\s", RegexOptions.Multiline)]
    private static partial Regex CommandLine();
}
