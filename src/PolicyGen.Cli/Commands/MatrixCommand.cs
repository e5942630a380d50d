using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen matrix</c>: reachability between every ordered pair of endpoints, per port.</summary>
internal static class MatrixCommand
{
    public static Command Create(CommandConsole console)
    {
        var files = CommonOptions.Files();
        var ports = new Option<string[]>("--port", "-p")
        {
            Description = "Port to probe, N or N/PROTO; repeatable. Default: every port the policies and pods mention.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "table" }
            .AcceptOnlyFromAmong("table", "json", "csv", "md", "dot", "mermaid", "svg");
        var pairs = new Option<string?>("--pairs")
        {
            Description = "With -o json: also list every ordered pair in \"results\" (endpoints² × ports entries; the grouped form says the same in far less).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var addresses = new Option<string[]>("--address")
        {
            Description = "An outside IP address to show as a row (as a client) and a column (as a destination); repeatable.",
            Arity = ArgumentArity.OneOrMore,
        };
        var blockAddresses = new Option<bool>("--ipblock-addresses") { Description = "Also show the first address of every ipBlock cidr and except the policies name." };
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

              # A picture: pods framed by namespace, an arrow per flow a policy allows (Graphviz)
              npgen matrix -f examples/cluster/ -o dot | dot -Tsvg > cluster.svg

              # Outside addresses as rows and columns: who may reach 203.0.113.7, and be reached from it
              npgen matrix -f examples/cluster/ --address 203.0.113.7 --ipblock-addresses -p 443

              # The grouped answer as JSON, for scripts (docs/output.md: MatrixReport)
              npgen matrix -f cluster.yaml -f policies.yaml -o json > reachability.json

              # ... with every ordered pair listed as well, for small clusters and CI diffs
              npgen matrix -f examples/cluster/ -o json --pairs | jq '.results[] | select(.allowed)'

            JSON holds the answer grouped, so it stays small for 100,000 pods: endpoints fold into
            groups that every policy treats alike, and per port each group has an egress row (the
            groups it may connect to) and an ingress row (the groups it accepts), indexes into
            "rows" (sets of groups as [start, end) ranges), or null when no policy isolates it
            in that direction. allowed(a -> b) = (egress[g(a)] is null or g(b) in it) and
            (ingress[g(b)] is null or g(a) in it); an endpoint with "singlePod": true (a Pod, or a
            workload with replicas: 1) may always reach itself unless --self-traffic evaluate; a
            workload of several pods to itself is one replica to another, as the rows say.
            The document has this one shape whatever the cluster's size; --pairs adds "results",
            every ordered pair (endpoints² × ports entries), for small clusters; with --address,
            "addresses" lists them and "addressResults" every pod-address cell.
            """)
        {
            files, ports, output, pairs, addresses, blockAddresses, selfTraffic, hostNetwork,
        };
        foreach (var option in intent.All)
        {
            command.Add(option);
        }

        command.SetAction(result =>
        {
            if (!intent.Validate(result, console))
            {
                return ExitCodes.BadInput;
            }

            if (!TryReadPairs(result, pairs, console, out var listPairs))
            {
                return ExitCodes.BadInput;
            }

            if (listPairs && result.GetValue(output) != "json")
            {
                console.Error.WriteLine($"npgen matrix: --pairs adds the list of every pair to -o json; -o {result.GetValue(output)} lists every pair already");
                return ExitCodes.BadInput;
            }

            if (!TryReadAddresses(result.GetValue(addresses) ?? [], console, out var outside))
            {
                return ExitCodes.BadInput;
            }

            var probes = new List<PortProbe>();
            foreach (var text in result.GetValue(ports) ?? [])
            {
                if (!PortProbe.TryParse(text, out var probe))
                {
                    console.Error.WriteLine($"npgen matrix: --port \"{text}\" is not a port; write N or N/TCP, N/UDP, N/SCTP with N from 1 to 65535 (e.g. --port 53/UDP)");
                    return ExitCodes.BadInput;
                }

                if (!probes.Contains(probe))
                {
                    probes.Add(probe);
                }
            }

            ReachabilityMatrix matrix;
            var timings = new StageTimings();
            using (var progress = ProgressReporter.Start("matrix", console))
            {
                var evaluator = CommonOptions.LoadEvaluator(console, result, files, selfTraffic, hostNetwork, timings, progress, intent);
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
            if (result.GetValue(blockAddresses))
            {
                outside.AddRange(ReachabilityGrid.IpBlockAddresses(matrix.Evaluator.Cluster));
            }

            // An address of a pod is that pod (S11.3), already a row and a column.
            var podAddresses = endpoints.SelectMany(e => e.Addresses).ToHashSet();
            var grid = ReachabilityGrid.Create(matrix, outside.Where(a => !podAddresses.Contains(a)).Distinct());
            switch (result.GetValue(output))
            {
                case "json":
                    WriteJson(grid, endpoints, listPairs, console);
                    break;
                case "csv":
                    console.Out.Write(Csv(grid));
                    break;
                case "md":
                    console.Out.Write(Markdown(grid));
                    break;
                case "dot" or "mermaid" or "svg":
                    var drawn = GraphCommand.Write(PolicyGen.Review.MatrixGraph.Build(matrix, "matrix"), result.GetValue(output)!, "matrix", console);
                    if (drawn != ExitCodes.Ok)
                    {
                        return drawn;
                    }

                    break;
                default:
                    console.Out.Write(Table(grid));
                    break;
            }

            timings.Lap("write output");
            timings.PrintIfEnabled(console);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The <c>--address</c> values as addresses, or an error naming the first that is not one.
    /// Kept out of <see cref="Create"/> so its action stays under the complexity limit (CA1502).
    /// </summary>
    private static bool TryReadAddresses(string[] texts, CommandConsole console, out List<IPAddress> outside)
    {
        outside = [];
        foreach (var text in texts)
        {
            if (!IpAddressText.TryParse(text, out var address))
            {
                console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.MatrixBadAddress, $"--address \"{text}\" is not an IP address", null, "write an IPv4 or IPv6 address, e.g. --address 203.0.113.7"));
                return false;
            }

            outside.Add(address);
        }

        return true;
    }

    /// <summary>
    /// <c>--pairs</c> alone or <c>--pairs true|false</c>; the values of the old size-dependent option
    /// still read where they mean the same (always, never). <c>auto</c> chose the shape by the
    /// cluster's size, which the one-shape rule ends: an error that says what to write instead.
    /// </summary>
    private static bool TryReadPairs(ParseResult result, Option<string?> option, CommandConsole console, out bool listPairs)
    {
        listPairs = false;
        if (result.GetResult(option) is not System.CommandLine.Parsing.OptionResult { Implicit: false } given)
        {
            return true;
        }

        switch (given.Tokens.Count == 0 ? "true" : given.Tokens[0].Value)
        {
            case "true" or "always":
                listPairs = true;
                return true;
            case "false" or "never":
                return true;
            case "auto":
                console.Error.WriteLine("npgen matrix: --pairs auto is gone: -o json now has one shape whatever the cluster's size (the grouped form); add --pairs to list every pair as well, or leave it out");
                return false;
            case var other:
                console.Error.WriteLine($"npgen matrix: --pairs takes no value (or true/false), not \"{other}\"; write --pairs to list every pair in -o json");
                return false;
        }
    }

    private static void WriteJson(ReachabilityGrid grid, IReadOnlyList<Endpoint> endpoints, bool listPairs, CommandConsole console)
        => JsonText.WriteTo(console.OpenStandardOutput(), writer =>
        {
            var matrix = grid.Matrix;
            writer.WriteStartObject();
            ReportDocument.WriteHeader(writer, PolicyGen.Output.ReportKinds.Matrix);
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

            if (!grid.Addresses.IsEmpty)
            {
                WriteAddresses(writer, grid);
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

    /// <summary>A row's label: the endpoint with its kind when not a Pod, or the address.</summary>
    private static string RowLabel(ReachabilityGrid grid, int index)
        => grid.End(index).Endpoint is { } e ? (e.Kind == "Pod" ? e.Id : $"{e.Id} ({e.Kind})") : grid.End(index).Display;

    private static string Cell(PairVerdict? cell, string allowed, string denied, string none)
        => cell is null ? none : cell.Value.Allowed ? allowed : denied;

    internal static string Table(ReachabilityGrid grid)
    {
        var text = new StringBuilder();
        var all = Enumerable.Range(0, grid.Count).ToList();
        var rowLabels = all.Select(i => RowLabel(grid, i)).ToList();
        var labelWidth = Math.Max("from\\to".Length, rowLabels.DefaultIfEmpty("").Max(l => l.Length)) + 2;
        var widths = all.Select(i => grid.End(i).Display.Length + 2).ToArray();
        for (var p = 0; p < grid.Probes.Count; p++)
        {
            if (p > 0)
            {
                text.Append('\n');
            }

            text.Append($"{grid.Probes[p]}\n");
            text.Append("from\\to".PadRight(labelWidth));
            text.AppendJoin("", all.Select(i => grid.End(i).Display.PadRight(widths[i])));
            TrimLine(text);
            foreach (var f in all)
            {
                text.Append(rowLabels[f].PadRight(labelWidth));
                foreach (var t in all)
                {
                    text.Append(Cell(grid.Get(p, f, t), ".", "X", "-").PadRight(widths[t]));
                }

                TrimLine(text);
            }
        }

        if (!grid.Addresses.IsEmpty)
        {
            text.Append("\n'-': between two outside addresses no policy applies.\n");
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

    internal static string Csv(ReachabilityGrid grid)
    {
        var text = new StringBuilder("from,to,port,protocol,allowed,ingress,egress\n");
        for (var p = 0; p < grid.Probes.Count; p++)
        {
            for (var f = 0; f < grid.Count; f++)
            {
                for (var t = 0; t < grid.Count; t++)
                {
                    if (grid.Get(p, f, t) is not { } cell)
                    {
                        continue;
                    }

                    text.Append($"{grid.End(f).Display},{grid.End(t).Display},{grid.Probes[p].Port},{grid.Probes[p].Protocol},{Bool(cell.Allowed)},{Bool(cell.Ingress)},{Bool(cell.Egress)}\n");
                }
            }
        }

        return text.ToString();

        static string Bool(bool value) => value ? "true" : "false";
    }

    internal static string Markdown(ReachabilityGrid grid)
    {
        var text = new StringBuilder();
        var all = Enumerable.Range(0, grid.Count).ToList();
        for (var p = 0; p < grid.Probes.Count; p++)
        {
            text.Append($"{(p > 0 ? "\n" : "")}### {grid.Probes[p]}\n\n");
            text.Append("| from \\ to | ").AppendJoin(" | ", all.Select(i => grid.End(i).Display)).Append(" |\n");
            text.Append("|---|").Append(string.Concat(all.Select(_ => "---|"))).Append('\n');
            foreach (var f in all)
            {
                text.Append($"| {grid.End(f).Display} |");
                foreach (var t in all)
                {
                    text.Append(' ').Append(Cell(grid.Get(p, f, t), ".", "X", "-")).Append(" |");
                }

                text.Append('\n');
            }
        }

        return text.Append("\n`.` allowed, `X` denied; rows are clients (from), columns servers (to)"
            + (grid.Addresses.IsEmpty ? "" : "; `-` between two outside addresses, where no policy applies") + ".\n").ToString();
    }

    /// <summary>The outside addresses, and every cell between a pod and an address (S11: only the pod's side applies).</summary>
    private static void WriteAddresses(Utf8JsonWriter writer, ReachabilityGrid grid)
    {
        writer.WriteStartArray("addresses");
        foreach (var address in grid.Addresses)
        {
            writer.WriteStringValue(address.ToString());
        }

        writer.WriteEndArray();
        writer.WriteStartArray("addressResults");
        for (var p = 0; p < grid.Probes.Count; p++)
        {
            for (var f = 0; f < grid.Count; f++)
            {
                for (var t = 0; t < grid.Count; t++)
                {
                    if (!grid.IsAddress(f) && !grid.IsAddress(t) || grid.Get(p, f, t) is not { } cell)
                    {
                        continue;
                    }

                    writer.WriteStartObject();
                    writer.WriteString("from", grid.End(f).Display);
                    writer.WriteString("to", grid.End(t).Display);
                    writer.WriteNumber("port", grid.Probes[p].Port);
                    writer.WriteString("protocol", grid.Probes[p].Protocol.ToString());
                    writer.WriteBoolean("allowed", cell.Allowed);
                    writer.WriteBoolean("ingress", cell.Ingress);
                    writer.WriteBoolean("egress", cell.Egress);
                    writer.WriteEndObject();
                }
            }
        }

        writer.WriteEndArray();
    }
}
