using System.Collections.Immutable;
using System.Text;
using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// Turns a cluster into the evaluator's indexed form: identities (S1.1 endpoints folded by what
/// selectors, named ports and ipBlocks can see), label indexes, and compiled policies. Only the
/// effective rules (S3: a direction in the policy's effective policyTypes) are looked at, and every
/// set of identities is an <see cref="IdentitySet"/>, so memory grows with the selections, not with
/// identities squared.
/// </summary>
internal sealed class EvaluatorBuilder(Cluster cluster, EvaluationOptions options)
{
    private readonly Dictionary<string, IdentitySet> peerCache = new(StringComparer.Ordinal);
    private readonly StringBuilder keyText = new();
    private Identity[] identities = [];
    private int[] namespaceStart = [];
    private int[] namespaceEnd = [];
    private Dictionary<string, int> namespaceIndex = [];
    private LabelIndex podIndex = null!;
    private LabelIndex namespaceLabelIndex = null!;
    private IdentitySet selectable = IdentitySet.Empty;
    private IpAtoms atoms = null!;
    private int[] occupiedAtoms = [];
    private Dictionary<int, List<int>> atomIdentities = [];

    internal sealed record Result(Identity[] Identities, int[] EndpointIdentity, CompiledPolicy[] Policies,
        int[][] IngressPolicies, int[][] EgressPolicies, ImmutableArray<StageTiming> Timings)
    {
        /// <summary>The admin and baseline tiers of cluster policies (S18).</summary>
        public ClusterLayers Layers { get; init; } = ClusterLayers.None;
    }

    private readonly ImmutableArray<StageTiming>.Builder timings = ImmutableArray.CreateBuilder<StageTiming>();
    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Ends a stage: records the time since the previous one.</summary>
    private void Lap(string stage)
    {
        timings.Add(new StageTiming(stage, clock.Elapsed));
        clock.Restart();
    }

