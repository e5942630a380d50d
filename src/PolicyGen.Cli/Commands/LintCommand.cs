using System.CommandLine;
using System.Text.Json;
using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Review.Lint;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen lint</c>: what a reviewer would flag in a set of NetworkPolicies (the rules live in PolicyGen.Review.Lint).</summary>
internal static class LintCommand
{
    public static Command Create()
    {
        var files = CommonOptions.Files();
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "text" }
            .AcceptOnlyFromAmong("text", "json");

        var command = new Command("lint", """
            Review NetworkPolicies the way a careful reviewer would, together with the Namespaces,
            pods and workloads of the same inputs: selectors that match nothing, pods isolated for
            egress without DNS, rules shadowed by a broader rule, ipBlocks that contain pod
            addresses or overlap, excepts outside their cidr, named ports no pod declares,
            policies in namespaces that do not exist, allow-all rules that void a default deny,
            and rules that the other end's policies make dead. Each finding has a code (NPL001...,
            docs/lint.md), a severity, the object and field, file:line:col, why, and a hint.
            Exit 0 when there is no error-level finding (warnings and infos allowed), 1 on any
            error, 2 when the inputs cannot be read.

            Examples:
              # The purpose-built example: every finding once
              npgen lint -f examples/lint-mistakes/

              # Policies in Git against the live cluster's workloads
              kubectl get ns,deploy,sts,ds,pods -A -o yaml | npgen lint -f - -f deploy/netpol/

              # Machine-readable, for CI annotations
              npgen lint -f k8s/ -o json
            """)
        {
            files, output,
        };

        command.SetAction(result =>
        {
            var cluster = CommonOptions.LoadCluster(result, files);
            if (cluster is null)
            {
                return ExitCodes.BadInput;
            }

            var report = Linter.Lint(cluster);
            if (!cluster.ClusterPolicies.IsEmpty)
            {
                // Lint rules read NetworkPolicies only; the cluster policies are named, not silently dropped.
                Console.Error.WriteLine($"npgen lint: not linted: {string.Join(", ", cluster.ClusterPolicies.Select(p => PolicyGen.Diagnostics.TextEscaping.ForLine(p.Id)))} "
                    + "(lint rules cover NetworkPolicies; npgen eval and npgen matrix evaluate cluster policies, npgen validate checks them)");
            }

            if (result.GetValue(output) == "json")
            {
                Console.Out.Write(Json(report));
            }
            else
            {
                foreach (var finding in report.Findings)
                {
                    Console.Out.WriteLine(finding);
                }

                Console.Error.WriteLine($"npgen lint: {report.Policies} polic{(report.Policies == 1 ? "y" : "ies")}, {report.Endpoints} pods and workloads, {report.Namespaces} namespaces: "
                    + $"{Count(report.Errors, "error")}, {Count(report.Warnings, "warning")}, {Count(report.Infos, "info")}");
            }

            return report.Passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static string Count(int n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";

    private static string Json(LintReport report)
        => JsonText.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", "npgen.dev/v1alpha1");
            writer.WriteString("kind", "LintReport");
            writer.WriteBoolean("passed", report.Passed);
            writer.WriteNumber("errors", report.Errors);
            writer.WriteNumber("warnings", report.Warnings);
            writer.WriteNumber("infos", report.Infos);
            writer.WriteNumber("policies", report.Policies);
            writer.WriteNumber("endpoints", report.Endpoints);
            writer.WriteNumber("namespaces", report.Namespaces);
            writer.WriteStartArray("findings");
            foreach (var finding in report.Findings)
            {
                writer.WriteStartObject();
                writer.WriteString("code", finding.Code);
                writer.WriteString("severity", LintFinding.SeverityName(finding.Severity));
                writer.WriteStartObject("object");
                writer.WriteString("kind", finding.Subject.Kind);
                writer.WriteString("namespace", finding.Subject.Namespace);
                writer.WriteString("name", finding.Subject.Name);
                writer.WriteEndObject();
                writer.WriteString("field", finding.Field);
                WriteLocation(writer, finding.Location);
                writer.WriteString("message", finding.Message);
                writer.WriteString("hint", finding.Hint);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    private static void WriteLocation(Utf8JsonWriter writer, SourceLocation? location)
    {
        if (location is null)
        {
            writer.WriteNull("location");
            return;
        }

        writer.WriteStartObject("location");
        writer.WriteString("file", location.File);
        writer.WriteNumber("line", location.Line);
        writer.WriteNumber("column", location.Column);
        writer.WriteEndObject();
    }
}
