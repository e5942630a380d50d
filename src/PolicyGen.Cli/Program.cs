using System.CommandLine;
using PolicyGen.Cli;
using PolicyGen.Cli.Commands;

var root = new RootCommand("""
    npgen: Kubernetes NetworkPolicy tools. Reads Namespaces, Pods, workloads (Deployment,
    StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController) and NetworkPolicies
    from manifests, and answers who may connect to whom, and why.

    Examples:
      npgen eval -f examples/cluster/ --from shop/web --to shop/db --port 5432
      npgen matrix -f examples/cluster/
      npgen validate -f examples/cluster/

    Exit codes: 0 ok, 1 a check failed (validate, eval --exit-code), 2 bad input or usage.
    """)
{
    BenchCommand.Create(),
    BuildCommand.Create(),
    BuildCommand.CreateVerify(),
    EvalCommand.Create(),
    MatrixCommand.Create(),
    ValidateCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // System.CommandLine would exit 1, which npgen reserves for failed checks: usage errors are 2.
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"npgen: {error.Message}");
    }

    var commandPath = string.Join(' ', parse.CommandResult.Command.Parents.OfType<Command>().Reverse().Append(parse.CommandResult.Command)
        .Select(c => c.Name).Where(n => n.Length > 0).Skip(1).Prepend("npgen"));
    Console.Error.WriteLine($"Run '{commandPath} --help' for usage and examples.");
    return ExitCodes.BadInput;
}

return parse.Invoke();
