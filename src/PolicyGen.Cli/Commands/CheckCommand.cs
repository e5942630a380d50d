using System.CommandLine;
using System.Text.Json;
using PolicyGen.Check;
using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen check</c>: does the intent describe the real workloads?</summary>
internal static class CheckCommand
{
    public static Command Create(CommandConsole console)
    {
        var intent = new Argument<string>("intent") { Description = IntentArgument.Description };
        var files = CommonOptions.Files();
        var env = IntentOptions.Environment();
        var overlays = IntentOptions.Overlays();
        var strict = new Option<bool>("--strict") { Description = "Pods of a managed namespace that no app selects are an error, not a warning." };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "text" }
            .AcceptOnlyFromAmong("text", "json");

        var command = new Command("check", """
            Check an intent against the real manifests it describes: a directory, the output of
            kubectl get -A -o yaml, or a rendered kustomization. The proof (npgen verify) shows that
            the policies mean what the intent says; check shows that the intent describes the cluster:
              - every app selects at least one workload or pod in its namespace (a selector typo is an
                error with the closest real labels);
              - pods of a managed namespace that no app selects are listed: the default deny cuts them
                off (a warning; an error with --strict);
              - every declared port is a container port (number and protocol) of the selected pods;
              - the labels the intent declares for a namespace are the real Namespace's labels, and
                every namespaceLabels peer matches the same namespaces in the cluster as in the intent;
              - the DNS peers and the ingress controller preset select real pods.
            Each problem names the intent's file:line:col and the manifest's file:line:col.
            Exit 0 when nothing is wrong (warnings allowed), 1 on any error, 2 when the intent or the
            manifests cannot be read.

            Examples:
              # The shop's intent against its workloads
              npgen check examples/shop/intents.yaml -f examples/shop/manifests/

              # Against the live cluster, for the prod environment
              kubectl get ns,deploy,sts,ds,pods -A -o yaml | npgen check intents.yaml --env prod -f -

              # Against what kustomize renders, machine-readable
              kubectl kustomize overlays/prod | npgen check intents.yaml -f - -o json
            """)
        {
            intent, files, env, overlays, strict, output,
        };

        command.SetAction(result =>
        {
            if (IntentArgument.ReportEnvironmentWithoutName(result, env, result.GetValue(intent), "check", console))
            {
                return ExitCodes.BadInput;
            }

            var loadedIntent = IntentOptions.Load(result, intent, env, overlays, "check", console, stdinTaken: (result.GetValue(files) ?? []).Contains("-"));
            if (loadedIntent is null)
            {
                return ExitCodes.BadInput;
            }

            var cluster = CommonOptions.LoadCluster(result, files, console);
            if (cluster is null)
            {
                return ExitCodes.BadInput;
            }

            var report = IntentChecker.Check(loadedIntent, cluster, new CheckOptions { Strict = result.GetValue(strict) });
            if (result.GetValue(output) == "json")
            {
                console.Out.Write(Json(report));
            }
            else
            {
                foreach (var finding in report.Findings)
                {
                    console.Out.WriteLine(finding);
                }

                console.Error.WriteLine(report.Passed
                    ? $"npgen check: {Path.GetFileName(loadedIntent.Source.File)} matches the manifests: {report.Apps} app{(report.Apps == 1 ? "" : "s")} select {report.SelectedEndpoints} of {report.Endpoints} workloads and pods{(report.Warnings > 0 ? $" ({report.Warnings} warning{(report.Warnings == 1 ? "" : "s")})" : "")}"
                    : $"npgen check: {report.Errors} error{(report.Errors == 1 ? "" : "s")}{(report.Warnings > 0 ? $", {report.Warnings} warning{(report.Warnings == 1 ? "" : "s")}" : "")}: the intent does not describe these manifests");
            }

            return report.Passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static string Json(CheckReport report)
        => JsonText.Write(writer =>
        {
            writer.WriteStartObject();
            ReportDocument.WriteHeader(writer, PolicyGen.Output.ReportKinds.Check);
            writer.WriteBoolean("passed", report.Passed);
            writer.WriteNumber("errors", report.Errors);
            writer.WriteNumber("warnings", report.Warnings);
            writer.WriteNumber("apps", report.Apps);
            writer.WriteNumber("selected", report.SelectedEndpoints);
            writer.WriteNumber("endpoints", report.Endpoints);
            writer.WriteStartArray("findings");
            foreach (var finding in report.Findings)
            {
                writer.WriteStartObject();
                writer.WriteString("code", finding.Code);
                writer.WriteString("severity", finding.Severity == Severity.Error ? "error" : "warning");
                writer.WriteString("message", finding.Message);
                writer.WriteString("hint", finding.Hint);

                WriteLocation(writer, "intent", finding.IntentLocation);
                WriteLocation(writer, "manifest", finding.ManifestLocation);
                writer.WriteStartArray("objects");
                foreach (var item in finding.Objects)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    private static void WriteLocation(Utf8JsonWriter writer, string name, SourceLocation? location)
    {
        if (location is null)
        {
            writer.WriteNull(name); // one shape: the key is always there
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString("file", location.File);
        writer.WriteNumber("line", location.Line);
        writer.WriteNumber("column", location.Column);
        writer.WriteEndObject();
    }
}
