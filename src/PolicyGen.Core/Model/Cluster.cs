using System.Collections.Immutable;

namespace PolicyGen.Model;

/// <summary>Everything read from the manifests: the world the evaluator reasons about (S1.1).</summary>
public sealed record Cluster
{
    public ImmutableArray<Namespace> Namespaces { get; init; } = [];
    public ImmutableArray<Endpoint> Endpoints { get; init; } = [];
    public ImmutableArray<NetworkPolicy> Policies { get; init; } = [];
}
