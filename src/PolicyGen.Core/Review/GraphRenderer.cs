using System.Text;

namespace PolicyGen.Review;

/// <summary>
/// Draws a <see cref="ConnectivityGraph"/> as Graphviz dot (render with <c>dot -Tsvg</c>) or as a
/// Mermaid flowchart (renders in GitHub and GitLab Markdown). Namespaces are frames (dot clusters,
/// Mermaid subgraphs); every label from the input is escaped for the target language; a legend
/// explains the shapes.
/// </summary>
public static class GraphRenderer
{
    private static readonly GraphNodeKind[] LegendOrder =
        [GraphNodeKind.Isolated, GraphNodeKind.IngressIsolated, GraphNodeKind.EgressIsolated, GraphNodeKind.Open, GraphNodeKind.Peer, GraphNodeKind.Network, GraphNodeKind.Preset];

    public static string LegendText(GraphNodeKind kind) => kind switch
    {
        GraphNodeKind.Isolated => "isolated: only the drawn flows",
        GraphNodeKind.IngressIsolated => "isolated for ingress only: may call anything",
        GraphNodeKind.EgressIsolated => "isolated for egress only: anything may call it",
        GraphNodeKind.Open => "open: no policy isolates it",
        GraphNodeKind.Peer => "pods a rule selects by labels",
        GraphNodeKind.Network => "outside addresses",
        _ => "preset (ingress controller, API server, DNS)",
    };

