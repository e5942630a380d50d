using System.Collections.Immutable;

namespace PolicyGen.Model;

/// <summary>
/// An ingress or egress rule. An absent list and <c>[]</c> mean the same (every peer, every port:
/// S4.2), so both are stored as empty.
/// </summary>
public sealed record PolicyRule
{
    public ImmutableArray<PolicyPeer> Peers { get; init; } = [];
    public ImmutableArray<PolicyPort> Ports { get; init; } = [];
}
