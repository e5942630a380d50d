using System.Collections.Immutable;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Diff;

/// <summary>
/// One side of a diff, loaded: the NetworkPolicies it stands for, the intent they were built from
/// (when the side is an intent), and any namespaces and pods its files also held.
/// </summary>
public sealed record DiffSide
{
    /// <summary>The argument as given (<c>git:origin/main:examples/shop/intents.yaml</c>).</summary>
    public required string Source { get; init; }

    /// <summary><c>intent</c> or <c>policies</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The commit a <c>git:</c> side was read from.</summary>
    public string? Commit { get; init; }

    public string? Environment { get; init; }

    public NetworkIntent? Intent { get; init; }

    public ImmutableArray<AppConnectivity> Apps { get; init; } = [];

    public ImmutableArray<NetworkPolicy> Policies { get; init; } = [];

    /// <summary>Namespaces and pods found next to the policies (a <c>kubectl get -o yaml</c> dump): they join the witnesses.</summary>
    public Cluster Workloads { get; init; } = new();
}
