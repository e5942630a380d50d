using System.Net.Sockets;
using System.Text;
using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Workloads;

/// <summary>
/// What a cluster should fold into, computed straight from the objects (not by the evaluator, whose
/// counts are checked against these): the port classes, one probe per class, and the identities.
/// Only effective rules count: those of a direction in the policy's effective policyTypes (S3).
/// </summary>
public static class WorkloadStatistics
{
    /// <summary>
    /// One port per port class, sorted TCP, UDP, SCTP then by number. Per protocol, the port space
    /// 1..65535 is cut at 1, at every numeric entry's port and endPort + 1, and at every number a named
    /// entry resolves to on some endpoint (and that number + 1); protocol-only entries cut nothing.
    /// Each class starts at a cut, so ports of one class are allowed or denied alike for every pair.
    /// </summary>
    public static IReadOnlyList<PortProbe> CanonicalProbes(Cluster cluster)
    {
        var cuts = ProtocolNames.All.ToDictionary(p => p, _ => new SortedSet<int> { 1 });
        var names = new HashSet<(string, Protocol)>();
        foreach (var rule in EffectiveRules(cluster))
        {
            foreach (var port in rule.Ports)
            {
                if (!ProtocolNames.TryParse(port.Protocol ?? "TCP", out var protocol))
                {
                    continue;
                }

                if (port.Port?.Number is { } number)
                {
                    Cut(cuts[protocol], number);
                    Cut(cuts[protocol], (port.EndPort ?? number) + 1);
                }
                else if (port.Port?.Name is { } name)
                {
                    names.Add((name, protocol));
                }
            }
        }

        foreach (var port in cluster.Endpoints.SelectMany(e => e.Ports))
        {
            if (port.Name is { } name && names.Contains((name, port.Protocol)))
            {
                Cut(cuts[port.Protocol], port.Port);
                Cut(cuts[port.Protocol], port.Port + 1);
            }
        }

        return [.. ProtocolNames.All.SelectMany(p => cuts[p].Select(n => new PortProbe(n, p)))];

        static void Cut(SortedSet<int> set, int port)
        {
            if (port is >= 1 and <= 65535)
            {
                set.Add(port);
            }
        }
    }

    /// <summary>
    /// Identities: endpoints with the same namespace, the same values for the label keys that pod
    /// selectors read, the same container ports for the names that rules name, the same pieces of
    /// the address space cut by every ipBlock CIDR and except, and the same hostNetwork treatment.
    /// </summary>
    public static int ExpectedIdentities(Cluster cluster, EvaluationOptions? options = null)
    {
        options ??= EvaluationOptions.Default;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var portNames = new HashSet<string>(StringComparer.Ordinal);
        var bounds = new SortedSet<(int Family, UInt128 Value)>();
        foreach (var policy in cluster.Policies)
        {
            AddKeys(policy.PodSelector, keys);
        }

        foreach (var rule in EffectiveRules(cluster))
        {
            foreach (var peer in rule.Peers)
            {
                AddKeys(peer.PodSelector, keys);
                if (peer.IpBlock is { } block)
                {
                    foreach (var text in block.Except.Prepend(block.Cidr))
                    {
                        if (Cidr.TryParse(text, out var cidr, out _))
                        {
                            var family = cidr.Family == AddressFamily.InterNetwork ? 4 : 6;
                            bounds.Add((family, cidr.Network));
                            bounds.Add((family, cidr.Last + 1)); // may wrap to 0 at the top: harmless, 0 is a bound anyway
                        }
                    }
                }
            }

            foreach (var port in rule.Ports)
            {
                if (port.Port?.Name is { } name)
                {
                    portNames.Add(name);
                }
            }
        }

        var sortedBounds = bounds.ToArray();
        var identities = new HashSet<string>(StringComparer.Ordinal);
        var key = new StringBuilder();
        foreach (var endpoint in cluster.Endpoints)
        {
            key.Clear();
            key.Append(endpoint.Namespace).Append('|').Append(endpoint.HostNetwork && options.HostNetwork == HostNetworkMode.Node);
            foreach (var (k, v) in endpoint.Labels.Where(l => keys.Contains(l.Key)))
            {
                key.Append('|').Append(k).Append('=').Append(v);
            }

            key.Append("|ports");
            foreach (var port in endpoint.Ports.Where(p => p.Name is not null && portNames.Contains(p.Name))
                .Select(p => $"{p.Name}/{p.Protocol.Name()}={p.Port}").Distinct().Order(StringComparer.Ordinal))
            {
                key.Append(',').Append(port);
            }

            key.Append("|atoms");
            foreach (var atom in endpoint.Addresses.Select(a => Cidr.ToNumber(a))
                .Select(a => Atom(sortedBounds, (a.Family == AddressFamily.InterNetwork ? 4 : 6, a.Value))).Distinct().Order())
            {
                key.Append(',').Append(atom);
            }

            identities.Add(key.ToString());
        }

        return identities.Count;
    }

    /// <summary>Index of the last bound at or below the address (-1 below every bound of its family: still one piece).</summary>
    private static string Atom((int Family, UInt128 Value)[] bounds, (int Family, UInt128 Value) address)
    {
        var index = Array.BinarySearch(bounds, address);
        index = index >= 0 ? index : ~index - 1;
        return index >= 0 && bounds[index].Family == address.Family ? $"{address.Family}:{index}" : $"{address.Family}:low";
    }

    private static void AddKeys(LabelSelector? selector, HashSet<string> keys)
    {
        if (selector is not null)
        {
            keys.UnionWith(selector.MatchLabels.Keys);
            keys.UnionWith(selector.MatchExpressions.Select(e => e.Key));
        }
    }

    private static IEnumerable<PolicyRule> EffectiveRules(Cluster cluster)
        => cluster.Policies.SelectMany(p =>
            (p.AppliesTo(PolicyDirection.Ingress) ? p.Ingress : []).Concat(p.AppliesTo(PolicyDirection.Egress) ? p.Egress : []));
}
