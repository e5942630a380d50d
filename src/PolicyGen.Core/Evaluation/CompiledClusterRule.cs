using System.Net.Sockets;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// One cluster policy rule with its peers resolved to identities (selector peers, and pods whose IP a
/// <c>networks</c> CIDR or a selected node's address covers) and to address blocks for external ends.
/// A rule whose action the kind does not accept (rejected by validation) has a null action and matches nothing.
/// </summary>
internal sealed class CompiledClusterRule(int index, ClusterPolicyRule source, ClusterPolicyAction? action, IdentitySet peerIdentities,
    CompiledIpBlock[] addressBlocks, PortMatcher ports)
{
    public int Index { get; } = index;
    public ClusterPolicyRule Source { get; } = source;
    public ClusterPolicyAction? Action { get; } = action;
    public IdentitySet PeerIdentities { get; } = peerIdentities;
    public CompiledIpBlock[] AddressBlocks { get; } = addressBlocks;
    public PortMatcher Ports { get; } = ports;

    /// <summary>S18.6: the peer part for a pod (by identity) or an external address (by the address blocks only).</summary>
    public bool MatchesPeer(in ClusterRuleProbe probe)
    {
        if (probe.PeerIdentity >= 0)
        {
            return PeerIdentities.Contains(probe.PeerIdentity);
        }

        foreach (var block in AddressBlocks)
        {
            if (block.Contains(probe.PeerFamily, probe.PeerAddress))
            {
                return true;
            }
        }

        return false;
    }

    public bool Matches(in ClusterRuleProbe probe)
        => Action is not null && MatchesPeer(probe) && Ports.Matches(probe.Protocol, probe.Port, probe.Destination);
}
