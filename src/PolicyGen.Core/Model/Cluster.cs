using System.Collections.Immutable;

namespace PolicyGen.Model;

/// <summary>Everything read from the manifests: the world the evaluator reasons about (S1.1).</summary>
public sealed record Cluster
{
    public ImmutableArray<Namespace> Namespaces { get; init; } = [];
    public ImmutableArray<Endpoint> Endpoints { get; init; } = [];
    public ImmutableArray<NetworkPolicy> Policies { get; init; } = [];

    /// <summary>AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects (S18), sorted by kind and name.</summary>
    public ImmutableArray<ClusterPolicy> ClusterPolicies { get; init; } = [];

    /// <summary>Nodes, read for <c>nodes</c> egress peers of cluster policies (S18.6).</summary>
    public ImmutableArray<ClusterNode> Nodes { get; init; } = [];
}
