using System.Collections.Immutable;
using PolicyGen.Evaluation;
using PolicyGen.Intent;

namespace PolicyGen.Verify;

/// <summary>
/// For each distinct peer of the intent, the witnesses it matches, as a bitset over
/// <see cref="WitnessWorld.Witnesses"/>, computed once. Peers are numbered so that callers key
/// their own caches by numbers instead of rebuilt text.
/// </summary>
internal sealed class PeerWitnessSets(WitnessWorld world)
{
    /// <summary>Each distinct peer (by kind and display) numbered once.</summary>
    private readonly Dictionary<string, int> peerIds = new(StringComparer.Ordinal);
    private readonly List<Peer> peerById = [];
    private readonly List<Bitset?> setById = [];

    /// <summary>Pod witnesses by namespace, by namespace and label, and the address witnesses: built on first use.</summary>
    private Dictionary<string, List<int>>? byNamespace;
    private Dictionary<(string Namespace, string Key, string Value), List<int>>? byLabel;
    private List<int>? addresses;

    /// <summary>The number of a peer; equal peers (same kind, same display) share one.</summary>
    public int IdOf(Peer peer)
    {
        var key = peer.GetType().Name + ":" + peer.Display();
        if (!peerIds.TryGetValue(key, out var id))
        {
            peerIds[key] = id = peerById.Count;
            peerById.Add(peer);
        }

        return id;
    }

    /// <summary>The witnesses the peer numbered <paramref name="id"/> matches.</summary>
    public Bitset Matching(int id)
    {
        while (setById.Count <= id)
        {
            setById.Add(null);
        }

        return setById[id] ??= Compute(peerById[id]);
    }

    private Bitset Compute(Peer peer)
    {
        var set = new Bitset(world.Witnesses.Length);
        foreach (var w in Candidates(peer))
        {
            if (PeerMatching.Matches(peer, world.Witnesses[w], world))
            {
                set.Set(w);
            }
        }

        return set;
    }

    /// <summary>
    /// The witnesses a peer could match: a peer naming one namespace can only match pods there,
    /// a network only addresses. Narrowing first keeps 10,000 app peers from scanning every witness.
    /// </summary>
    private IEnumerable<int> Candidates(Peer peer)
    {
        if (byNamespace is null)
        {
            Index();
        }

        var (ns, podLabels) = peer switch
        {
            AppPeer a => world.AppsByName.TryGetValue(a.App, out var app) ? (app.Namespace, app.Selector) : (null, null),
            NamespacePeer n => (n.Namespace, n.PodLabels),
            IngressControllerPeer => (world.Intent.IngressController.Namespace, world.Intent.IngressController.PodLabels),
            _ => ((string?)null, (ImmutableSortedDictionary<string, string>?)null),
        };
        if (ns is not null)
        {
            return podLabels is { Count: > 0 } ? Labelled(ns, podLabels) : byNamespace!.GetValueOrDefault(ns, []);
        }

        if (peer is NamespaceLabelsPeer labelled)
        {
            // Only pods match, and only in namespaces carrying the labels: test each namespace once, not every witness.
            return NamespacesLabelled(labelled.Labels);
        }

        return peer is NetworkPeer or ApiServerPeer ? addresses! : Enumerable.Range(0, world.Witnesses.Length);
    }

    private void Index()
    {
        byNamespace = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        byLabel = [];
        addresses = [];
        for (var w = 0; w < world.Witnesses.Length; w++)
        {
            if (world.Witnesses[w].Pod is { } pod)
            {
                if (!byNamespace.TryGetValue(pod.Namespace, out var list))
                {
                    byNamespace[pod.Namespace] = list = [];
                }

                list.Add(w);
                foreach (var (key, value) in pod.Labels)
                {
                    if (!byLabel.TryGetValue((pod.Namespace, key, value), out var labelled))
                    {
                        byLabel[(pod.Namespace, key, value)] = labelled = [];
                    }

                    labelled.Add(w);
                }
            }
            else
            {
                addresses.Add(w);
            }
        }
    }

    /// <summary>
    /// The pods of a namespace that carry the rarest of the labels a selector requires: every pod the
    /// selector matches carries them all, so at 10,000 apps an app's peer tests its own few pods,
    /// not every pod of its namespace.
    /// </summary>
    /// <remarks>Sorted, not read-only dictionary: its struct enumerator allocates nothing, the interface's allocated per peer.</remarks>
    private List<int> Labelled(string ns, ImmutableSortedDictionary<string, string> podLabels)
    {
        List<int>? narrowest = null;
        foreach (var (key, value) in podLabels)
        {
            var pods = byLabel!.GetValueOrDefault((ns, key, value));
            if (pods is null)
            {
                return [];
            }

            if (narrowest is null || pods.Count < narrowest.Count)
            {
                narrowest = pods;
            }
        }

        return narrowest!;
    }

    private IEnumerable<int> NamespacesLabelled(ImmutableSortedDictionary<string, string> labels)
    {
        foreach (var (ns, members) in byNamespace!)
        {
            if (PeerMatching.HasLabels(world.NamespaceLabels[ns], labels))
            {
                foreach (var w in members)
                {
                    yield return w;
                }
            }
        }
    }
}