    public Result Build()
    {
        var namespaces = cluster.Namespaces.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();
        namespaceIndex = namespaces.Select((n, i) => (n.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        // S5.4: the control plane sets kubernetes.io/metadata.name to the name, overwriting any value written.
        namespaceLabelIndex = new LabelIndex([.. namespaces.Select(n => (IReadOnlyDictionary<string, string>)n.Labels.SetItem(Namespace.NameLabel, n.Name))]);

        var blocks = EffectiveRules().SelectMany(r => r.Peers).Select(p => p.IpBlock).OfType<IpBlock>()
            .Select(CompileIpBlock).OfType<CompiledIpBlock>().Concat(ClusterLayerCompiler.AddressBlocks(cluster)).ToList();
        atoms = new IpAtoms(blocks.SelectMany(b => b.Except.Prepend(b.Cidr)));
        Lap("ip atoms");
        var endpointIdentity = BuildIdentities(namespaces.Length);
        Lap("identities");

        podIndex = new LabelIndex([.. identities.Select(i => i.Labels)]);
        selectable = IdentitySet.FromSorted([.. identities.Where(i => !i.HostNetwork).Select(i => i.Index)]); // S13

        Lap("label index");
        var compiled = new CompiledPolicy[cluster.Policies.Length];
        for (var p = 0; p < cluster.Policies.Length; p++)
        {
            compiled[p] = Compile(cluster.Policies[p]);
        }

        Lap("compile policies");
        // Per direction, each policy's selection; the lists per identity come from one sweep over
        // the selections' ends (IsolationLists), not from visiting every selected identity.
        var ingressIsolating = new List<(int, IdentitySet)>();
        var egressIsolating = new List<(int, IdentitySet)>();
        for (var p = 0; p < cluster.Policies.Length; p++)
        {
            if (Isolates(cluster.Policies[p]) is { } selected)
            {
                if (cluster.Policies[p].AppliesTo(PolicyDirection.Ingress))
                {
                    ingressIsolating.Add((p, selected));
                }

                if (cluster.Policies[p].AppliesTo(PolicyDirection.Egress))
                {
                    egressIsolating.Add((p, selected));
                }
            }
        }

        var ingressPolicies = IsolationLists.Build(identities.Length, ingressIsolating);
        var egressPolicies = IsolationLists.Build(identities.Length, egressIsolating);
        Lap("isolation");
        var layers = ClusterLayerCompiler.Compile(cluster, this, identities.Length);
        Lap("cluster policies");
        return new Result(identities, endpointIdentity, compiled, ingressPolicies, egressPolicies, timings.ToImmutable()) { Layers = layers };
    }

    /// <summary>S2.1: the identities a policy isolates (its podSelector in its own namespace, S13: never unselectable pods), or null when it isolates none.</summary>
    private IdentitySet? Isolates(NetworkPolicy policy)
    {
        // Per direction (S3): a policy whose effective types name neither isolates nothing.
        if (!namespaceIndex.TryGetValue(policy.Namespace, out var ns) || namespaceStart[ns] < 0
            || !(policy.AppliesTo(PolicyDirection.Ingress) || policy.AppliesTo(PolicyDirection.Egress)))
        {
            return null;
        }

        return podIndex.Match(policy.PodSelector).Slice(namespaceStart[ns], namespaceEnd[ns]).Intersect(selectable);
    }

    private IEnumerable<PolicyRule> EffectiveRules()
        => cluster.Policies.SelectMany(p =>
            (p.AppliesTo(PolicyDirection.Ingress) ? p.Ingress : []).Concat(p.AppliesTo(PolicyDirection.Egress) ? p.Egress : []));

    private int[] BuildIdentities(int namespaceCount)
    {
        var (keys, portNames) = DistinguishingKeys();

        // Per endpoint, the projection is a short list of interned ids (no strings, no sorted
        // dictionaries), looked up without allocating; only a new identity builds its labels,
        // named ports and the text key that orders identities as before.
        // Ids follow the keys' ordinal order, so looking the keys up one by one and walking a pod's
        // (ordinally sorted) labels give the same list.
        var keyList = keys.Order(StringComparer.Ordinal).ToArray();
        var keyIds = new Dictionary<string, int>(keys.Count, StringComparer.Ordinal);
        foreach (var k in keyList)
        {
            keyIds[k] = keyIds.Count;
        }

        var valueIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var portNameIds = new Dictionary<string, int>(portNames.Count, StringComparer.Ordinal);
        foreach (var name in portNames)
        {
            portNameIds[name] = portNameIds.Count;
        }

        int ValueId(string value)
        {
            if (!valueIds.TryGetValue(value, out var id))
            {
                valueIds[value] = id = valueIds.Count;
            }

            return id;
        }

        var projections = new Dictionary<IReadOnlyDictionary<string, string>, int[]>(ReferenceEqualityComparer.Instance);
        var projected = new List<int>();
        int[] Project(System.Collections.Immutable.ImmutableSortedDictionary<string, string> labels)
        {
            projected.Clear();
            if (keyList.Length <= LookupKeysUpTo)
            {
                // A few selector keys: look each up (walking an immutable sorted map costs more).
                for (var keyId = 0; keyId < keyList.Length; keyId++)
                {
                    if (labels.TryGetValue(keyList[keyId], out var value))
                    {
                        projected.Add(keyId);
                        projected.Add(ValueId(value));
                    }
                }
            }
            else
            {
                foreach (var label in labels)
                {
                    if (keyIds.TryGetValue(label.Key, out var keyId))
                    {
                        projected.Add(keyId);
                        projected.Add(ValueId(label.Value));
                    }
                }
            }

            return [.. projected];
        }

        var groups = new Dictionary<int[], int>(IdListComparer.Instance);
        var lookup = groups.GetAlternateLookup<ReadOnlySpan<int>>();
        var representative = new List<int>();
        var groupOfEndpoint = new int[cluster.Endpoints.Length];
        var parts = new List<int>();
        var named = new List<(int Name, int Protocol, int Port)>();
        var atomsOfGroup = new List<int[]>();
        string? lastNamespace = null;
        var lastNamespaceIndex = -1;
        for (var e = 0; e < cluster.Endpoints.Length; e++)
        {
            var endpoint = cluster.Endpoints[e];
            parts.Clear();
            if (!string.Equals(endpoint.Namespace, lastNamespace, StringComparison.Ordinal))
            {
                // Endpoints come namespace by namespace, so comparing with the last one skips most lookups.
                lastNamespace = endpoint.Namespace;
                lastNamespaceIndex = namespaceIndex[lastNamespace];
            }

            parts.Add(lastNamespaceIndex);
            parts.Add(endpoint.HostNetwork && options.HostNetwork == HostNetworkMode.Node ? 1 : 0);
            // Replicas share one label map (the loader hands out one per distinct set), so a map's
            // projection is worked out once and reused by reference.
            if (!projections.TryGetValue(endpoint.Labels, out var projection))
            {
                projection = Project(endpoint.Labels);
                projections[endpoint.Labels] = projection;
            }

            parts.Add(projection.Length);
            parts.AddRange(projection);
            AppendNamedPorts(endpoint, portNameIds, named, parts);
            var atomsAt = parts.Count;
            AppendAtoms(endpoint, parts);
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(parts);
            if (!lookup.TryGetValue(span, out var group))
            {
                group = representative.Count;
                lookup[span] = group;
                representative.Add(e);
                atomsOfGroup.Add(span[atomsAt..].ToArray());
            }

            groupOfEndpoint[e] = group;
        }

        // Identities are ordered by namespace, then by their text key (as they always were), so each
        // namespace's identities form one range [start, end).
        var candidates = new Candidate[representative.Count];
        var sharedLabels = new Dictionary<int[], Dictionary<string, string>>(IdListComparer.Instance);
        for (var g = 0; g < candidates.Length; g++)
        {
            var endpoint = cluster.Endpoints[representative[g]];
            // Identities with the same projected labels (the same app in other namespaces) share one read-only map.
            if (!sharedLabels.TryGetValue(projections[endpoint.Labels], out var labels))
            {
                labels = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (k, v) in endpoint.Labels)
                {
                    if (keys.Contains(k))
                    {
                        labels.Add(k, v);
                    }
                }

                sharedLabels[projections[endpoint.Labels]] = labels;
            }

            candidates[g] = NewIdentity(endpoint, keys, portNames, atomsOfGroup[g], labels);
        }

        var endpointIdentity = OrderIdentities(candidates, groupOfEndpoint, namespaceCount);
        IndexAtomIdentities();
        return endpointIdentity;
    }

    /// <summary>
    /// The label keys some pod selector reads and the port names some rule names: only these can
    /// tell pods apart, so an identity projects a pod onto them and nothing else.
    /// </summary>
    private (HashSet<string> Keys, HashSet<string> PortNames) DistinguishingKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var portNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in cluster.Policies)
        {
            AddKeys(policy.PodSelector, keys);
        }

