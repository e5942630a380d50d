using System.Collections.Immutable;
using PolicyGen.Model;

namespace PolicyGen.Review.Import;

/// <summary>
/// One (peer, ports) pair of one rule of an app's policy: an ingress rule <c>from: [a, b]</c> is
/// two grants with the same ports, as the intent writes one rule per peer.
/// </summary>
public sealed record ImportedGrant(ImportedApp Owner, PolicyDirection Direction, ImportedPeer Peer, ImmutableArray<ImportedPort> Ports, NetworkPolicy Policy, string Field)
{
    public string PortsKey => string.Join(",", Ports.Select(p => p.Key).Order(StringComparer.Ordinal));
}
