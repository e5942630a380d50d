using System.Collections.Immutable;

namespace PolicyGen.Model;

/// <summary>
/// A subject, <c>from</c> or <c>to</c> entry of a cluster policy. The API wants exactly one field
/// set; <see cref="FieldCount"/> keeps how many were written so validation can say so (S18.7).
/// </summary>
public sealed record ClusterPolicyPeer
{
    public LabelSelector? Namespaces { get; init; }
    public NamespacedPods? Pods { get; init; }

    /// <summary>Egress only: nodes by label; matches their <c>status.addresses</c>.</summary>
    public LabelSelector? Nodes { get; init; }

    /// <summary>Egress only: CIDRs, matched against every address, pod IPs included.</summary>
    public ImmutableArray<string>? Networks { get; init; }

    /// <summary>Egress only (ANP and CNP): DNS names; npgen cannot resolve them, so they match no address it knows.</summary>
    public ImmutableArray<string>? DomainNames { get; init; }

    /// <summary>How many of the fields above were written (the API wants exactly one).</summary>
    public int FieldCount { get; init; }
}
