using System.Collections.Immutable;

namespace PolicyGen.Intent;

/// <summary>
/// Merges an environment overlay into a base intent, node by node:
/// mappings merge by key (recursively); the edge lists (<c>calls</c>, <c>ingress</c>, <c>expect</c>)
/// and any list of mappings are extended, however their items are written (<c>calls: [api]</c> and
/// <c>- app: api</c> alike), and an item <c>{remove: ...}</c> deletes the base items whose fields
/// include the given ones; any other list (CIDRs, ports, selector values) is replaced.
/// Every node keeps the location of the file it came from.
/// </summary>
public static class OverlayMerger
{
    /// <summary>Lists of edges and assertions: an overlay adds to them rather than replacing them.</summary>
    private static readonly string[] AppendingLists = ["calls", "ingress", "expect"];

    public static SourceNode Merge(SourceNode baseNode, SourceNode overlay) => Merge(baseNode, overlay, null);

    private static SourceNode Merge(SourceNode baseNode, SourceNode overlay, string? key)
    {
        switch (baseNode, overlay)
        {
            case (MappingNode b, MappingNode o):
                var entries = b.Entries.ToList();
                foreach (var entry in o.Entries)
                {
                    var index = entries.FindIndex(e => e.Key.Value == entry.Key.Value);
                    if (index < 0)
                    {
                        entries.Add(KeyValuePair.Create(entry.Key, WithoutRemovals(entry.Value)));
                    }
                    else
                    {
                        entries[index] = KeyValuePair.Create(entries[index].Key, Merge(entries[index].Value, entry.Value, entry.Key.Value));
                    }
                }

                return b with { Entries = [.. entries] };
            case (SequenceNode b, SequenceNode o) when AppendingLists.Contains(key) || o.Items.Any(i => i is MappingNode) || b.Items.Any(i => i is MappingNode):
                var items = b.Items.ToList();
                foreach (var item in o.Items)
                {
                    if (IsRemoval(item, out var pattern))
                    {
                        items.RemoveAll(existing => Includes(existing, pattern));
                    }
                    else
                    {
                        items.Add(WithoutRemovals(item));
                    }
                }

                return b with { Items = [.. items] };
            default:
                return WithoutRemovals(overlay); // Scalars, scalar lists, and type changes: the overlay wins.
        }
    }

    /// <summary>An item <c>{remove: {...}}</c>, and the fields it matches.</summary>
    private static bool IsRemoval(SourceNode item, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SourceNode? pattern)
    {
        pattern = item is MappingNode { Entries.Length: 1 } m && m.Entries[0].Key.Value == "remove" ? m.Entries[0].Value : null;
        return pattern is not null;
    }

    /// <summary>
    /// Overlay content that has no base counterpart (a new key, a replaced value) is taken as it is,
    /// except its <c>remove:</c> items: there is nothing for them to remove, and they are not data.
    /// </summary>
    private static SourceNode WithoutRemovals(SourceNode node) => node switch
    {
        MappingNode m => m with { Entries = [.. m.Entries.Select(e => KeyValuePair.Create(e.Key, WithoutRemovals(e.Value)))] },
        SequenceNode s => s with { Items = [.. s.Items.Where(i => !IsRemoval(i, out _)).Select(WithoutRemovals)] },
        _ => node,
    };

    /// <summary>Whether <paramref name="node"/> has every field of <paramref name="pattern"/>, with equal values.</summary>
    public static bool Includes(SourceNode node, SourceNode pattern) => (node, pattern) switch
    {
        (ScalarNode n, ScalarNode p) => n.Value == p.Value,
        (MappingNode n, MappingNode p) => p.Entries.All(pe => n[pe.Key.Value] is { } value && Includes(value, pe.Value)),
        (SequenceNode n, SequenceNode p) => n.Items.Length == p.Items.Length && n.Items.Zip(p.Items).All(x => Includes(x.First, x.Second)),
        _ => false,
    };

    /// <summary>Whether an overlay's remove pattern matched nothing (worth telling the user).</summary>
    public static ImmutableArray<SourceNode> UnmatchedRemovals(SourceNode baseNode, SourceNode overlay)
    {
        var result = ImmutableArray.CreateBuilder<SourceNode>();
        Walk(baseNode, overlay);
        return result.ToImmutable();

        void Walk(SourceNode? b, SourceNode o)
        {
            switch (b, o)
            {
                case (_, MappingNode om):
                    foreach (var entry in om.Entries)
                    {
                        Walk((b as MappingNode)?[entry.Key.Value], entry.Value);
                    }

                    break;
                case (_, SequenceNode os):
                    foreach (var item in os.Items)
                    {
                        if (IsRemoval(item, out var pattern))
                        {
                            if (!(b is SequenceNode bs && bs.Items.Any(i => Includes(i, pattern))))
                            {
                                result.Add(item);
                            }
                        }
                        else
                        {
                            Walk(null, item); // appended as it is: a remove: inside has nothing to remove
                        }
                    }

                    break;
            }
        }
    }
}
