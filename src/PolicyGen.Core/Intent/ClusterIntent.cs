using System.Collections.Immutable;
using PolicyGen.Model;

namespace PolicyGen.Intent;

/// <summary>
/// <c>spec.cluster</c>: what a platform team sets once for the whole cluster, emitted as
/// cluster-scoped policy (AdminNetworkPolicy/BaselineAdminNetworkPolicy v1alpha1 or
/// ClusterNetworkPolicy v1alpha2). Covered namespaces are every namespace except the exempt ones,
/// so a namespace created later is covered without a change to the intent.
/// </summary>
public sealed record ClusterIntent
{
    /// <summary>The namespaces a cluster never wants denied by default: the control plane's own.</summary>
    public static readonly ImmutableArray<string> DefaultExemptNamespaces = ["kube-node-lease", "kube-public", "kube-system"];

    /// <summary>Admin-tier priorities start here unless <c>priority</c> says otherwise (0-1000, lower wins).</summary>
    public const int DefaultPriority = 20;

    public required IntentSource Source { get; init; }

    public ClusterOutputKind Output { get; init; } = ClusterOutputKind.AdminNetworkPolicy;

    /// <summary>The first priority the section's admin-tier objects take; each object takes its own number from here up.</summary>
    public int Priority { get; init; } = DefaultPriority;

    public IntentSource? PrioritySource { get; init; }

    /// <summary>Namespaces by name that no cluster-wide policy of this section selects.</summary>
    public ImmutableArray<string> ExemptNamespaces { get; init; } = DefaultExemptNamespaces;

    /// <summary>A namespace carrying any one of these labels (key and value) is exempt too.</summary>
    public ImmutableSortedDictionary<string, string> ExemptLabels { get; init; } = Labels.Empty;

    /// <summary>Baseline tier: pods no NetworkPolicy isolates accept nothing from pods (ingress) and connect nowhere (egress).</summary>
    public bool BaselineDenyIngress { get; init; } = true;

    public bool BaselineDenyEgress { get; init; } = true;

    /// <summary>Admin tier: every covered pod may query the DNS peers (<c>defaults.dns.peers</c>) on 53/UDP and 53/TCP.</summary>
    public bool Dns { get; init; } = true;

    public IntentSource? DnsSource { get; init; }

    public ClusterMonitoring? Monitoring { get; init; }

    /// <summary>Admin tier: no pod of another namespace reaches a pod of these namespaces, whatever a NetworkPolicy says.</summary>
    public ImmutableArray<ProtectedNamespace> Protected { get; init; } = [];

    /// <summary>Whether the section's cluster-wide policies select a namespace of these labels (its name label included).</summary>
    public bool Covers(string ns, IReadOnlyDictionary<string, string> labels)
        => !ExemptNamespaces.Contains(ns, StringComparer.Ordinal)
            && !ExemptLabels.Any(l => labels.TryGetValue(l.Key, out var value) && value == l.Value);

    public bool IsProtected(string ns) => Protected.Any(p => p.Namespace == ns);
}

/// <summary>Which cluster-scoped API the section is written as.</summary>
public enum ClusterOutputKind
{
    /// <summary><c>AdminNetworkPolicy</c> and <c>BaselineAdminNetworkPolicy</c>, <c>policy.networking.k8s.io/v1alpha1</c>.</summary>
    AdminNetworkPolicy,

    /// <summary><c>ClusterNetworkPolicy</c> with tiers Admin and Baseline, <c>policy.networking.k8s.io/v1alpha2</c>.</summary>
    ClusterNetworkPolicy,
}

/// <summary>Admin tier: the monitoring pods may connect to every covered pod on these ports, and every covered pod accepts them.</summary>
public sealed record ClusterMonitoring(Peer From, ImmutableArray<PortRange> Ports, IntentSource Source);

public sealed record ProtectedNamespace(string Namespace, IntentSource Source);
