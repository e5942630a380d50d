using System.Net.Sockets;
using System.Text;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// Turns a cluster into the evaluator's indexed form: identities (S1.1 endpoints folded by what
/// selectors, named ports and ipBlocks can see), label indexes, and compiled policies.
/// </summary>
internal sealed class EvaluatorBuilder(Cluster cluster, EvaluationOptions options)
{
    private readonly Dictionary<string, Bitset> peerCache = new(StringComparer.Ordinal);
    private Identity[] identities = [];
    private int[] namespaceStart = [];
    private int[] namespaceEnd = [];
    private Dictionary<string, int> namespaceIndex = [];
    private LabelIndex podIndex = null!;
    private LabelIndex namespaceLabelIndex = null!;
    private Bitset selectable = null!;
    private IpAtoms atoms = null!;
    private int[] occupiedAtoms = [];
    private Dictionary<int, List<int>> atomIdentities = [];

    internal sealed record Result(Identity[] Identities, int[] EndpointIdentity, CompiledPolicy[] Policies,
        int[][] IngressPolicies, int[][] EgressPolicies);

    public Result Build()
    {
        var namespaces = cluster.Namespaces.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();
        namespaceIndex = namespaces.Select((n, i) => (n.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        // S5.4: the control plane sets kubernetes.io/metadata.name to the name, overwriting any value written.
        namespaceLabelIndex = new LabelIndex([.. namespaces.Select(n => (IReadOnlyDictionary<string, string>)n.Labels.SetItem(Namespace.NameLabel, n.Name))]);

        var blocks = cluster.Policies.SelectMany(AllIpBlocks).ToList();
        atoms = new IpAtoms(blocks.SelectMany(b => b.Except.Prepend(b.Cidr)));
        var endpointIdentity = BuildIdentities(namespaces.Length);

        podIndex = new LabelIndex([.. identities.Select(i => i.Labels)]);
        selectable = new Bitset(identities.Length);
        foreach (var identity in identities.Where(i => !i.HostNetwork))
        {
            selectable.Set(identity.Index); // S13: hostNetwork pods are invisible to selectors in node mode.
        }

        var compiled = new CompiledPolicy[cluster.Policies.Length];
        var ingress = identities.Select(_ => new List<int>()).ToArray();
        var egress = identities.Select(_ => new List<int>()).ToArray();
        for (var p = 0; p < cluster.Policies.Length; p++)
        {
            var policy = cluster.Policies[p];
            compiled[p] = Compile(policy);

            // S2.1: a policy isolates the pods its podSelector matches in its own namespace, per direction (S3).
            var selected = NamespacePods(policy.Namespace).Clone();
            selected.And(podIndex.Match(policy.PodSelector));
            selected.And(selectable);
            foreach (var identity in selected.Ones())
            {
                if (policy.AppliesTo(PolicyDirection.Ingress))
                {
                    ingress[identity].Add(p);
                }

                if (policy.AppliesTo(PolicyDirection.Egress))
                {
                    egress[identity].Add(p);
                }
            }
        }

        return new Result(identities, endpointIdentity, compiled,
            [.. ingress.Select(l => l.ToArray())], [.. egress.Select(l => l.ToArray())]);
    }

    private int[] BuildIdentities(int namespaceCount)
    {
        // Only label keys some selector reads, and port names some policy names, can tell pods apart.
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var portNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in cluster.Policies)
        {
            AddKeys(policy.PodSelector, keys);
            foreach (var rule in policy.Ingress.Concat(policy.Egress))
            {
                foreach (var peer in rule.Peers)
                {
                    AddKeys(peer.PodSelector, keys);
                }

                foreach (var port in rule.Ports)
                {
                    if (port.Port?.Name is { } name)
                    {
                        portNames.Add(name);
                    }
                }
            }
        }

        var groups = new Dictionary<string, (int Namespace, Identity Identity)>(StringComparer.Ordinal);
        var keyOfEndpoint = new string[cluster.Endpoints.Length];
        var key = new StringBuilder();
        for (var e = 0; e < cluster.Endpoints.Length; e++)
        {
            var endpoint = cluster.Endpoints[e];
            var ns = namespaceIndex[endpoint.Namespace];
            var hostNetwork = endpoint.HostNetwork && options.HostNetwork == HostNetworkMode.Node;
            var labels = endpoint.Labels.Where(l => keys.Contains(l.Key)).ToArray();
            var named = new SortedDictionary<(string Name, Protocol Protocol), int>();
            foreach (var port in endpoint.Ports)
            {
                if (port.Name is { } name && portNames.Contains(name))
                {
                    named.TryAdd((name, port.Protocol), port.Port);
                }
            }

            var endpointAtoms = endpoint.Addresses
                .Select(a => Cidr.ToNumber(a))
                .Select(a => atoms.Locate(a.Family, a.Value))
                .Distinct().Order().ToArray();

            key.Clear();
            key.Append(endpoint.Namespace).Append('\0').Append(hostNetwork ? '1' : '0');
            foreach (var (k, v) in labels)
            {
                key.Append('\0').Append(k).Append('=').Append(v);
            }

            key.Append('\0');
            foreach (var ((name, protocol), number) in named)
            {
                key.Append(name).Append('/').Append(protocol.Name()).Append('=').Append(number).Append(',');
            }

            key.Append('\0').AppendJoin(',', endpointAtoms);
            var text = key.ToString();
            keyOfEndpoint[e] = text;
            if (!groups.ContainsKey(text))
            {
                groups[text] = (ns, new Identity(0, ns, hostNetwork,
                    labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal), named, endpointAtoms));
            }
        }

        // Identities are ordered by namespace, so each namespace's identities form one range [start, end).
        var ordered = groups.OrderBy(g => g.Value.Namespace).ThenBy(g => g.Key, StringComparer.Ordinal).ToArray();
        identities = new Identity[ordered.Length];
        var indexOfKey = new Dictionary<string, int>(StringComparer.Ordinal);
        namespaceStart = new int[namespaceCount];
        namespaceEnd = new int[namespaceCount];
        Array.Fill(namespaceStart, -1);
        for (var i = 0; i < ordered.Length; i++)
        {
            var old = ordered[i].Value.Identity;
            identities[i] = new Identity(i, old.NamespaceIndex, old.HostNetwork, old.Labels, old.NamedPorts, old.Atoms);
            indexOfKey[ordered[i].Key] = i;
            if (namespaceStart[old.NamespaceIndex] < 0)
            {
                namespaceStart[old.NamespaceIndex] = i;
            }

            namespaceEnd[old.NamespaceIndex] = i + 1;
        }

        var endpointIdentity = new int[cluster.Endpoints.Length];
        for (var e = 0; e < endpointIdentity.Length; e++)
        {
            endpointIdentity[e] = indexOfKey[keyOfEndpoint[e]];
            identities[endpointIdentity[e]].Endpoints.Add(e);
        }

        foreach (var identity in identities)
        {
            foreach (var atom in identity.Atoms)
            {
                if (!atomIdentities.TryGetValue(atom, out var list))
                {
                    atomIdentities[atom] = list = [];
                }

                list.Add(identity.Index);
            }
        }

        occupiedAtoms = [.. atomIdentities.Keys.Order()];
        return endpointIdentity;
    }

