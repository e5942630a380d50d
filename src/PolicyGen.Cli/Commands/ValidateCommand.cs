using System.CommandLine;
using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using PolicyGen.Validation;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen validate</c>: the API server's NetworkPolicy validation (S14), offline.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = CommonOptions.Files();
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "text" }
            .AcceptOnlyFromAmong("text", "json");

        var command = new Command("validate", """
            Check every NetworkPolicy against the Kubernetes API validation rules (names, ports,
            endPort, named ports, protocols, peers, CIDRs and excepts, label selectors, policyTypes,
            metadata labels and annotations) without a cluster. Each problem is printed as
            file:line:col: namespace/name: field: message.
            Exit 0 when all are valid, 1 when any is invalid, 2 when the files cannot be read.

            Examples:
              # Before kubectl apply, or as a pre-commit hook
              npgen validate -f k8s/

              # In CI, machine-readable
              npgen validate -f policies.yaml -o json
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

            var problems = cluster.Policies
                .SelectMany(policy => PolicyValidator.Validate(policy).Select(problem => (Policy: policy, Problem: problem)))
                .ToList();
            var clusterProblems = ClusterPolicyValidator.Validate(cluster); // S18.8
            var errors = problems.Count(p => p.Problem.Severity == Severity.Error) + clusterProblems.Count(p => p.Severity == Severity.Error);
            var invalid = problems.Where(p => p.Problem.Severity == Severity.Error).Select(p => p.Policy.Id).Distinct().Count();

            if (result.GetValue(output) == "json")
            {
                Console.Out.Write(Json(cluster, problems, errors, clusterProblems));
            }
            else
            {
                foreach (var (policy, problem) in problems)
                {
                    Console.Out.WriteLine(problem.Format(policy));
                }

                foreach (var problem in clusterProblems)
                {
                    Console.Out.WriteLine(string.Join("\n", problem.ToString().Split('\n').Select(TextEscaping.ForLine)));
                }

                var warnings = problems.Count + clusterProblems.Length - errors;
                Console.Error.WriteLine(errors == 0
                    ? $"{cluster.Policies.Length} NetworkPolicies{(cluster.ClusterPolicies.IsEmpty ? "" : $" and {cluster.ClusterPolicies.Length} cluster policies")} valid{(warnings > 0 ? $" ({warnings} warning{(warnings == 1 ? "" : "s")})" : "")}"
                    : $"{invalid} of {cluster.Policies.Length} NetworkPolicies invalid: {errors} error{(errors == 1 ? "" : "s")}{(warnings > 0 ? $", {warnings} warning{(warnings == 1 ? "" : "s")}" : "")}");
            }

            return errors == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static string Json(Cluster cluster, List<(NetworkPolicy Policy, PolicyProblem Problem)> problems, int errors,
        System.Collections.Immutable.ImmutableArray<Diagnostic> clusterProblems)
        => JsonText.Write(writer =>
        {
            writer.WriteStartObject();
            ReportDocument.WriteHeader(writer, PolicyGen.Output.ReportKinds.Validate);
            writer.WriteBoolean("valid", errors == 0);
            writer.WriteNumber("policies", cluster.Policies.Length);
            writer.WriteStartArray("problems");
            foreach (var (policy, problem) in problems)
            {
                writer.WriteStartObject();
                writer.WriteString("severity", problem.Severity == Severity.Error ? "error" : "warning");
                writer.WriteString("policy", policy.Id);
                writer.WriteString("field", problem.Path);
                writer.WriteString("message", problem.Message);
                // One shape: file, line and column are null when the policy's source is unknown.
                writer.WriteString("file", problem.Location?.File);
                if (problem.Location is { } location)
                {
                    writer.WriteNumber("line", location.Line);
                    writer.WriteNumber("column", location.Column);
                }
                else
                {
                    writer.WriteNull("line");
                    writer.WriteNull("column");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("clusterPolicies", cluster.ClusterPolicies.Length);
            writer.WriteStartArray("clusterPolicyProblems");
            foreach (var problem in clusterProblems)
            {
                writer.WriteStartObject();
                writer.WriteString("severity", problem.Severity == Severity.Error ? "error" : "warning");
                writer.WriteString("code", problem.Code);
                writer.WriteString("message", problem.Message);
                writer.WriteString("hint", problem.Hint);
                writer.WriteString("file", problem.Location?.File);
                if (problem.Location is { } at)
                {
                    writer.WriteNumber("line", at.Line);
                    writer.WriteNumber("column", at.Column);
                }
                else
                {
                    writer.WriteNull("line");
                    writer.WriteNull("column");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
}
