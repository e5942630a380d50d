using System.CommandLine;
using PolicyGen.Cli;
using PolicyGen.Cli.Commands;
using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Kustomize;

var root = new RootCommand("""
    npgen: zero-trust Kubernetes networking from a short intent file. Run 'npgen COMMAND --help'
    for a command's options and examples.
    """)
{
    BenchCommand.Create(),
    BuildCommand.Create(),
    BuildCommand.CreateVerify(),
    CheckCommand.Create(),
    DiffCommand.Create(),
    KrmCommand.Create(),
    LintCommand.Create(),
    EvalCommand.Create(),
    GraphCommand.Create(),
    ImportCommand.Create(),
    InitCommand.Create(),
    MatrixCommand.Create(),
    SchemaCommand.Create(),
    ValidateCommand.Create(),
    PublishCommand.Create(),
    ArgoCdCommand.Create(),
    CompletionCommand.Create(),
};

// kustomize runs a legacy exec plugin with the config file (and argsOneLiner/argsFromFile after it); npgen itself can serve as one.
// stdout is then (or for npgen krm) a stream another program parses: passed byte for byte. stderr is
// always escaped for the terminal, and so is stdout otherwise (Terminal).
var configRoot = Environment.GetEnvironmentVariable(LegacyExecPlugin.ConfigRootVariable);
var legacyPlugin = LegacyExecPlugin.IsInvocation(args, configRoot);
Terminal.Install(guardStandardOutput: !legacyPlugin && args is not ["krm", ..]);
try
{
    if (legacyPlugin)
    {
        var outcome = LegacyExecPlugin.Run(args[0], configRoot!, Environment.GetEnvironmentVariable(LoadRestrictor.Variable), Console.In, args[1..]);
        Console.Out.Write(outcome.StdOut);
        Console.Error.Write(outcome.StdErr);
        return outcome.ExitCode;
    }

    // The short overview (one line per command); each command's own --help has the details and examples.
    if (RootHelp.IsRequest(args))
    {
        Console.Out.Write(RootHelp.Text(root));
        return ExitCodes.Ok;
    }

    var parse = root.Parse(args);
    if (UnknownCommand.Report(parse))
    {
        return ExitCodes.BadInput;
    }

    if (parse.Errors.Count > 0)
    {
        // System.CommandLine would exit 1, which npgen reserves for failed checks: usage errors are 2.
        foreach (var error in parse.Errors)
        {
            Console.Error.WriteLine($"npgen: {error.Message}");
        }

        var commandPath = UnknownCommand.CommandPath(parse);
        Console.Error.WriteLine($"Run '{commandPath} --help' for usage and examples.");
        return ExitCodes.BadInput;
    }

    // System.CommandLine's own handler would print the stack trace and exit 1 (a failed check).
    return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    Console.Error.Write(InternalError.Format(e, "npgen", InternalError.DebugEnabled(Environment.GetEnvironmentVariable(InternalError.DebugVariable))));
    return ExitCodes.InternalError;
}