    private static void AddKeys(LabelSelector? selector, HashSet<string> keys)
    {
        if (selector is null)
        {
            return;
        }

        keys.UnionWith(selector.MatchLabels.Keys);
        keys.UnionWith(selector.MatchExpressions.Select(e => e.Key));
    }

    private static IEnumerable<CompiledIpBlock> AllIpBlocks(NetworkPolicy policy)
        => policy.Ingress.Concat(policy.Egress).SelectMany(r => r.Peers)
            .Select(p => p.IpBlock).OfType<IpBlock>().Select(CompileIpBlock).OfType<CompiledIpBlock>();

    private static CompiledIpBlock? CompileIpBlock(IpBlock block)
    {
        if (!Cidr.TryParse(block.Cidr, out var cidr, out _))
        {
            return null; // Rejected by validation (S14.7).
        }

        var except = block.Except.Select(e => Cidr.TryParse(e, out var c, out _) ? c : (Cidr?)null).OfType<Cidr>().ToArray();
        return new CompiledIpBlock(cidr, except);
    }

    private Bitset NamespacePods(string ns)
    {
        var set = new Bitset(identities.Length);
        if (namespaceIndex.TryGetValue(ns, out var index) && namespaceStart[index] >= 0)
        {
            set.SetRange(namespaceStart[index], namespaceEnd[index]);
        }

        return set;
    }

