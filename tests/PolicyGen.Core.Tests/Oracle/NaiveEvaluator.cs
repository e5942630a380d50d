using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Oracle;

/// <summary>
/// The reference evaluator: one connection at a time, straight from docs/semantics.md, in the style
/// of kube-network-policies (every policy of the namespace, every rule, every peer, every port, for
/// every question). It shares no code with src/PolicyGen.Core/Evaluation: only the model records
/// (which the manifest loader fills) are common. It is slow on purpose; the property tests and the
/// speed baseline (goal G8) compare the fast evaluator against it.
/// </summary>
public sealed class NaiveEvaluator
{
    private const string NameLabel = "kubernetes.io/metadata.name";
    private readonly Cluster cluster;
    private readonly bool selfAllowed;
    private readonly bool hostNetworkIsNode;
    private readonly Dictionary<string, Dictionary<string, string>> namespaceLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NetworkPolicy>> policiesByNamespace = new(StringComparer.Ordinal);
    private readonly NaiveClusterLayers layers;

    /// <param name="selfAllowed">S12: a pod's traffic to itself is always allowed (the default).</param>
    /// <param name="hostNetworkIsNode">S13: hostNetwork pods are node traffic (the default).</param>
    public NaiveEvaluator(Cluster cluster, bool selfAllowed = true, bool hostNetworkIsNode = true)
    {
        this.cluster = cluster;
        this.selfAllowed = selfAllowed;
        this.hostNetworkIsNode = hostNetworkIsNode;
        layers = new NaiveClusterLayers(cluster, hostNetworkIsNode, Matches);
        foreach (var ns in cluster.Namespaces)
        {
            // S5.4: the control plane sets the name label, whatever the manifest says.
            var labels = new Dictionary<string, string>(ns.Labels, StringComparer.Ordinal) { [NameLabel] = ns.Name };
            namespaceLabels[ns.Name] = labels;
        }

        foreach (var policy in cluster.Policies)
        {
            if (!policiesByNamespace.TryGetValue(policy.Namespace, out var list))
            {
                policiesByNamespace[policy.Namespace] = list = [];
            }

            list.Add(policy);
        }
    }

    public Cluster Cluster => cluster;

    /// <summary>S8.1 for two endpoints (indexes into Cluster.Endpoints).</summary>
    public (bool Allowed, bool Ingress, bool Egress) Evaluate(int from, int to, int port, Protocol protocol)
    {
        var source = cluster.Endpoints[from];
        var destination = cluster.Endpoints[to];
        // S12, S12.1: a Pod, or a workload written with replicas: 1, is one pod reaching itself; any
        // other workload stands for several pods, so it is evaluated like any pair (replica to replica).
        var onePod = source.Kind == "Pod"
            || (source.Replicas == 1 && source.Kind is "Deployment" or "StatefulSet" or "ReplicaSet" or "ReplicationController");
        if (from == to && selfAllowed && onePod)
        {
            return (true, true, true);
        }

        var egress = Allows(source, "Egress", destination, null, port, protocol);
        var ingress = Allows(destination, "Ingress", source, null, port, protocol);
        return (egress && ingress, ingress, egress);
    }

    /// <summary>S11.1: an external client to a pod: only the destination's ingress applies.</summary>
    public bool FromExternal(IPAddress client, int to, int port, Protocol protocol)
        => Allows(cluster.Endpoints[to], "Ingress", null, client, port, protocol);

    /// <summary>S11.2: a pod to an external address: only the source's egress applies.</summary>
    public bool ToExternal(int from, IPAddress server, int port, Protocol protocol)
        => Allows(cluster.Endpoints[from], "Egress", null, server, port, protocol);

    /// <summary>
    /// One half of S8.1 judged on <paramref name="subject"/> (the destination for Ingress, the source
    /// for Egress): allowed when no policy isolates it (S2) or when some rule of a policy that does
    /// matches the peer and the port (S4).
    /// </summary>
    private bool Allows(Endpoint subject, string direction, Endpoint? peerPod, IPAddress? peerAddress, int port, Protocol protocol)
    {
        if (subject.HostNetwork && hostNetworkIsNode)
        {
            return true; // S13: no podSelector selects a hostNetwork pod (nor a cluster policy subject, S18.5)
        }

        // S18.2: admin tier, then NetworkPolicy, then baseline where NetworkPolicy does not isolate, then allow.
        var destination = direction == "Ingress" ? subject : peerPod;
        var admin = layers.FirstAction(ClusterPolicyTier.Admin, subject, direction, peerPod, peerAddress, port, protocol, destination);
        if (admin is "Allow" or "Accept" or "Deny")
        {
            return admin != "Deny"; // S18.3
        }

        var (isolated, allowed) = NetworkPolicyHalf(subject, direction, peerPod, peerAddress, port, protocol);
        if (isolated)
        {
            return allowed;
        }

        // S18.5: a baseline Pass hands over to the default, which allows.
        return layers.FirstAction(ClusterPolicyTier.Baseline, subject, direction, peerPod, peerAddress, port, protocol, destination) != "Deny";
    }

