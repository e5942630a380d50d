using System.Collections.Immutable;
using System.Runtime.InteropServices;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// The reachability the intent means, computed from its edges without the templates or the
/// evaluator: for each port, the witnesses each app's isolated side lets through, as bitsets.
/// </summary>
/// <remarks>
/// The layers that isolate a pod and what they let through: the app's own edges, its namespace's
/// namespace-wide edges, and the default deny of a managed namespace. A new policy layer adds its
/// isolation and edges in <see cref="Rows"/> (and its witnesses in <see cref="WitnessWorldBuilder"/>).
/// </remarks>
internal sealed class IntentMeaning(NetworkIntent intent, ImmutableArray<AppConnectivity> apps, WitnessWorld world)
{
    private readonly Dictionary<string, AppConnectivity> byApp = apps.ToDictionary(a => a.App.Name, StringComparer.Ordinal);

    /// <summary>The namespace-wide rules, which every pod of their namespace gets, pods of no app included.</summary>
    private readonly Dictionary<string, NamespaceConnectivity> byNamespaceWide = NamespaceConnectivity.Of(intent).ToDictionary(n => n.Namespace.Name, StringComparer.Ordinal);

    /// <summary>
    /// Per app, its edges and its namespace's namespace-wide edges in one list (policies add up),
    /// built once: the unions are cached by list.
    /// </summary>
    private readonly Dictionary<string, (ImmutableArray<Edge> Inbound, ImmutableArray<Edge> Outbound)> appEdges = new(StringComparer.Ordinal);

    private readonly PeerWitnessSets peers = new(world);

    /// <summary>Per edge list (by its array, which each app's connectivity holds once), the numbers of its peers.</summary>
    private readonly Dictionary<Edge[], int[]> edgePeerIds = new(ReferenceEqualityComparer.Instance);

    /// <summary>Unions of peer sets, keyed by the numbers of the peers they join.</summary>
    private readonly Dictionary<string, Bitset> unions = new(StringComparer.Ordinal);

    /// <summary>
    /// Per witness, what isolates each side and which edges let traffic through (default: an
    /// address, or a side nothing isolates), worked out once for every probe.
    /// </summary>
    private (Side Egress, Side Ingress)[]? sides;

    /// <summary>The unions of this probe, per edge list (by its array): an app's pods share them.</summary>
    private readonly Dictionary<Edge[], Bitset> probeUnions = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// For one port: per source witness the destinations its egress allows, and per destination
    /// witness the sources its ingress allows (null: not isolated, everything allowed). Indexes
    /// are positions in <see cref="WitnessWorld.Witnesses"/>.
    /// </summary>
    public (Bitset?[] Egress, Bitset?[] Ingress) Rows(PortProbe probe)
    {
        sides ??= Sides();
        var count = world.Witnesses.Length;
        var egress = new Bitset?[count];
        var ingress = new Bitset?[count];
        var nothing = new Bitset(count);
        probeUnions.Clear();
        for (var w = 0; w < count; w++)
        {
            egress[w] = Row(sides[w].Egress, probe, nothing);
            ingress[w] = Row(sides[w].Ingress, probe, nothing);
        }

        return (egress, ingress);
    }

    private Bitset? Row(Side side, PortProbe probe, Bitset nothing)
    {
        if (!side.Isolated)
        {
            return null;
        }

        if (side.Edges.IsDefault)
        {
            return nothing; // the default deny of a managed namespace, with no namespace-wide rule
        }

        var array = ImmutableCollectionsMarshal.AsArray(side.Edges)!;
        if (!probeUnions.TryGetValue(array, out var set))
        {
            probeUnions[array] = set = Union(side.Edges, probe);
        }

        return set;
    }

    /// <summary>What isolates each witness's sides (the same for every probe).</summary>
    private (Side Egress, Side Ingress)[] Sides()
    {
        var witnesses = world.Witnesses;
        var result = new (Side Egress, Side Ingress)[witnesses.Length];
        for (var w = 0; w < witnesses.Length; w++)
        {
            var witness = witnesses[w];
            if (!witness.IsPod)
            {
                continue; // S11: an address has no side of its own.
            }

            if (witness.App is { } app)
            {
                var c = byApp[app.Name];
                var (inbound, outbound) = EdgesOf(c);
                result[w] = (new Side(c.EgressIsolated, outbound), new Side(c.IngressIsolated, inbound));
                continue;
            }

            // A pod of no app: the default deny of a managed namespace and the namespace-wide rules.
            var ns = witness.Pod!.Namespace;
            var managed = intent.IsManaged(ns);
            var wide = byNamespaceWide.GetValueOrDefault(ns);
            result[w] = (
                wide is { EgressIsolated: true } ? new Side(true, wide.Outbound) : new Side(managed && intent.DenyEgress, default),
                wide is { IngressIsolated: true } ? new Side(true, wide.Inbound) : new Side(managed && intent.DenyIngress, default));
        }

        return result;
    }

    /// <summary>One side of a witness: whether it is isolated, and the edges that let through (default: none).</summary>
    private readonly record struct Side(bool Isolated, ImmutableArray<Edge> Edges);

    private (ImmutableArray<Edge> Inbound, ImmutableArray<Edge> Outbound) EdgesOf(AppConnectivity c)
    {
        if (!appEdges.TryGetValue(c.App.Name, out var edges))
        {
            edges = byNamespaceWide.GetValueOrDefault(c.App.Namespace) is { } wide
                ? (c.Inbound.AddRange(wide.Inbound), c.Outbound.AddRange(wide.Outbound))
                : (c.Inbound, c.Outbound);
            appEdges[c.App.Name] = edges;
        }

        return edges;
    }

    private int[] PeerIds(ImmutableArray<Edge> edges)
    {
        var array = ImmutableCollectionsMarshal.AsArray(edges)!;
        if (!edgePeerIds.TryGetValue(array, out var ids))
        {
            ids = new int[edges.Length];
            for (var e = 0; e < edges.Length; e++)
            {
                ids[e] = peers.IdOf(edges[e].Peer);
            }

            edgePeerIds[array] = ids;
        }

        return ids;
    }

    private static bool Carries(Edge edge, PortProbe probe)
    {
        if (edge.Ports.IsEmpty)
        {
            return true;
        }

        foreach (var range in edge.Ports)
        {
            if (range.Contains(probe.Protocol, probe.Port))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The union of the peer sets of the edges that carry the probe; equal selections (the same peers in the same order) share one set.</summary>
    private Bitset Union(ImmutableArray<Edge> edges, PortProbe probe)
    {
        var ids = PeerIds(edges);
        var buffer = edges.Length <= 64 ? stackalloc char[edges.Length * 2] : new char[edges.Length * 2];
        var length = 0;
        for (var e = 0; e < edges.Length; e++)
        {
            if (Carries(edges[e], probe))
            {
                buffer[length++] = (char)(ids[e] >> 16);
                buffer[length++] = (char)ids[e];
            }
        }

        var key = new string(buffer[..length]);
        if (!unions.TryGetValue(key, out var set))
        {
            set = new Bitset(world.Witnesses.Length);
            for (var e = 0; e < edges.Length; e++)
            {
                if (Carries(edges[e], probe))
                {
                    set.Or(peers.Matching(ids[e]));
                }
            }

            unions[key] = set;
        }

        return set;
    }
}
