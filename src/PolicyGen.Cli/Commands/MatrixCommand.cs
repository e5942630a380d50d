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
        var pairs = new Option<string>("--pairs")
        {
            Description = $"With -o json: also list every ordered pair in \"results\": auto (when endpoints² × ports ≤ {PairLimit:N0}), always or never.",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnlyFromAmong("auto", "always", "never");
        var selfTraffic = CommonOptions.SelfTraffic();
        var hostNetwork = CommonOptions.HostNetwork();
        var intent = new IntentFlags("matrix");

        var command = new Command("matrix", """
            Print which endpoints may connect to which, for each port: rows are clients (from),
            columns are servers (to); '.' allowed, 'X' denied.

            Examples:
              # The whole picture for the ports that the pods and policies mention
              npgen matrix -f manifests/

              # Only DNS and HTTPS, as CSV for a spreadsheet
              npgen matrix -f manifests/ --port 53/UDP --port 443 -o csv

              # The real workloads under the policies an intent generates, before committing them
              npgen matrix -f examples/shop/manifests/ --intent examples/shop/intents.yaml --env prod

              # Every ordered pair as JSON, for scripts and CI diffs
              npgen matrix -f cluster.yaml -f policies.yaml -o json > reachability.json

            JSON holds the answer grouped, so it stays small for 100,000 pods: endpoints fold into
            groups that every policy treats alike, and per port each group has an egress row (the
            groups it may connect to) and an ingress row (the groups it accepts), indexes into
            "rows" (sets of groups as [start, end) ranges), or null when no policy isolates it
            in that direction. allowed(a -> b) = (egress[g(a)] is null or g(b) in it) and
            (ingress[g(b)] is null or g(a) in it); an endpoint with "singlePod": true (a Pod, or a
            workload with replicas: 1) may always reach itself unless --self-traffic evaluate; a
            workload of several pods to itself is one replica to another, as the rows say.
            "results" lists every ordered pair as well for small clusters.
            """)
        {
            files, ports, output, pairs, selfTraffic, hostNetwork,
        };
        foreach (var option in intent.All)
        {
            command.Add(option);
        }

        command.SetAction(result =>
        {
            if (!intent.Validate(result))
            {
                return ExitCodes.BadInput;
            }

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

            ReachabilityMatrix matrix;
            var timings = new StageTimings();
            using (var progress = ProgressBar.Start())
            {
                var evaluator = CommonOptions.LoadEvaluator(result, files, selfTraffic, hostNetwork, timings, progress, intent);
                if (evaluator is null)
                {
                    return ExitCodes.BadInput;
                }

                if (probes.Count == 0)
                {
                    probes.AddRange(evaluator.MentionedPorts());
                }

                progress.Stage("computing reachability", 0.1);
                matrix = ReachabilityMatrix.Compute(evaluator, probes, progress);
                timings.Add(matrix.Timings);
                progress.Stage("writing", 0.05);
            }

            var endpoints = matrix.Evaluator.Cluster.Endpoints;
            switch (result.GetValue(output))
            {
                case "json":
                    var cells = (long)endpoints.Length * endpoints.Length * probes.Count;
                    var listPairs = result.GetValue(pairs) switch { "always" => true, "never" => false, _ => cells <= PairLimit };
                    WriteJson(matrix, endpoints, listPairs);
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

            timings.Lap("write output");
            timings.PrintIfEnabled();
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Above this many cells (endpoints² × ports) the JSON lists no pairs unless asked: the grouped form says it all.</summary>
    private const long PairLimit = 1_000_000;

    private static void WriteJson(ReachabilityMatrix matrix, IReadOnlyList<Endpoint> endpoints, bool listPairs)
        => JsonText.WriteTo(Console.OpenStandardOutput(), writer =>
        {
            writer.WriteStartObject();
            var options = matrix.Evaluator.Options;
            writer.WriteStartObject("options");
            writer.WriteString("selfTraffic", options.SelfTraffic == SelfTrafficMode.Allow ? "allow" : "evaluate");
            writer.WriteString("hostNetwork", options.HostNetwork == HostNetworkMode.Node ? "node" : "pod");
            writer.WriteEndObject();
            writer.WriteStartArray("ports");
            foreach (var probe in matrix.Probes)
            {
                writer.WriteStartObject();
                writer.WriteNumber("port", probe.Port);
                writer.WriteString("protocol", probe.Protocol.ToString());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("endpoints");
            for (var e = 0; e < endpoints.Count; e++)
            {
                writer.WriteStartObject();
                writer.WriteString("id", endpoints[e].Id);
                writer.WriteString("kind", endpoints[e].Kind);
                writer.WriteBoolean("singlePod", endpoints[e].SinglePod);
                writer.WriteNumber("group", matrix.GroupOf(e));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("groups", matrix.GroupCount);
            // The bulky arrays go out compact, one line each, so the output grows with groups, not with lines.
            var line = new StringBuilder();
            writer.WriteStartArray("rows");
            for (var r = 0; r < matrix.RowCount; r++)
            {
                line.Clear().Append('[');
                foreach (var (start, end) in matrix.RowRanges(r))
                {
                    line.Append(line.Length > 1 ? ",[" : "[").Append(start).Append(',').Append(end).Append(']');
                }

                writer.WriteRawValue(line.Append(']').ToString(), skipInputValidation: true);
            }

            writer.WriteEndArray();
            foreach (var (name, egress) in new[] { ("egress", true), ("ingress", false) })
            {
                writer.WriteStartArray(name);
                for (var p = 0; p < matrix.Probes.Count; p++)
                {
                    line.Clear().Append('[');
                    for (var g = 0; g < matrix.GroupCount; g++)
                    {
                        var row = egress ? matrix.EgressRow(p, g) : matrix.IngressRow(p, g);
                        line.Append(g > 0 ? "," : "");
                        if (row < 0)
                        {
                            line.Append("null");
                        }
                        else
                        {
                            line.Append(row);
                        }
                    }

                    writer.WriteRawValue(line.Append(']').ToString(), skipInputValidation: true);
                }

                writer.WriteEndArray();
            }

            if (!listPairs)
            {
                writer.WriteEndObject();
                return;
            }

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
