using System.Collections.Immutable;

namespace PolicyGen.Compile;

// The render model of spec.cluster: what each cluster-scoped policy (AdminNetworkPolicy,
// BaselineAdminNetworkPolicy, ClusterNetworkPolicy) must say before a template writes it. The
// records only make sense together, so they live in this one file as PolicyPlan's do.

/// <summary>One cluster-scoped policy to generate, and the template that renders it.</summary>
public sealed record ClusterPolicyPlan
{
    public required string Template { get; init; }
    public required string ApiVersion { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }

    /// <summary><c>Admin</c> or <c>Baseline</c>: where the policy is evaluated (before or after NetworkPolicy).</summary>
    public required string Tier { get; init; }

    /// <summary>0-1000, lower first; null for a BaselineAdminNetworkPolicy, which has none.</summary>
    public int? Priority { get; init; }

    public required string Intent { get; init; }
    public required string Source { get; init; }
    public string? SyncWave { get; init; }
    public string? Environment { get; init; }
    public ImmutableArray<string> Overlays { get; init; } = [];
    public required ClusterPeerPlan Subject { get; init; }
    public ImmutableArray<ClusterRulePlan> Ingress { get; init; } = [];
    public ImmutableArray<ClusterRulePlan> Egress { get; init; } = [];

    /// <summary>
    /// Cluster-scoped objects have no namespace: <c>-o DIR/</c> writes them under <c>cluster_scoped/</c>,
    /// a folder no namespace can take (a namespace name has no '_'), as <c>&lt;kind&gt;-&lt;name&gt;.yaml</c>.
    /// </summary>
    public string FileName => $"{ClusterFolder}/{Kind.ToLowerInvariant()}-{Name}.yaml";

    public const string ClusterFolder = "cluster_scoped";

    public string Id => $"{Kind}/{Name}";
}

/// <summary>A rule in the order written (order is precedence within a policy): its action, peers and ports (none: every port).</summary>
public sealed record ClusterRulePlan(string Name, string Action, ImmutableArray<ClusterPeerPlan> Peers, ImmutableArray<PortPlan> Ports, string Source);

/// <summary>
/// A subject or peer: <c>namespaces</c> (every pod of the matching namespaces), <c>pods</c> (a
/// namespace selector AND a pod selector), or <c>networks</c> (CIDRs; egress peers only). Exactly one is set.
/// </summary>
public sealed record ClusterPeerPlan(SelectorPlan? Namespaces, SelectorPlan? PodNamespaces, SelectorPlan? Pods, ImmutableArray<string> Networks)
{
    public static ClusterPeerPlan OfNamespaces(SelectorPlan namespaces) => new(namespaces, null, null, []);

    public static ClusterPeerPlan OfPods(SelectorPlan namespaces, SelectorPlan pods) => new(null, namespaces, pods, []);

    public static ClusterPeerPlan OfNetworks(ImmutableArray<string> networks) => new(null, null, null, networks);
}

/// <summary>A label selector: matchLabels and matchExpressions, ANDed; both empty selects everything.</summary>
public sealed record SelectorPlan(ImmutableSortedDictionary<string, string> MatchLabels, ImmutableArray<ExpressionPlan> Expressions)
{
    public static readonly SelectorPlan Everything = new(Model.Labels.Empty, []);

    public static SelectorPlan Of(ImmutableSortedDictionary<string, string> labels) => new(labels, []);
}

public sealed record ExpressionPlan(string Key, string Operator, ImmutableArray<string> Values);
