using System.CommandLine;
using PolicyGen.Cli.Commands;
using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Kustomize;

namespace PolicyGen.Cli;

/// <summary>
/// npgen from its arguments to its exit code, on a <see cref="CommandConsole"/>: what Program.cs
/// runs on the process's console, and what the CLI tests run in process on captured text.
/// </summary>
internal static class NpgenApp
{
    public static RootCommand CreateRoot(CommandConsole console) => new("""
        npgen: zero-trust Kubernetes networking from a short intent file. Run 'npgen COMMAND --help'
        for a command's options and examples.
        """)
    {
        BenchCommand.Create(console),
        BuildCommand.Create(console),
        VerifyCommand.Create(console),
        CheckCommand.Create(console),
        DiffCommand.Create(console),
        KrmCommand.Create(console),
        LintCommand.Create(console),
        EvalCommand.Create(console),
        GraphCommand.Create(console),
        ImportCommand.Create(console),
        InitCommand.Create(console),
        MatrixCommand.Create(console),
        SchemaCommand.Create(console),
        ValidateCommand.Create(console),
        PublishCommand.Create(console),
        ArgoCdCommand.Create(console),
        CompletionCommand.Create(console),
    };

    public static int Run(string[] args, CommandConsole process)
    {
        // kustomize runs a legacy exec plugin with the config file (and argsOneLiner/argsFromFile after it); npgen itself can serve as one.
        // stdout is then (or for npgen krm) a stream another program parses: passed byte for byte. stderr is
        // always escaped for the terminal, and so is stdout otherwise (Terminal).
        var configRoot = process.Variable(LegacyExecPlugin.ConfigRootVariable);
        var legacyPlugin = LegacyExecPlugin.IsInvocation(args, configRoot);
        var console = Terminal.Guard(process, guardStandardOutput: !legacyPlugin && args is not ["krm", ..]);
        try
        {
            if (legacyPlugin)
            {
                var outcome = LegacyExecPlugin.Run(args[0], configRoot!, console.Variable(LoadRestrictor.Variable), console.In, args[1..]);
                console.Out.Write(outcome.StdOut);
                console.Error.Write(outcome.StdErr);
                return outcome.ExitCode;
            }

            var root = CreateRoot(console);

            // The short overview (one line per command); each command's own --help has the details and examples.
            if (RootHelp.IsRequest(args))
            {
                console.Out.Write(RootHelp.Text(root));
                return ExitCodes.Ok;
            }

            var parse = root.Parse(args);
            if (UnknownCommand.Report(parse, console))
            {
                return ExitCodes.BadInput;
            }

            if (parse.Errors.Count > 0)
            {
                // System.CommandLine would exit 1, which npgen reserves for failed checks: usage errors are 2.
                foreach (var error in parse.Errors)
                {
                    console.Error.WriteLine($"npgen: {error.Message}");
                }

                var commandPath = UnknownCommand.CommandPath(parse);
                console.Error.WriteLine($"Run '{commandPath} --help' for usage and examples.");
                return ExitCodes.BadInput;
            }

            // System.CommandLine's own handler would print the stack trace and exit 1 (a failed check).
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = console.Out, Error = console.Error });
        }
        catch (Exception e)
        {
            console.Error.Write(InternalError.Format(e, "npgen", InternalError.DebugEnabled(console.Variable(InternalError.DebugVariable))));
            return ExitCodes.InternalError;
        }
        finally
        {
            console.Out.Flush();
            console.Error.Flush();
        }
    }
}
