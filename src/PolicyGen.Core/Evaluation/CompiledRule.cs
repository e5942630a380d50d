using System.Net.Sockets;

namespace PolicyGen.Evaluation;

/// <summary>
/// One ingress or egress rule with its peers resolved to identities. <see cref="AllPeers"/> is an
/// empty peer list: every pod and every external address (S4.2).
/// </summary>
internal sealed class CompiledRule(int index, bool allPeers, IdentitySet peerIdentities, CompiledIpBlock[] ipBlocks, PortMatcher ports)
{
    public int Index { get; } = index;
    public bool AllPeers { get; } = allPeers;

    /// <summary>Identities the peers match: selector matches and pods whose IP an ipBlock covers (S5, S6.2).</summary>
    public IdentitySet PeerIdentities { get; } = peerIdentities;

    public CompiledIpBlock[] IpBlocks { get; } = ipBlocks;
    public PortMatcher Ports { get; } = ports;

    /// <summary>S11: an external address is a peer only through an ipBlock or an empty peer list.</summary>
    public bool MatchesExternal(AddressFamily family, UInt128 address)
    {
        if (AllPeers)
        {
            return true;
        }

        foreach (var block in IpBlocks)
        {
            if (block.Contains(family, address))
            {
                return true;
            }
        }

        return false;
    }
}
