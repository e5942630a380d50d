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
    /// For one port: per source witness the destinations its egress allows, and per destination
    /// witness the sources its ingress allows (null: not isolated, everything allowed). Indexes
    /// are positions in <see cref="WitnessWorld.Witnesses"/>.
    /// </summary>
    public (Bitset?[] Egress, Bitset?[] Ingress) Rows(PortProbe probe)
    {
        var witnesses = world.Witnesses;
        var egress = new Bitset?[witnesses.Length];
        var ingress = new Bitset?[witnesses.Length];
        var nothing = new Bitset(witnesses.Length);
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
                egress[w] = c.EgressIsolated ? Union(outbound, probe) : null;
                ingress[w] = c.IngressIsolated ? Union(inbound, probe) : null;
                continue;
            }

            // A pod of no app: the default deny of a managed namespace and the namespace-wide rules.
            var ns = witness.Pod!.Namespace;
            var managed = intent.IsManaged(ns);
            var wide = byNamespaceWide.GetValueOrDefault(ns);
            if ((managed && intent.DenyEgress) || wide is { EgressIsolated: true })
            {
                egress[w] = wide is { EgressIsolated: true } ? Union(wide.Outbound, probe) : nothing;
            }

            if ((managed && intent.DenyIngress) || wide is { IngressIsolated: true })
            {
                ingress[w] = wide is { IngressIsolated: true } ? Union(wide.Inbound, probe) : nothing;
            }
        }

        return (egress, ingress);
    }

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
