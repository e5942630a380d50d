using System.CommandLine;
using PolicyGen.Kustomize;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen krm</c>: the KRM function entry, for kustomize --enable-exec and kpt.</summary>
internal static class KrmCommand
{
    public static Command Create(CommandConsole console)
    {
        var command = new Command("krm", """
            Run as a KRM function: read a ResourceList on stdin, write it back on stdout with the
            generated NetworkPolicies added. The functionConfig is a NetworkIntentGenerator
            (spec.intent: path, relative to the working directory kustomize gives: the
            kustomization directory, and inside it unless NPGEN_LOAD_RESTRICTOR=LoadRestrictionsNone
            is set where kustomize runs) or a NetworkIntent written inline. Exit 1 with the problems in
            results and on stderr when the intent has errors or fails verification.
            kustomize's exec.path cannot pass arguments: point it at the npgen-plugin binary, which
            runs this without any (see kustomize-plugin/README.md).

            With --validate (or a NetworkIntentValidator as the functionConfig) it checks instead:
            the items must hold exactly the policies the intent generates, as npgen verify
            --rendered checks them; the items come back unchanged, the findings in results.

            Examples:
              kpt fn eval pkg --exec npgen-plugin --fn-config pkg/intents.yaml
              npgen krm < resource-list.yaml
              npgen krm --validate < resource-list.yaml
            """);
        var validate = new Option<bool>("--validate") { Description = "Check the items against the intent instead of generating policies." };
        command.Add(validate);
        command.SetAction(result =>
        {
            var outcome = KrmFunction.Run(console.In, console.CurrentDirectory, console.Variable(LoadRestrictor.Variable), result.GetValue(validate));
            console.Out.Write(outcome.StdOut);
            console.Error.Write(outcome.StdErr);
            return outcome.ExitCode;
        });
        return command;
    }
}