    /// <summary>S2-S4: whether NetworkPolicy isolates the subject in this direction, and whether some rule allows.</summary>
    private (bool Isolated, bool Allowed) NetworkPolicyHalf(Endpoint subject, string direction, Endpoint? peerPod, IPAddress? peerAddress, int port, Protocol protocol)
    {
        var isolated = false;
        foreach (var policy in policiesByNamespace.GetValueOrDefault(subject.Namespace, []))
        {
            if (!Applies(policy, direction) || !Matches(policy.PodSelector, subject.Labels))
            {
                continue;
            }

            isolated = true; // S2.1
            var rules = direction == "Ingress" ? policy.Ingress : policy.Egress;
            foreach (var rule in rules)
            {
                // S7.4: named ports resolve on the destination: the subject for ingress, the peer for egress.
                var destination = direction == "Ingress" ? subject : peerPod;
                if (PeerMatches(rule, policy.Namespace, peerPod, peerAddress) && PortMatches(rule, port, protocol, destination))
                {
                    return (true, true);
                }
            }
        }

        return (isolated, !isolated);
    }

    /// <summary>S3: policyTypes as written when non-empty, else Ingress plus Egress when there are egress rules.</summary>
    private static bool Applies(NetworkPolicy policy, string direction)
    {
        if (policy.PolicyTypes is { Length: > 0 } types)
        {
            return types.Contains(direction);
        }

        return direction == "Ingress" || policy.Egress.Length > 0;
    }

