using System.CommandLine;
using PolicyGen.Diagnostics;
using PolicyGen.Output;
using PolicyGen.Pipeline;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen verify</c>: the proof of <c>npgen build</c> without writing the policies, or (--rendered) the proof of a rendered stream.</summary>
internal static class VerifyCommand
{
    public static Command Create(CommandConsole console)
    {
        var flags = new VerifyFlags();
        var command = new Command("verify", """
            Prove that the policies generated from an intent file allow exactly what the intent means,
            and that every expect: holds, without printing or writing the policies. Exit 0 when proven,
            1 when a flow or an expectation differs, 2 when the intent has errors. The intent is a file,
            a directory (its intents.yaml) or - for stdin. -o json|yaml prints a VerifyReport.

            With --rendered -f, prove the policies that will really be applied: the NetworkPolicies in a
            rendered stream (kubectl kustomize output, a directory, - for stdin) that carry this intent's
            labels (app.kubernetes.io/managed-by: npgen, npgen.dev/intent) must be exactly the ones it
            generates, and allow exactly what it allows. A policy that kustomize relabelled
            (commonLabels), moved (namespace:), renamed (namePrefix/nameSuffix) or patched fails with
            the object, the field, the likely cause and the fix. Exit 1 on any difference.

            Examples:
              npgen verify examples/shop/intents.yaml
              npgen verify examples/shop --env prod -o json
              npgen verify intents.yaml --templates my-templates/
              kubectl kustomize --enable-alpha-plugins overlays/prod | npgen verify base/intents.yaml --env prod --rendered -f -
              npgen verify intents.yaml --rendered -f deploy/netpol/
            """);
        command.Add(flags.Intent);
        foreach (var option in flags.Options)
        {
            command.Add(option);
        }

        command.SetAction(result => flags.Read(result, console) is { } settings ? Run(settings, console) : ExitCodes.BadInput);
        return command;
    }

    /// <summary>Builds and proves; prints the proof's summary, or the report (-o json|yaml) on stdout.</summary>
    public static int Run(VerifySettings settings, CommandConsole console)
    {
        if (settings.RenderedFiles is { } files)
        {
            var renderedInput = IntentArgument.Resolve(settings.Intent, settings.Environment, "verify", console, stdinTaken: files.Contains("-"));
            return renderedInput is null
                ? ExitCodes.BadInput
                : RenderedVerifyCommand.Run(renderedInput, settings.Options, files, settings.ReportFormat, console);
        }

        var reading = System.Diagnostics.Stopwatch.StartNew();
        var input = IntentArgument.Resolve(settings.Intent, settings.Environment, "verify", console);
        if (input is null)
        {
            return ExitCodes.BadInput;
        }

        var build = IntentBuildRun.Run("verify", input, settings.Options, console, reading.Elapsed);
        var outcome = BuildOutcome.Of(build);
        if (settings.ReportFormat is { } format
            && !ReportWriter.Write(BuildReport.Create(ReportKinds.Verify, build, settings.Environment, OutputTarget.Stdout, null), format, null, "verify", console))
        {
            return ExitCodes.BadInput;
        }

        if (outcome != Outcome.Ok)
        {
            console.Error.WriteLine(outcome == Outcome.CheckFailed ? "npgen verify: verification failed." : "npgen verify: the intent has errors.");
            return ExitCodes.For(outcome);
        }

        if (settings.ReportFormat is null)
        {
            var v = build.Verification!;
            var count = build.Policies.Length;
            console.Out.WriteLine($"verified: the {count} {(count == 1 ? "policy" : "policies")} generated from {Path.GetFileName(build.Intent!.Source.File)}{(settings.Environment is null ? "" : $" (env {settings.Environment})")} {(count == 1 ? "allows" : "allow")} exactly what the intent allows");
            console.Out.WriteLine($"  {v.FlowsChecked:N0} flows between {v.PodWitnesses} witness pods and {v.AddressWitnesses} addresses on {v.Ports} ports; {v.ExpectationsChecked} expectations hold");
        }

        return ExitCodes.Ok;
    }
}