    private CompiledPolicy Compile(NetworkPolicy policy)
    {
        CompiledRule[] Rules(PolicyDirection direction)
            => policy.AppliesTo(direction) // S3.1: rules of an unlisted direction are ignored.
                ? [.. policy.Rules(direction).Select((rule, index) => CompileRule(policy.Namespace, rule, index))]
                : [];

        return new CompiledPolicy(policy, Rules(PolicyDirection.Ingress), Rules(PolicyDirection.Egress));
    }

    private CompiledRule CompileRule(string policyNamespace, PolicyRule rule, int index)
    {
        var ports = new PortMatcher(rule.Ports);
        if (rule.Peers.IsEmpty)
        {
            return new CompiledRule(index, true, Bitset.Full(identities.Length), [], ports); // S4.2
        }

        var peers = new Bitset(identities.Length);
        var blocks = new List<CompiledIpBlock>();
        foreach (var peer in rule.Peers)
        {
            if (peer.IpBlock is { } block)
            {
                if (CompileIpBlock(block) is { } compiled)
                {
                    blocks.Add(compiled);
                    peers.Or(IpBlockIdentities(compiled));
                }
            }
            else if (peer.PodSelector is not null || peer.NamespaceSelector is not null)
            {
                peers.Or(PeerIdentities(policyNamespace, peer));
            }
        }

        return new CompiledRule(index, false, peers, [.. blocks], ports);
    }

    /// <summary>S5.2: the pods a selector peer matches. Equal peers in one namespace are computed once.</summary>
    private Bitset PeerIdentities(string policyNamespace, PolicyPeer peer)
    {
        var cacheKey = $"{(peer.NamespaceSelector is null ? "ns=" + policyNamespace : "nsSel=" + peer.NamespaceSelector.CanonicalText())}\0{peer.PodSelector?.CanonicalText()}";
        if (peerCache.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        Bitset result;
        if (peer.NamespaceSelector is null)
        {
            result = NamespacePods(policyNamespace); // podSelector alone: the policy's own namespace.
        }
        else
        {
            result = new Bitset(identities.Length);
            foreach (var ns in namespaceLabelIndex.Match(peer.NamespaceSelector).Ones())
            {
                if (namespaceStart[ns] >= 0)
                {
                    result.SetRange(namespaceStart[ns], namespaceEnd[ns]);
                }
            }
        }

        if (peer.PodSelector is not null)
        {
            result.And(podIndex.Match(peer.PodSelector)); // Both in one entry: AND (S5.2).
        }

        result.And(selectable); // S5.3, S13.
        peerCache[cacheKey] = result;
        return result;
    }

    /// <summary>S6.2: pods whose IP lies in the block. Only atoms that hold a pod are looked at.</summary>
    private Bitset IpBlockIdentities(CompiledIpBlock block)
    {
        var result = new Bitset(identities.Length);
        var first = atoms.Locate(block.Cidr.Family, block.Cidr.Network);
        var last = atoms.Locate(block.Cidr.Family, block.Cidr.Last);
        var start = Array.BinarySearch(occupiedAtoms, first);
        for (var i = start >= 0 ? start : ~start; i < occupiedAtoms.Length && occupiedAtoms[i] <= last; i++)
        {
            var (family, witness) = atoms.Start(occupiedAtoms[i]);
            if (block.Contains(family, witness))
            {
                foreach (var identity in atomIdentities[occupiedAtoms[i]])
                {
                    result.Set(identity);
                }
            }
        }

        return result;
    }
}