    public static string Dot(ConnectivityGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var ids = Ids(graph);
        var text = new StringBuilder();
        text.Append($"digraph {DotString(graph.Title)} {{\n");
        text.Append("  rankdir=LR;\n  compound=true;\n  fontname=\"Helvetica\";\n");
        text.Append("  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
        foreach (var group in graph.Nodes.GroupBy(n => n.Namespace))
        {
            var indent = "  ";
            if (group.Key is { } ns)
            {
                text.Append($"  subgraph {DotString("cluster_" + ns)} {{\n    label={DotString("namespace " + ns)};\n    style=\"rounded\";\n    color=\"#7f8c8d\";\n");
                indent = "    ";
            }

            foreach (var node in group)
            {
                text.Append($"{indent}{ids[node.Key]} [label={DotString(node.Label)}, {DotStyle(node.Kind)}];\n");
            }

            if (group.Key is not null)
            {
                text.Append("  }\n");
            }
        }

        foreach (var edge in graph.Edges)
        {
            text.Append($"  {ids[edge.From]} -> {ids[edge.To]} [label={DotString(edge.Ports)}];\n");
        }

        var kinds = UsedKinds(graph);
        if (kinds.Count > 0 || graph.Note.Length > 0)
        {
            text.Append("  subgraph cluster_legend {\n    label=\"legend\";\n    style=\"dashed\";\n    color=\"#bdc3c7\";\n");
            var previous = "";
            foreach (var kind in kinds)
            {
                var id = "legend_" + kind.ToString().ToLowerInvariant();
                text.Append($"    {id} [label={DotString(LegendText(kind))}, {DotStyle(kind)}];\n");
                if (previous.Length > 0)
                {
                    text.Append($"    {previous} -> {id} [style=invis];\n");
                }

                previous = id;
            }

            if (graph.Note.Length > 0)
            {
                text.Append($"    legend_note [shape=plaintext, label={DotString(graph.Note)}];\n");
            }

            text.Append("  }\n");
        }

        return text.Append("}\n").ToString();
    }

    public static string Mermaid(ConnectivityGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var ids = Ids(graph);
        var text = new StringBuilder();
        text.Append("flowchart LR\n");
        foreach (var group in graph.Nodes.GroupBy(n => n.Namespace))
        {
            var indent = "  ";
            if (group.Key is { } ns)
            {
                text.Append($"  subgraph ns_{ids[group.First().Key]}[{MermaidString("namespace " + ns)}]\n");
                indent = "    ";
            }

            foreach (var node in group)
            {
                text.Append($"{indent}{ids[node.Key]}{MermaidShape(node.Kind, node.Label)}:::{ClassName(node.Kind)}\n");
            }

            if (group.Key is not null)
            {
                text.Append("  end\n");
            }
        }

        foreach (var edge in graph.Edges)
        {
            text.Append($"  {ids[edge.From]} -->|{MermaidString(edge.Ports)}| {ids[edge.To]}\n");
        }

        var kinds = UsedKinds(graph);
        if (kinds.Count > 0)
        {
            text.Append("  subgraph legend[\"legend\"]\n");
            foreach (var kind in kinds)
            {
                text.Append($"    legend_{ClassName(kind)}{MermaidShape(kind, LegendText(kind))}:::{ClassName(kind)}\n");
            }

            text.Append("  end\n");
        }

        foreach (var kind in LegendOrder)
        {
            text.Append($"  classDef {ClassName(kind)} {MermaidStyle(kind)}\n");
        }

        return text.ToString();
    }

    private static List<GraphNodeKind> UsedKinds(ConnectivityGraph graph)
        => [.. LegendOrder.Where(k => graph.Nodes.Any(n => n.Kind == k))];

    /// <summary>n0, n1, ... in node order: stable ids that no label can break.</summary>
    private static Dictionary<string, string> Ids(ConnectivityGraph graph)
        => graph.Nodes.Select((n, i) => (n.Key, Id: $"n{i}")).ToDictionary(x => x.Key, x => x.Id, StringComparer.Ordinal);

    private static string DotStyle(GraphNodeKind kind) => kind switch
    {
        GraphNodeKind.Isolated => "shape=box, style=\"rounded,filled,bold\", fillcolor=\"#d5f5e3\", color=\"#1e8449\"",
        GraphNodeKind.IngressIsolated => "shape=box, style=\"rounded,filled\", fillcolor=\"#fcf3cf\", color=\"#b7950b\"",
        GraphNodeKind.EgressIsolated => "shape=box, style=\"rounded,filled\", fillcolor=\"#fcf3cf\", color=\"#b7950b\"",
        GraphNodeKind.Open => "shape=box, style=\"rounded,filled,dashed\", fillcolor=\"#fadbd8\", color=\"#c0392b\"",
        GraphNodeKind.Peer => "shape=ellipse, style=\"filled\", fillcolor=\"#eaeded\", color=\"#566573\"",
        GraphNodeKind.Network => "shape=parallelogram, style=\"filled\", fillcolor=\"#d6eaf8\", color=\"#2471a3\"",
        _ => "shape=hexagon, style=\"filled\", fillcolor=\"#e8daef\", color=\"#7d3c98\"",
    };

    private static string MermaidStyle(GraphNodeKind kind) => kind switch
    {
        GraphNodeKind.Isolated => "fill:#d5f5e3,stroke:#1e8449,stroke-width:2px",
        GraphNodeKind.IngressIsolated or GraphNodeKind.EgressIsolated => "fill:#fcf3cf,stroke:#b7950b",
        GraphNodeKind.Open => "fill:#fadbd8,stroke:#c0392b,stroke-dasharray:5 5",
        GraphNodeKind.Peer => "fill:#eaeded,stroke:#566573",
        GraphNodeKind.Network => "fill:#d6eaf8,stroke:#2471a3",
        _ => "fill:#e8daef,stroke:#7d3c98",
    };

    private static string MermaidShape(GraphNodeKind kind, string label) => kind switch
    {
        GraphNodeKind.Peer => $"([{MermaidString(label)}])",
        GraphNodeKind.Network => $"[/{MermaidString(label)}/]",
        GraphNodeKind.Preset => $"{{{{{MermaidString(label)}}}}}",
        _ => $"[{MermaidString(label)}]",
    };

    private static string ClassName(GraphNodeKind kind) => kind switch
    {
        GraphNodeKind.Isolated => "isolated",
        GraphNodeKind.IngressIsolated => "ingressOnly",
        GraphNodeKind.EgressIsolated => "egressOnly",
        GraphNodeKind.Open => "open",
        GraphNodeKind.Peer => "peer",
        GraphNodeKind.Network => "network",
        _ => "preset",
    };

    /// <summary>A dot double-quoted string: quotes and backslashes escaped, line breaks as \n, control characters dropped.</summary>
    private static string DotString(string text)
    {
        var escaped = new StringBuilder("\"");
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => escaped.Append("\\\""),
                '\\' => escaped.Append("\\\\"),
                '\n' => escaped.Append("\\n"),
                _ when char.IsControl(c) => escaped,
                _ => escaped.Append(c),
            };
        }

        return escaped.Append('"').ToString();
    }

    /// <summary>A Mermaid quoted label: characters Mermaid would read as syntax become entity codes, line breaks &lt;br/&gt;.</summary>
    private static string MermaidString(string text)
    {
        var escaped = new StringBuilder("\"");
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => escaped.Append("#quot;"),
                '<' => escaped.Append("#lt;"),
                '>' => escaped.Append("#gt;"),
                '#' => escaped.Append("#35;"),
                '`' => escaped.Append("#96;"),
                '|' => escaped.Append("#124;"),
                '\n' => escaped.Append("<br/>"),
                _ when char.IsControl(c) => escaped,
                _ => escaped.Append(c),
            };
        }

        return escaped.Append('"').ToString();
    }
}
