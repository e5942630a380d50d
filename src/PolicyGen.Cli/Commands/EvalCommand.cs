using System.CommandLine;
using System.Text;
using System.Text.Json;
using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen eval</c>: one connection, its verdict and why.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var files = CommonOptions.Files();
        var from = new Option<string>("--from") { Description = "Client: namespace/name of a pod or workload, or an IP address.", Required = true };
        var to = new Option<string>("--to") { Description = "Server: namespace/name of a pod or workload, or an IP address.", Required = true };
        var port = new Option<string>("--port", "-p") { Description = "Destination port: N or N/TCP, N/UDP, N/SCTP (TCP when omitted), or a container port name, NAME[/PROTO], resolved on the destination pod.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "text" }
            .AcceptOnlyFromAmong("text", "json");
        var exitCode = new Option<bool>("--exit-code") { Description = "Exit 1 when the connection is denied (like git diff --exit-code)." };
        var selfTraffic = CommonOptions.SelfTraffic();
        var hostNetwork = CommonOptions.HostNetwork();
        var intent = new IntentFlags("eval");

        var command = new Command("eval", """
            Decide whether one connection is allowed, and explain both halves: egress on the client,
            ingress on the server (allowed = egress AND ingress).

            Examples:
              # May the web pod open a connection to the database on 5432/TCP?
              npgen eval -f manifests/ --from shop/web --to shop/db --port 5432

              # An external client (any IP that is no pod's) calling in, as JSON
              npgen eval -f cluster.yaml -f policies.yaml --from 203.0.113.7 --to shop/web --port 443/TCP -o json

              # Before committing: the real workloads under the policies the intent generates
              npgen eval -f examples/shop/manifests/ --intent examples/shop/intents.yaml --env prod --from shop/web --to shop/api --port 8080

              # A named port, resolved on the destination pod as NetworkPolicy does
              npgen eval -f examples/cluster/ --from shop/web --to shop/api --port http

              # In CI: fail the job when a required flow is blocked
              kubectl get ns,pods,netpol -A -o yaml | npgen eval -f - --from x/a --to y/b -p 53/UDP --exit-code
            """)
        {
            files, from, to, port, output, exitCode, selfTraffic, hostNetwork,
        };
        foreach (var option in intent.All)
        {
            command.Add(option);
        }

        command.SetAction(result =>
        {
            NamedPortQuery? named = null;
            if (!PortProbe.TryParse(result.GetValue(port)!, out var probe) && !NamedPortQuery.TryParse(result.GetValue(port)!, out named))
            {
                Console.Error.WriteLine($"npgen eval: --port \"{result.GetValue(port)}\" is not a port; write N or N/TCP, N/UDP, N/SCTP with N from 1 to 65535 (e.g. --port 53/UDP), or a container port name (e.g. --port http, --port dns/UDP)");
                return ExitCodes.BadInput;
            }

            if (!intent.Validate(result))
            {
                return ExitCodes.BadInput;
            }

            var timings = new StageTimings();
            var evaluator = CommonOptions.LoadEvaluator(result, files, selfTraffic, hostNetwork, timings, null, intent);
            if (evaluator is null)
            {
                return ExitCodes.BadInput;
            }

            if (!Resolve(evaluator, result.GetValue(from)!, "--from", out var source)
                || !Resolve(evaluator, result.GetValue(to)!, "--to", out var destination))
            {
                return ExitCodes.BadInput;
            }

            if (named is not null)
            {
                // S7.4: the name means the destination pod's container port of that name and protocol.
                if (!named.TryResolve(destination!, out var number, out var unresolved))
                {
                    Console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.EvalNamedPortUnresolved, $"--port {named}: {unresolved}", null,
                        "give a name the destination pod declares, or a number"));
                    return ExitCodes.BadInput;
                }

                probe = new PortProbe(number, named.Protocol);
                Console.Error.WriteLine($"npgen eval: port {named} is {probe} on {destination!.Display}");
            }

            var verdict = evaluator.Evaluate(source!, destination!, probe.Port, probe.Protocol);
            timings.Lap("evaluate");
            timings.PrintIfEnabled();
            if (result.GetValue(output) == "json")
            {
                Console.Out.Write(VerdictJson(verdict));
            }
            else
            {
                Console.Out.Write(VerdictText(verdict));
            }

            return !verdict.Allowed && result.GetValue(exitCode) ? ExitCodes.CheckFailed : ExitCodes.Ok;
        });
        return command;
    }

    private static bool Resolve(PolicyEvaluator evaluator, string text, string flag, out ConnectionEnd? end)
    {
        if (evaluator.TryResolve(text, out end, out var error))
        {
            return true;
        }

        Console.Error.WriteLine($"npgen eval: {flag}: {error}");
        return false;
    }

    internal static string VerdictText(Verdict verdict)
    {
        var text = new StringBuilder();
        var probe = new PortProbe(verdict.Port, verdict.Protocol);
        text.Append($"{Describe(verdict.From)} -> {Describe(verdict.To)} {probe}: {(verdict.Allowed ? "ALLOWED" : "DENIED")}\n");
        if (SelfCaseText(verdict) is { } self)
        {
            text.Append($"  case    {self}\n");
        }

        foreach (var half in new[] { verdict.Egress, verdict.Ingress })
        {
            var label = half == verdict.Egress ? "egress " : "ingress";
            var state = !half.Applies ? "n/a    " : half.Allowed ? "allowed" : "denied ";
            text.Append($"  {label} {state}  {half.Reason}\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// For a connection from an endpoint to itself, which case S12 sees: a pod reaching itself
    /// (always allowed by default) or one replica of a workload reaching another (policies decide).
    /// </summary>
    internal static string? SelfCaseText(Verdict verdict)
    {
        var endpoint = verdict.From.Endpoint;
        switch (verdict.Self)
        {
            case SelfCase.PodToItself when verdict.SelfTraffic:
                return endpoint is { Kind: not "Pod" }
                    ? $"a pod to itself: {endpoint.Kind} {endpoint.Id} has replicas: 1, and a pod cannot block its own traffic (S12)"
                    : "a pod to itself: a pod cannot block its own traffic (S12)";
            case SelfCase.PodToItself:
                return "a pod to itself, evaluated like any pair (--self-traffic evaluate)";
            case SelfCase.ReplicaToReplica:
                var replicas = endpoint!.Replicas is { } r ? $"replicas: {r}" : endpoint.Kind is "Deployment" or "StatefulSet" or "ReplicaSet" or "ReplicationController"
                    ? "replicas not set, so an autoscaler may run several" : endpoint.Kind == "DaemonSet" ? "one pod per node" : "it may run several pods";
                return $"one replica of {endpoint.Kind} {endpoint.Id} ({replicas}) to another replica: policies decide, as for any two pods (only a pod reaching itself is always allowed, S12)";
            default:
                return null;
        }
    }

    private static string Describe(ConnectionEnd end)
        => end.Endpoint is { Kind: not "Pod" } endpoint ? $"{endpoint.Id} ({endpoint.Kind})" : end.Display;

    internal static string VerdictJson(Verdict verdict)
        => JsonText.Write(writer =>
        {
            writer.WriteStartObject();
            ReportDocument.WriteHeader(writer, PolicyGen.Output.ReportKinds.Eval);
            WriteVerdictFields(writer, verdict);
            writer.WriteStartObject("explanation");
            writer.WriteBoolean("selfTraffic", verdict.SelfTraffic);
            writer.WriteString("case", verdict.Self switch
            {
                SelfCase.PodToItself => "pod-to-itself",
                SelfCase.ReplicaToReplica => "replica-to-replica",
                _ => "pair",
            });
            WriteHalf(writer, "egress", verdict.Egress);
            WriteHalf(writer, "ingress", verdict.Ingress);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    internal static void WriteVerdictFields(Utf8JsonWriter writer, Verdict verdict)
    {
        writer.WriteString("from", verdict.From.Display);
        writer.WriteString("to", verdict.To.Display);
        writer.WriteNumber("port", verdict.Port);
        writer.WriteString("protocol", verdict.Protocol.ToString());
        writer.WriteBoolean("allowed", verdict.Allowed);
        writer.WriteBoolean("ingress", verdict.Ingress.Allowed);
        writer.WriteBoolean("egress", verdict.Egress.Allowed);
    }

    private static void WriteHalf(Utf8JsonWriter writer, string name, DirectionVerdict half)
    {
        writer.WriteStartObject(name);
        writer.WriteBoolean("allowed", half.Allowed);
        writer.WriteBoolean("applies", half.Applies);
        writer.WriteBoolean("isolated", half.Isolated);
        writer.WriteStartArray("isolatingPolicies");
        foreach (var policy in half.IsolatingPolicies)
        {
            writer.WriteStringValue(policy);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("allowedBy");
        foreach (var rule in half.AllowingRules)
        {
            writer.WriteStartObject();
            writer.WriteString("policy", rule.Policy);
            writer.WriteNumber("rule", rule.Rule);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        ClusterRuleJson.Write(writer, half); // S18: which tier decided, and by which cluster policy rule
        writer.WriteString("reason", half.Reason);
        writer.WriteEndObject();
    }
}
