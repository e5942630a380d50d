using System.CommandLine;
using System.Text;
using PolicyGen.Cli.Output;
using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen matrix</c>: reachability between every ordered pair of endpoints, per port.</summary>
internal static class MatrixCommand
{
    public static Command Create()
    {
        var files = CommonOptions.Files();
        var ports = new Option<string[]>("--port", "-p")
        {
            Description = "Port to probe, N or N/PROTO; repeatable. Default: every port the policies and pods mention.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "table" }
            .AcceptOnlyFromAmong("table", "json", "csv", "md");
        var selfTraffic = CommonOptions.SelfTraffic();
        var hostNetwork = CommonOptions.HostNetwork();

        var command = new Command("matrix", """
            Print which endpoints may connect to which, for each port: rows are clients (from),
            columns are servers (to); '.' allowed, 'X' denied.

            Examples:
              # The whole picture for the ports that the pods and policies mention
              npgen matrix -f manifests/

              # Only DNS and HTTPS, as CSV for a spreadsheet
              npgen matrix -f manifests/ --port 53/UDP --port 443 -o csv

              # Every ordered pair as JSON, for scripts and CI diffs
              npgen matrix -f cluster.yaml -f policies.yaml -o json > reachability.json
            """)
        {
            files, ports, output, selfTraffic, hostNetwork,
        };

        command.SetAction(result =>
        {
            var probes = new List<PortProbe>();
            foreach (var text in result.GetValue(ports) ?? [])
            {
                if (!PortProbe.TryParse(text, out var probe))
                {
                    Console.Error.WriteLine($"npgen matrix: --port \"{text}\" is not a port; write N or N/TCP, N/UDP, N/SCTP with N from 1 to 65535 (e.g. --port 53/UDP)");
                    return ExitCodes.BadInput;
                }

                if (!probes.Contains(probe))
                {
                    probes.Add(probe);
                }
            }

            var evaluator = CommonOptions.LoadEvaluator(result, files, selfTraffic, hostNetwork);
            if (evaluator is null)
            {
                return ExitCodes.BadInput;
            }

            if (probes.Count == 0)
            {
                probes.AddRange(evaluator.MentionedPorts());
            }

            var matrix = ReachabilityMatrix.Compute(evaluator, probes);
            var endpoints = evaluator.Cluster.Endpoints;
            switch (result.GetValue(output))
            {
                case "json":
                    WriteJson(matrix, endpoints);
                    break;
                case "csv":
                    Console.Out.Write(Csv(matrix, endpoints));
                    break;
                case "md":
                    Console.Out.Write(Markdown(matrix, endpoints));
                    break;
                default:
                    Console.Out.Write(Table(matrix, endpoints));
                    break;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteJson(ReachabilityMatrix matrix, IReadOnlyList<Endpoint> endpoints)
        => JsonText.WriteTo(Console.OpenStandardOutput(), writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("results");
            for (var p = 0; p < matrix.Probes.Count; p++)
            {
                var probe = matrix.Probes[p];
                for (var f = 0; f < endpoints.Count; f++)
                {
                    for (var t = 0; t < endpoints.Count; t++)
                    {
                        var cell = matrix.Get(p, f, t);
                        writer.WriteStartObject();
                        writer.WriteString("from", endpoints[f].Id);
                        writer.WriteString("to", endpoints[t].Id);
                        writer.WriteNumber("port", probe.Port);
                        writer.WriteString("protocol", probe.Protocol.ToString());
                        writer.WriteBoolean("allowed", cell.Allowed);
                        writer.WriteBoolean("ingress", cell.Ingress);
                        writer.WriteBoolean("egress", cell.Egress);
                        writer.WriteEndObject();
                    }
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    internal static string Table(ReachabilityMatrix matrix, IReadOnlyList<Endpoint> endpoints)
    {
        var text = new StringBuilder();
        var rowLabels = endpoints.Select(e => e.Kind == "Pod" ? e.Id : $"{e.Id} ({e.Kind})").ToList();
        var labelWidth = Math.Max("from\\to".Length, rowLabels.DefaultIfEmpty("").Max(l => l.Length)) + 2;
        var widths = endpoints.Select(e => e.Id.Length + 2).ToArray();
        for (var p = 0; p < matrix.Probes.Count; p++)
        {
            if (p > 0)
            {
                text.Append('\n');
            }

            text.Append($"{matrix.Probes[p]}\n");
            text.Append("from\\to".PadRight(labelWidth));
            text.AppendJoin("", endpoints.Select((e, i) => e.Id.PadRight(widths[i])));
            TrimLine(text);
            for (var f = 0; f < endpoints.Count; f++)
            {
                text.Append(rowLabels[f].PadRight(labelWidth));
                for (var t = 0; t < endpoints.Count; t++)
                {
                    text.Append((matrix.Get(p, f, t).Allowed ? "." : "X").PadRight(widths[t]));
                }

                TrimLine(text);
            }
        }

        return text.ToString();
    }

    /// <summary>Ends the current line without trailing spaces, so output diffs cleanly.</summary>
    private static void TrimLine(StringBuilder text)
    {
        var end = text.Length;
        while (end > 0 && text[end - 1] is ' ' or '\n')
        {
            end--;
        }

        text.Length = end;
        text.Append('\n');
    }

    internal static string Csv(ReachabilityMatrix matrix, IReadOnlyList<Endpoint> endpoints)
    {
        var text = new StringBuilder("from,to,port,protocol,allowed,ingress,egress\n");
        for (var p = 0; p < matrix.Probes.Count; p++)
        {
            for (var f = 0; f < endpoints.Count; f++)
            {
                for (var t = 0; t < endpoints.Count; t++)
                {
                    var cell = matrix.Get(p, f, t);
                    text.Append($"{endpoints[f].Id},{endpoints[t].Id},{matrix.Probes[p].Port},{matrix.Probes[p].Protocol},{Bool(cell.Allowed)},{Bool(cell.Ingress)},{Bool(cell.Egress)}\n");
                }
            }
        }

        return text.ToString();

        static string Bool(bool value) => value ? "true" : "false";
    }

    internal static string Markdown(ReachabilityMatrix matrix, IReadOnlyList<Endpoint> endpoints)
    {
        var text = new StringBuilder();
        for (var p = 0; p < matrix.Probes.Count; p++)
        {
            text.Append($"{(p > 0 ? "\n" : "")}### {matrix.Probes[p]}\n\n");
            text.Append("| from \\ to | ").AppendJoin(" | ", endpoints.Select(e => e.Id)).Append(" |\n");
            text.Append("|---|").Append(string.Concat(endpoints.Select(_ => "---|"))).Append('\n');
            for (var f = 0; f < endpoints.Count; f++)
            {
                text.Append($"| {endpoints[f].Id} |");
                for (var t = 0; t < endpoints.Count; t++)
                {
                    text.Append(matrix.Get(p, f, t).Allowed ? " . |" : " X |");
                }

                text.Append('\n');
            }
        }

        return text.Append("\n`.` allowed, `X` denied; rows are clients (from), columns servers (to).\n").ToString();
    }
}
