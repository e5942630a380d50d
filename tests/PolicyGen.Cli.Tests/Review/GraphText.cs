using System.Text.RegularExpressions;

namespace PolicyGen.Cli.Tests.Review;

/// <summary>
/// Reads back the structure of npgen's dot and Mermaid output (nodes with their labels and
/// namespace frame, edges with their labels), so tests assert on the picture, not on text.
/// </summary>
public sealed partial record GraphText(Dictionary<string, (string Label, string? Frame, string Style)> Nodes, List<(string From, string To, string Label)> Edges)
{
    public (string From, string To, string Label)? Edge(string from, string to)
        => Edges.Where(e => e.From == from && e.To == to).Select(e => ((string, string, string)?)e).FirstOrDefault();

    public static GraphText FromDot(string dot)
    {
        var nodes = new Dictionary<string, (string, string?, string)>();
        var edges = new List<(string, string, string)>();
        string? frame = null;
        var ids = new Dictionary<string, string>();
        foreach (var line in dot.Split('\n'))
        {
            if (DotCluster().Match(line) is { Success: true } cluster)
            {
                frame = cluster.Groups[1].Value;
            }
            else if (line.Trim() == "}")
            {
                frame = null;
            }
            else if (DotNode().Match(line) is { Success: true } node && !node.Groups[1].Value.StartsWith("legend", StringComparison.Ordinal))
            {
                var label = Unescape(node.Groups[2].Value);
                ids[node.Groups[1].Value] = label;
                nodes[label] = (label, frame, node.Groups[3].Value);
            }
            else if (DotEdge().Match(line) is { Success: true } edge)
            {
                edges.Add((ids[edge.Groups[1].Value], ids[edge.Groups[2].Value], Unescape(edge.Groups[3].Value)));
            }
        }

        return new GraphText(nodes, edges);

        static string Unescape(string text) => text.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal);
    }

    /// <summary>
    /// Checks Mermaid flowchart syntax as far as npgen writes it (no Mermaid CLI here): the header,
    /// balanced subgraph/end, quoted labels, every edge between declared nodes, every class defined;
    /// returns the structure.
    /// </summary>
    public static GraphText FromMermaid(string mermaid)
    {
        var lines = mermaid.TrimEnd('\n').Split('\n');
        Assert.Equal("flowchart LR", lines[0]);
        var nodes = new Dictionary<string, (string, string?, string)>();
        var ids = new Dictionary<string, string>();
        var edges = new List<(string, string, string)>();
        var classes = new HashSet<string>();
        var defined = new HashSet<string>();
        string? frame = null;
        var depth = 0;
        foreach (var line in lines.Skip(1))
        {
            if (MermaidSubgraph().Match(line) is { Success: true } subgraph)
            {
                depth++;
                Assert.True(depth == 1, $"nested subgraph: {line}");
                frame = subgraph.Groups[1].Value;
            }
            else if (line.Trim() == "end")
            {
                depth--;
                Assert.True(depth == 0, $"end without subgraph: {line}");
                frame = null;
            }
            else if (MermaidNode().Match(line) is { Success: true } node)
            {
                classes.Add(node.Groups[3].Value);
                if (!node.Groups[1].Value.StartsWith("legend", StringComparison.Ordinal))
                {
                    var label = Unescape(node.Groups[2].Value);
                    ids[node.Groups[1].Value] = label;
                    nodes[label] = (label, frame?.Replace("namespace ", "", StringComparison.Ordinal), node.Groups[3].Value);
                }
            }
            else if (MermaidEdge().Match(line) is { Success: true } edge)
            {
                Assert.True(ids.ContainsKey(edge.Groups[1].Value) && ids.ContainsKey(edge.Groups[3].Value), $"edge between undeclared nodes: {line}");
                edges.Add((ids[edge.Groups[1].Value], ids[edge.Groups[3].Value], Unescape(edge.Groups[2].Value)));
            }
            else if (MermaidClassDef().Match(line) is { Success: true } classDef)
            {
                defined.Add(classDef.Groups[1].Value);
            }
            else
            {
                Assert.Fail($"not a Mermaid statement npgen writes: \"{line}\"");
            }
        }

        Assert.Equal(0, depth);
        Assert.Subset(defined, classes);
        return new GraphText(nodes, edges);

        static string Unescape(string text) => text.Replace("<br/>", "\n", StringComparison.Ordinal).Replace("#quot;", "\"", StringComparison.Ordinal);
    }

    [GeneratedRegex("""^\s*subgraph "cluster_([^"]+)" \{$""")]
    private static partial Regex DotCluster();

    [GeneratedRegex("""^\s*(\w+) \[label="((?:[^"\\]|\\.)*)", (.*)\];$""")]
    private static partial Regex DotNode();

    [GeneratedRegex("""^\s*(\w+) -> (\w+) \[label="((?:[^"\\]|\\.)*)"\];$""")]
    private static partial Regex DotEdge();

    [GeneratedRegex("""^  subgraph \w+\["([^"]*)"\]$""")]
    private static partial Regex MermaidSubgraph();

    [GeneratedRegex("""^\s*(\w+)(?:\[|\(\[|\[/|\{\{)"([^"]*)"(?:\]|\]\)|/\]|\}\}):::(\w+)$""")]
    private static partial Regex MermaidNode();

    [GeneratedRegex("""^  (\w+) -->\|"([^"]*)"\| (\w+)$""")]
    private static partial Regex MermaidEdge();

    [GeneratedRegex("""^  classDef (\w+) \S.*$""")]
    private static partial Regex MermaidClassDef();
}
