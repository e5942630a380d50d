using System.CommandLine;
using PolicyGen.Cli;
using PolicyGen.Cli.Commands;
using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Kustomize;

var root = new RootCommand("""
    npgen: zero-trust Kubernetes networking from a short intent file. It compiles the intent
    into plain networking.k8s.io/v1 NetworkPolicy YAML, proves with its own evaluator that the
    policies allow exactly what the intent allows, runs inside kustomize and kpt, and commits
    the result for Argo CD. It also reads Namespaces, Pods, workloads and NetworkPolicies from
    any manifests and answers who may connect to whom, and why.

    Examples:
      npgen build examples/shop/intents.yaml --env prod
      npgen eval -f examples/cluster/ --from shop/web --to shop/db --port 5432
      npgen matrix -f examples/cluster/
      npgen validate -f examples/cluster/
      npgen check examples/shop/intents.yaml -f examples/shop/manifests/
      npgen lint -f examples/lint-mistakes/
      npgen import -f examples/cluster/ -o intents.yaml
      npgen init && npgen build intents.yaml

      npgen publish intents.yaml --repo https://git.example.com/platform/gitops.git --path apps/shop

    Exit codes: 0 ok, 1 a check failed (verify, validate, check, lint, eval --exit-code) or an import
    is partial, 2 bad input or usage,
    4 a Git or remote operation failed (build --commit, publish), 70 an internal error (a bug
    in npgen: please report it; NPGEN_DEBUG=1 prints the stack trace).
    """)
{
    BenchCommand.Create(),
    BuildCommand.Create(),
    BuildCommand.CreateVerify(),
    CheckCommand.Create(),
    KrmCommand.Create(),
    LintCommand.Create(),
    EvalCommand.Create(),
    ImportCommand.Create(),
    InitCommand.Create(),
    MatrixCommand.Create(),
    SchemaCommand.Create(),
    ValidateCommand.Create(),
    PublishCommand.Create(),
    ArgoCdCommand.Create(),
};

// kustomize runs a legacy exec plugin with one argument, the config file; npgen itself can serve as one.
// stdout is then (or for npgen krm) a stream another program parses: passed byte for byte. stderr is
// always escaped for the terminal, and so is stdout otherwise (Terminal).
var configRoot = Environment.GetEnvironmentVariable(LegacyExecPlugin.ConfigRootVariable);
var legacyPlugin = LegacyExecPlugin.IsInvocation(args, configRoot);
Terminal.Install(guardStandardOutput: !legacyPlugin && args is not ["krm", ..]);
try
{
    if (legacyPlugin)
    {
        var outcome = LegacyExecPlugin.Run(args[0], configRoot!, Environment.GetEnvironmentVariable(LoadRestrictor.Variable), Console.In);
        Console.Out.Write(outcome.StdOut);
        Console.Error.Write(outcome.StdErr);
        return outcome.ExitCode;
    }

    var parse = root.Parse(args);
    if (parse.Errors.Count > 0)
    {
        // System.CommandLine would exit 1, which npgen reserves for failed checks: usage errors are 2.
        foreach (var error in parse.Errors)
        {
            Console.Error.WriteLine($"npgen: {error.Message}");
        }

        // The path as typed (npgen bench gen): walk the parse up to the root, whose own name is the executable's.
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        var commandPath = string.Join(' ', names.Prepend("npgen"));
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
