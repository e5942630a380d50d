using System.Collections.Immutable;

namespace PolicyGen.Review;

/// <summary>
/// Who may connect to whom, as a picture to draw: nodes grouped by namespace, edges labelled with
/// ports. Nodes and edges are sorted, so the same input always draws the same picture.
/// </summary>
public sealed record ConnectivityGraph(string Title, ImmutableArray<GraphNode> Nodes, ImmutableArray<GraphEdge> Edges, string Note)
{
    /// <summary>Sorts nodes (namespace, then label) and edges, and merges edges between the same two nodes.</summary>
    public static ConnectivityGraph Create(string title, IEnumerable<GraphNode> nodes, IEnumerable<GraphEdge> edges, string note)
    {
        var sortedNodes = nodes.DistinctBy(n => n.Key)
            .OrderBy(n => n.Namespace is null ? 1 : 0).ThenBy(n => n.Namespace, StringComparer.Ordinal)
            .ThenBy(n => n.Label, StringComparer.Ordinal).ThenBy(n => n.Key, StringComparer.Ordinal)
            .ToImmutableArray();
        var merged = edges.GroupBy(e => (e.From, e.To))
            .Select(g => new GraphEdge(g.Key.From, g.Key.To, MergePorts(g.Select(e => e.Ports))))
            .OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal)
            .ToImmutableArray();
        return new ConnectivityGraph(title, sortedNodes, merged, note);
    }

    private static string MergePorts(IEnumerable<string> labels)
    {
        var parts = labels.SelectMany(l => l.Split(", ", StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).ToList();
        return parts.Contains("all ports") ? "all ports" : string.Join(", ", parts.Order(StringComparer.Ordinal));
    }
}
