using System.Collections.Immutable;
using PolicyGen.Intent;

namespace PolicyGen.Verify;

/// <summary>Whether a peer as the intent writes it matches a witness: the intent's meaning of each peer kind, without the templates.</summary>
internal static class PeerMatching
{
    public static bool Matches(Peer peer, Witness witness, WitnessWorld world)
    {
        var intent = world.Intent;
        var pod = witness.Pod;
        switch (peer)
        {
            case AnywherePeer:
                return true;
            case AppPeer a when pod is not null:
                var app = world.AppsByName[a.App];
                return pod.Namespace == app.Namespace && HasLabels(pod.Labels, app.Selector);
            case NamespacePeer n when pod is not null:
                return pod.Namespace == n.Namespace && (n.PodLabels is null || HasLabels(pod.Labels, n.PodLabels));
            case NamespaceLabelsPeer l when pod is not null:
                return HasLabels(world.NamespaceLabels[pod.Namespace], l.Labels) && (l.PodLabels is null || HasLabels(pod.Labels, l.PodLabels));
            case IngressControllerPeer when pod is not null:
                return pod.Namespace == intent.IngressController.Namespace && HasLabels(pod.Labels, intent.IngressController.PodLabels);
            case NetworkPeer net when witness.Address is { } address:
                return intent.FindNetwork(net.Network)!.Blocks.Any(b => b.Contains(address));
            case ApiServerPeer when witness.Address is { } address:
                return intent.ApiServer!.Blocks.Any(b => b.Contains(address));
            default:
                return false;
        }
    }

    /// <summary>Whether <paramref name="labels"/> holds every label of <paramref name="required"/> with the same value.</summary>
    /// <remarks>
    /// Walks the sorted selector with its struct enumerator: through the interface (LINQ's All) each
    /// call allocated an enumerator and its stack, which at 10,000 apps was most of the proof's time.
    /// </remarks>
    public static bool HasLabels(IReadOnlyDictionary<string, string> labels, ImmutableSortedDictionary<string, string> required)
    {
        foreach (var (key, value) in required)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }
}
