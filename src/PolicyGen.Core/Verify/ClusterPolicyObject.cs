using System.Collections.Immutable;
using System.Net;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

// A cluster-scoped policy as read back from its rendered YAML (AdminNetworkPolicy and
// BaselineAdminNetworkPolicy v1alpha1, ClusterNetworkPolicy v1alpha2), in the one shape the
// layered proof evaluates. The records only make sense together, so they live in this one file.

/// <summary>Where a cluster-scoped policy is evaluated: before every NetworkPolicy, or only for pods none isolates.</summary>
internal enum ClusterTier
{
    Admin,
    Baseline,
}

/// <summary>A rule's action; v1alpha2's Accept is read as <see cref="Allow"/>.</summary>
internal enum ClusterAction
{
    Allow,
    Deny,
    Pass,
}

internal sealed record ClusterPolicyObject(string Kind, string Name, ClusterTier Tier, int Priority, ClusterSelection Subject,
    ImmutableArray<ClusterRule> Ingress, ImmutableArray<ClusterRule> Egress)
{
    public string Id => $"{Kind}/{Name}";
}

/// <summary>A rule in its written order; <see cref="Ports"/> null is every port.</summary>
internal sealed record ClusterRule(string Name, ClusterAction Action, ImmutableArray<ClusterSelection> Peers, ImmutableArray<PortRange>? Ports)
{
    public bool MatchesPort(int port, Protocol protocol) => Ports is not { } ports || ports.Any(p => p.Contains(protocol, port));
}

/// <summary>Exactly one of: the pods of matching namespaces, pods by namespace AND pod selector, or addresses in CIDRs.</summary>
internal sealed record ClusterSelection(LabelSelector? Namespaces, LabelSelector? PodNamespaces, LabelSelector? Pods, ImmutableArray<Cidr> Networks)
{
    /// <summary>A pod in a namespace with these labels; a pod matches <c>networks</c> by its addresses, as the API says pods' IPs do.</summary>
    public bool MatchesPod(IReadOnlyDictionary<string, string> namespaceLabels, Endpoint pod)
        => (Namespaces?.Matches(namespaceLabels) ?? false)
            || (Pods is not null && PodNamespaces!.Matches(namespaceLabels) && Pods.Matches(pod.Labels))
            || pod.Addresses.Any(MatchesAddress);

    public bool MatchesAddress(IPAddress address) => Networks.Any(n => n.Contains(address));
}
