using System.Net;
using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Oracle;

/// <summary>
/// The naive reading of S18 for the oracle: for one direction of one connection, walk the tier's
/// cluster policies sorted by priority (then kind, then name), check each subject, each rule in
/// order, each peer and each port, and return the first matching rule's action as written. Shares
/// no code with src/PolicyGen.Core/Evaluation.
/// </summary>
internal sealed class NaiveClusterLayers(Cluster cluster, bool hostNetworkIsNode, Func<LabelSelector, IReadOnlyDictionary<string, string>, bool> matches)
{
    private const string NameLabel = "kubernetes.io/metadata.name";

    /// <summary>S18.4: the action text of the first matching rule of the tier, or null when none matches.</summary>
    public string? FirstAction(ClusterPolicyTier tier, Endpoint subject, string direction, Endpoint? peerPod, IPAddress? peerAddress, int port, Protocol protocol, Endpoint? destination)
    {
        var ordered = cluster.ClusterPolicies.Where(p => p.Tier == tier)
            .OrderBy(p => p.Priority ?? int.MaxValue).ThenBy(p => p.Kind).ThenBy(p => p.Name, StringComparer.Ordinal);
        foreach (var policy in ordered)
        {
            if (!Selects(policy.Subject, subject))
            {
                continue;
            }

            foreach (var rule in direction == "Ingress" ? policy.Ingress : policy.Egress)
            {
                if (rule.Peers.Any(peer => PeerMatches(peer, peerPod, peerAddress)) && PortMatches(rule, port, protocol, destination))
                {
                    return rule.ActionText;
                }
            }
        }

        return null;
    }

    /// <summary>S18.5: namespaces, or pods in namespaces; hostNetwork pods are never selected with the node treatment.</summary>
    private bool Selects(ClusterPolicyPeer selector, Endpoint pod)
    {
        if (pod.HostNetwork && hostNetworkIsNode)
        {
            return false;
        }

        var nsLabels = new Dictionary<string, string>(cluster.Namespaces.FirstOrDefault(n => n.Name == pod.Namespace)?.Labels
            ?? Labels.Empty, StringComparer.Ordinal) { [NameLabel] = pod.Namespace };
        if (selector.Namespaces is { } ns)
        {
            return matches(ns, nsLabels);
        }

        return selector.Pods is { } pods && matches(pods.NamespaceSelector, nsLabels) && matches(pods.PodSelector, pod.Labels);
    }

    /// <summary>S18.6: selectors match pods; networks and node addresses match pod IPs and external addresses.</summary>
    private bool PeerMatches(ClusterPolicyPeer peer, Endpoint? pod, IPAddress? address)
    {
        var addresses = pod is not null ? pod.Addresses.ToArray() : [address!];
        if (peer.Networks is { } networks)
        {
            return addresses.Any(a => networks.Any(n => NaiveEvaluator.InCidr(n, a)));
        }

        if (peer.Nodes is { } nodes)
        {
            return cluster.Nodes.Where(n => matches(nodes, n.Labels)).SelectMany(n => n.Addresses).Any(n => addresses.Contains(n));
        }

        return pod is not null && (peer.Namespaces is not null || peer.Pods is not null) && Selects(peer, pod);
    }

    /// <summary>S18.7: no list is every port; numbers and ranges by protocol (TCP by default); a name by the destination's container port.</summary>
    private static bool PortMatches(ClusterPolicyRule rule, int port, Protocol protocol, Endpoint? destination)
    {
        if (rule.Ports is not { } ports)
        {
            return true;
        }

        foreach (var entry in ports)
        {
            if (entry.Name is { } name)
            {
                if (destination is not null && destination.Ports.Any(c => c.Name == name && c.Protocol == protocol && c.Port == port))
                {
                    return true;
                }
            }
            else if ((entry.Protocol ?? "TCP") == protocol.ToString() && (entry.Start is null || (port >= entry.Start && port <= (entry.End ?? entry.Start))))
            {
                return true;
            }
        }

        return false;
    }
}
