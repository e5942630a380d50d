using System.Net.Sockets;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>The facts a cluster rule looks at: the peer (an identity, or -1 and an address), the port, and the destination whose named ports count.</summary>
internal readonly record struct ClusterRuleProbe(int PeerIdentity, AddressFamily PeerFamily, UInt128 PeerAddress, Protocol Protocol, int Port, Identity? Destination);