    /// <summary>S4.2, S5, S6: an empty peer list is everyone; entries are ORed.</summary>
    private bool PeerMatches(PolicyRule rule, string policyNamespace, Endpoint? pod, IPAddress? address)
    {
        if (rule.Peers.IsEmpty)
        {
            return true;
        }

        foreach (var peer in rule.Peers)
        {
            if (peer.IpBlock is { } block)
            {
                // S6.2: pod IPs are matched like any address; S11: external addresses only through ipBlock.
                var addresses = pod is not null ? pod.Addresses.ToArray() : [address!];
                if (addresses.Any(a => InBlock(block, a)))
                {
                    return true;
                }

                continue;
            }

            if (pod is null || (pod.HostNetwork && hostNetworkIsNode))
            {
                continue; // S5.3: selectors match only pods, never addresses or node traffic
            }

            var namespaceOk = peer.NamespaceSelector is null
                ? pod.Namespace == policyNamespace // S5.2: podSelector alone means the policy's namespace
                : Matches(peer.NamespaceSelector, namespaceLabels.GetValueOrDefault(pod.Namespace) ?? new Dictionary<string, string> { [NameLabel] = pod.Namespace });
            var podOk = peer.PodSelector is null || Matches(peer.PodSelector, pod.Labels);
            if (namespaceOk && podOk)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>S7: an empty list is every port; TCP by default; named ports on the destination pod with the same protocol.</summary>
    private static bool PortMatches(PolicyRule rule, int port, Protocol protocol, Endpoint? destination)
    {
        if (rule.Ports.IsEmpty)
        {
            return true;
        }

        var wanted = protocol switch { Protocol.TCP => "TCP", Protocol.UDP => "UDP", _ => "SCTP" };
        foreach (var entry in rule.Ports)
        {
            if ((entry.Protocol ?? "TCP") != wanted)
            {
                continue; // S7.1, S7.6
            }

            if (entry.Port is null)
            {
                return true; // S7.3
            }

            if (entry.Port.Number is { } number)
            {
                if (entry.EndPort is { } end ? port >= number && port <= end : port == number)
                {
                    return true; // S7.2
                }
            }
            else if (destination is not null
                && destination.Ports.Any(c => c.Name == entry.Port.Name && c.Protocol == protocol && c.Port == port))
            {
                return true; // S7.4
            }
        }

        return false;
    }

    /// <summary>S5.1: all terms ANDed; NotIn and DoesNotExist hold on a missing key.</summary>
    internal static bool Matches(LabelSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in selector.MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var e in selector.MatchExpressions)
        {
            var present = labels.TryGetValue(e.Key, out var actual);
            var ok = e.Operator switch
            {
                "In" => present && e.Values.Contains(actual!),
                "NotIn" => !present || !e.Values.Contains(actual!),
                "Exists" => present,
                "DoesNotExist" => !present,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>S6.1: inside cidr and outside every except, same family only.</summary>
    private static bool InBlock(IpBlock block, IPAddress address)
        => InCidr(block.Cidr, address) && !block.Except.Any(e => InCidr(e, address));

    internal static bool InCidr(string cidr, IPAddress address)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var network = IPAddress.Parse(cidr[..slash]);
        var prefix = int.Parse(cidr[(slash + 1)..], CultureInfo.InvariantCulture);
        if (network.AddressFamily != address.AddressFamily)
        {
            return false;
        }

        var a = network.GetAddressBytes();
        var b = address.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit & 7);
            if ((a[bit >> 3] & mask) != (b[bit >> 3] & mask))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The canonical probes (docs/benchmarks.md): per protocol the port space cut at 1, at every
    /// numeric entry's port and endPort + 1, and at each number (and + 1) that a named entry of an
    /// effective rule resolves to on some endpoint; one probe per piece, at its first port.
    /// </summary>
    public IReadOnlyList<(int Port, Protocol Protocol)> CanonicalProbes()
    {
        var result = new List<(int, Protocol)>();
        foreach (var protocol in new[] { Protocol.TCP, Protocol.UDP, Protocol.SCTP })
        {
            var name = protocol.ToString();
            var cuts = new SortedSet<int> { 1 };
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var policy in cluster.Policies)
            {
                foreach (var rule in (Applies(policy, "Ingress") ? policy.Ingress : []).Concat(Applies(policy, "Egress") ? policy.Egress : []))
                {
                    foreach (var entry in rule.Ports.Where(e => (e.Protocol ?? "TCP") == name))
                    {
                        if (entry.Port?.Number is { } n)
                        {
                            cuts.Add(n);
                            cuts.Add((entry.EndPort ?? n) + 1);
                        }
                        else if (entry.Port?.Name is { } portName)
                        {
                            names.Add(portName);
                        }
                    }
                }
            }

            foreach (var port in cluster.Endpoints.SelectMany(e => e.Ports).Where(p => p.Protocol == protocol && p.Name is not null && names.Contains(p.Name)))
            {
                cuts.Add(port.Port);
                cuts.Add(port.Port + 1);
            }

            result.AddRange(cuts.Where(c => c <= 65535).Select(c => (c, protocol)));
        }

        return result;
    }

    /// <summary>SHA-256 of the canonical reachability output (docs/benchmarks.md), written independently of ReachabilityDigest.</summary>
    public string Digest(IProgress<double>? progress = null)
    {
        var probes = CanonicalProbes();
        var n = cluster.Endpoints.Length;
        var header = new StringBuilder();
        header.Append("npgen-reachability-v1\n")
            .Append(CultureInfo.InvariantCulture, $"options self-traffic={(selfAllowed ? "allow" : "evaluate")} host-network={(hostNetworkIsNode ? "node" : "pod")}\n")
            .Append(CultureInfo.InvariantCulture, $"endpoints {n}\n");
        foreach (var e in cluster.Endpoints)
        {
            header.Append(e.Namespace).Append('/').Append(e.Name).Append('\n');
        }

        header.Append(CultureInfo.InvariantCulture, $"probes {probes.Count}\n");
        foreach (var (port, protocol) in probes)
        {
            header.Append(CultureInfo.InvariantCulture, $"{port}/{protocol}\n");
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(header.ToString()));
        var bytes = (n + 7) / 8;
        var rows = new byte[3 * bytes];
        for (var k = 0; k < probes.Count; k++)
        {
            for (var f = 0; f < n; f++)
            {
                Array.Clear(rows);
                for (var t = 0; t < n; t++)
                {
                    var (allowed, ingress, egress) = Evaluate(f, t, probes[k].Port, probes[k].Protocol);
                    var bit = (byte)(1 << (t & 7));
                    rows[t >> 3] |= allowed ? bit : (byte)0;
                    rows[bytes + (t >> 3)] |= ingress ? bit : (byte)0;
                    rows[(2 * bytes) + (t >> 3)] |= egress ? bit : (byte)0;
                }

                sha.AppendData(rows);
            }

            progress?.Report((k + 1.0) / probes.Count);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