        foreach (var rule in EffectiveRules())
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

        ClusterLayerCompiler.AddKeys(cluster, keys, portNames); // S18: cluster policy selectors and port names tell pods apart too
        return (keys, portNames);
    }

    /// <summary>
    /// Appends to an endpoint's identity key the count, then the sorted distinct (name, protocol,
    /// port) triples of its ports that some rule names. <paramref name="named"/> is scratch space
    /// reused across endpoints so the loop over 100,000 pods does not allocate.
    /// </summary>
    private static void AppendNamedPorts(Endpoint endpoint, Dictionary<string, int> portNameIds, List<(int Name, int Protocol, int Port)> named, List<int> parts)
    {
        named.Clear();
        foreach (var port in endpoint.Ports)
        {
            if (port.Name is { } name && portNameIds.TryGetValue(name, out var nameId))
            {
                named.Add((nameId, (int)port.Protocol, port.Port));
            }
        }

        if (named.Count > 1)
        {
            named.Sort();
        }

        var countAt = parts.Count;
        parts.Add(0);
        for (var i = 0; i < named.Count; i++)
        {
            if (i == 0 || named[i] != named[i - 1]) // a number listed twice under one name counts once
            {
                parts.Add(named[i].Name);
                parts.Add(named[i].Protocol);
                parts.Add(named[i].Port);
            }
        }

        parts[countAt] = parts.Count - countAt - 1;
    }

    /// <summary>Appends the sorted distinct IP atoms of an endpoint's addresses (the usual single address without LINQ).</summary>
    private void AppendAtoms(Endpoint endpoint, List<int> parts)
    {
        switch (endpoint.Addresses.Length)
        {
            case 0:
                break;
            case 1:
                parts.Add(Locate(endpoint.Addresses[0]));
                break;
            default:
                parts.AddRange(endpoint.Addresses.Select(Locate).Distinct().Order());
                break;
        }
    }

    /// <summary>
    /// Orders the identities by namespace, then by text key, fills the namespace ranges, and
    /// returns each endpoint's identity index.
    /// </summary>
    private int[] OrderIdentities(Candidate[] candidates, int[] groupOfEndpoint, int namespaceCount)
    {
        var order = Enumerable.Range(0, candidates.Length)
            .OrderBy(g => candidates[g].NamespaceIndex).ThenBy(g => candidates[g].Key, StringComparer.Ordinal).ToArray();
        identities = new Identity[order.Length];
        var indexOfGroup = new int[order.Length];
        namespaceStart = new int[namespaceCount];
        namespaceEnd = new int[namespaceCount];
        Array.Fill(namespaceStart, -1);
        for (var i = 0; i < order.Length; i++)
        {
            var old = candidates[order[i]];
            identities[i] = new Identity(i, old.NamespaceIndex, old.HostNetwork, old.Labels, old.NamedPorts, old.Atoms);
            indexOfGroup[order[i]] = i;
            if (namespaceStart[old.NamespaceIndex] < 0)
            {
                namespaceStart[old.NamespaceIndex] = i;
            }

            namespaceEnd[old.NamespaceIndex] = i + 1;
        }

        var endpointIdentity = new int[cluster.Endpoints.Length];
        for (var e = 0; e < endpointIdentity.Length; e++)
        {
            endpointIdentity[e] = indexOfGroup[groupOfEndpoint[e]];
            identities[endpointIdentity[e]].Endpoints.Add(e);
        }

        return endpointIdentity;
    }

    /// <summary>Which identities hold each IP atom, and the occupied atoms in order, for ipBlock peers.</summary>
    private void IndexAtomIdentities()
    {
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
    }

    /// <summary>
    /// The identity an endpoint stands for, and the text key that orders identities: namespace,
    /// hostNetwork, the projected labels, the named ports rules use, the IP atoms.
    /// </summary>
    private Candidate NewIdentity(Endpoint endpoint, HashSet<string> keys, HashSet<string> portNames, int[] endpointAtoms,
        Dictionary<string, string> labels)
    {
        var hostNetwork = endpoint.HostNetwork && options.HostNetwork == HostNetworkMode.Node;
        SortedDictionary<(string Name, Protocol Protocol), SortedSet<int>>? named = null;
        foreach (var port in endpoint.Ports)
        {
            if (port.Name is { } name && portNames.Contains(name))
            {
                named ??= [];
                if (!named.TryGetValue((name, port.Protocol), out var numbers))
                {
                    named[(name, port.Protocol)] = numbers = [];
                }

                numbers.Add(port.Port);
            }
        }

        var key = keyText.Clear(); // one builder for every identity: only the finished key is allocated
        key.Append(endpoint.Namespace).Append('\0').Append(hostNetwork ? '1' : '0');
        foreach (var (k, v) in endpoint.Labels)
        {
            if (keys.Contains(k))
            {
                key.Append('\0').Append(k).Append('=').Append(v);
            }
        }

        key.Append('\0');
        if (named is not null)
        {
            foreach (var ((name, protocol), numbers) in named)
            {
                key.Append(name).Append('/').Append(protocol.Name()).Append('=').AppendJoin('+', numbers).Append(',');
            }
        }

        key.Append('\0').AppendJoin(',', endpointAtoms);
        return new Candidate(namespaceIndex[endpoint.Namespace], hostNetwork, labels,
            named?.ToDictionary(n => n.Key, n => n.Value.ToArray()) ?? Empty, endpointAtoms, key.ToString());
    }

    /// <summary>An identity before it is numbered (it is built once, in order): its parts and the text key that orders it.</summary>
    private readonly record struct Candidate(int NamespaceIndex, bool HostNetwork, IReadOnlyDictionary<string, string> Labels,
        IReadOnlyDictionary<(string Name, Protocol Protocol), int[]> NamedPorts, int[] Atoms, string Key);

    private static readonly Dictionary<(string Name, Protocol Protocol), int[]> Empty = [];

    /// <summary>Per endpoint, keys up to this many selector keys are looked up one by one rather than walking the labels.</summary>
    private const int LookupKeysUpTo = 12;

    /// <summary>The atom of an address (as <see cref="Cidr.ToNumber"/> numbers it, without allocating).</summary>
    private int Locate(System.Net.IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            var (family, number) = Cidr.ToNumber(address);
            return atoms.Locate(family, number);
        }

        UInt128 value = 0;
        foreach (var b in bytes[..written])
        {
            value = (value << 8) | b;
        }

        return atoms.Locate(address.AddressFamily, value);
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

    private static CompiledIpBlock? CompileIpBlock(IpBlock block)
    {
        if (!Cidr.TryParse(block.Cidr, out var cidr, out _))
        {
            return null; // Rejected by validation (S14.7).
        }

        var except = block.Except.Select(e => Cidr.TryParse(e, out var c, out _) ? c : (Cidr?)null).OfType<Cidr>().ToArray();
        return new CompiledIpBlock(cidr, except);
    }

    private IdentitySet NamespacePods(string ns)
        => namespaceIndex.TryGetValue(ns, out var index) && namespaceStart[index] >= 0
            ? IdentitySet.Range(namespaceStart[index], namespaceEnd[index])
            : IdentitySet.Empty;

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
            return new CompiledRule(index, true, IdentitySet.Range(0, identities.Length), [], ports); // S4.2
        }

        var peers = new List<IdentitySet>();
        var blocks = new List<CompiledIpBlock>();
        foreach (var peer in rule.Peers)
        {
            if (peer.IpBlock is { } block)
            {
                if (CompileIpBlock(block) is { } compiled)
                {
                    blocks.Add(compiled);
                    peers.Add(IpBlockIdentities(compiled));
                }
            }
            else if (peer.PodSelector is not null || peer.NamespaceSelector is not null)
            {
                peers.Add(PeerIdentities(policyNamespace, peer));
            }
        }

        return new CompiledRule(index, false, IdentitySet.Union(peers), [.. blocks], ports);
    }

    /// <summary>S5.2: the pods a selector peer matches. Equal peers in one namespace are computed once.</summary>
    private IdentitySet PeerIdentities(string policyNamespace, PolicyPeer peer)
    {
        var cacheKey = $"{(peer.NamespaceSelector is null ? "ns=" + policyNamespace : "nsSel=" + peer.NamespaceSelector.CanonicalText())}\0{peer.PodSelector?.CanonicalText()}";
        if (peerCache.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        IdentitySet result;
        if (peer.NamespaceSelector is null)
        {
            result = NamespacePods(policyNamespace); // podSelector alone: the policy's own namespace.
        }
        else
        {
            var ranges = new List<(int, int)>();
            foreach (var ns in namespaceLabelIndex.Match(peer.NamespaceSelector).Ones())
            {
                if (namespaceStart[ns] >= 0)
                {
                    ranges.Add((namespaceStart[ns], namespaceEnd[ns]));
                }
            }

            result = IdentitySet.FromRanges(ranges);
        }

        if (peer.PodSelector is not null)
        {
            result = podIndex.Match(peer.PodSelector).Intersect(result); // Both in one entry: AND (S5.2).
        }

        result = result.Intersect(selectable); // S5.3, S13.
        peerCache[cacheKey] = result;
        return result;
    }

    /// <summary>S18.5: pods of the namespaces a selector matches, narrowed by a pod selector when given; never unselectable pods (S13).</summary>
    internal IdentitySet SelectPods(LabelSelector namespaces, LabelSelector? pods)
        => PeerIdentities("", new PolicyPeer { NamespaceSelector = namespaces, PodSelector = pods });

    /// <summary>S6.2 for cluster policy addresses: pods whose IP lies in the block.</summary>
    internal IdentitySet AddressIdentities(CompiledIpBlock block) => IpBlockIdentities(block);

    private readonly Dictionary<string, IdentitySet> blockCache = new(StringComparer.Ordinal);

    /// <summary>S6.2: pods whose IP lies in the block. Only atoms that hold a pod are looked at; equal blocks are computed once.</summary>
    private IdentitySet IpBlockIdentities(CompiledIpBlock block)
    {
        var key = block.ToString();
        if (!blockCache.TryGetValue(key, out var cached))
        {
            blockCache[key] = cached = ComputeIpBlockIdentities(block);
        }

        return cached;
    }

    private IdentitySet ComputeIpBlockIdentities(CompiledIpBlock block)
    {
        var result = new SortedSet<int>();
        var first = atoms.Locate(block.Cidr.Family, block.Cidr.Network);
        var last = atoms.Locate(block.Cidr.Family, block.Cidr.Last);
        var start = Array.BinarySearch(occupiedAtoms, first);
        for (var i = start >= 0 ? start : ~start; i < occupiedAtoms.Length && occupiedAtoms[i] <= last; i++)
        {
            var (family, witness) = atoms.Start(occupiedAtoms[i]);
            if (block.Contains(family, witness))
            {
                result.UnionWith(atomIdentities[occupiedAtoms[i]]);
            }
        }

        return IdentitySet.FromSorted([.. result]);
    }
}
