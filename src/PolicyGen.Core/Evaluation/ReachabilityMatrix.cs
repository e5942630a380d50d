using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// Reachability between every ordered pair of endpoints for a list of ports, computed over
/// identities with bitsets: for each destination identity the set of sources its ingress rules
/// allow, for each source identity the set of destinations its egress rules allow. A row is left
/// null when the identity is not isolated in that direction (every peer allowed), which keeps the
/// common case cheap and the matrix sparse.
/// </summary>
public sealed class ReachabilityMatrix
{
    private readonly PolicyEvaluator evaluator;
    private readonly Bitset?[][] ingressRows;
    private readonly Bitset?[][] egressRows;

    private ReachabilityMatrix(PolicyEvaluator evaluator, IReadOnlyList<PortProbe> probes, Bitset?[][] ingressRows, Bitset?[][] egressRows)
    {
        this.evaluator = evaluator;
        Probes = probes;
        this.ingressRows = ingressRows;
        this.egressRows = egressRows;
    }

    public IReadOnlyList<PortProbe> Probes { get; }

    public static ReachabilityMatrix Compute(PolicyEvaluator evaluator, IReadOnlyList<PortProbe> probes)
    {
        var identities = evaluator.Identities;
        var namedPorts = NamedPortIndex(identities);
        var ingress = new Bitset?[probes.Count][];
        var egress = new Bitset?[probes.Count][];
        for (var i = 0; i < probes.Count; i++)
        {
            ingress[i] = IngressRows(evaluator, probes[i]);
            egress[i] = EgressRows(evaluator, probes[i], namedPorts);
        }

        return new ReachabilityMatrix(evaluator, probes, ingress, egress);
    }

    /// <summary>The verdict for endpoints (indexes into Cluster.Endpoints) on probe <paramref name="probe"/>.</summary>
    public PairVerdict Get(int probe, int from, int to)
    {
        if (from == to && evaluator.Options.SelfTraffic == SelfTrafficMode.Allow && evaluator.Cluster.Endpoints[from].Kind == "Pod")
        {
            return new PairVerdict(true, true, true); // S12; a workload to itself is replica to replica
        }

        var source = evaluator.IdentityOf(from);
        var destination = evaluator.IdentityOf(to);
        var egressOk = egressRows[probe][source]?[destination] ?? true;
        var ingressOk = ingressRows[probe][destination]?[source] ?? true;
        return new PairVerdict(egressOk && ingressOk, ingressOk, egressOk);
    }

    /// <summary>
    /// One source endpoint's cells on a probe as three bit rows over the destination endpoints
    /// (allowed, ingress, egress; least significant bit first), as the canonical digest lays them out.
    /// </summary>
    public void WriteRows(int probe, int from, Span<byte> allowed, Span<byte> ingress, Span<byte> egress)
    {
        allowed.Clear();
        ingress.Clear();
        egress.Clear();
        var count = evaluator.Cluster.Endpoints.Length;
        for (var to = 0; to < count; to++)
        {
            var cell = Get(probe, from, to);
            var mask = (byte)(1 << (to & 7));
            if (cell.Allowed)
            {
                allowed[to >> 3] |= mask;
            }

            if (cell.Ingress)
            {
                ingress[to >> 3] |= mask;
            }

            if (cell.Egress)
            {
                egress[to >> 3] |= mask;
            }
        }
    }

    /// <summary>Destination identities a source identity's egress allows on a probe; null when it is not isolated.</summary>
    internal Bitset? EgressRow(int probe, int sourceIdentity) => egressRows[probe][sourceIdentity];

    /// <summary>Source identities a destination identity's ingress allows on a probe; null when it is not isolated.</summary>
    internal Bitset? IngressRow(int probe, int destinationIdentity) => ingressRows[probe][destinationIdentity];

    private static Bitset?[] IngressRows(PolicyEvaluator evaluator, PortProbe probe)
    {
        var identities = evaluator.Identities;
        var rows = new Bitset?[identities.Count];
        for (var d = 0; d < identities.Count; d++)
        {
            var applicable = evaluator.PoliciesOf(d, PolicyDirection.Ingress);
            if (applicable.Length == 0)
            {
                continue; // S2.2: not isolated.
            }

            var row = new Bitset(identities.Count);
            foreach (var p in applicable)
            {
                foreach (var rule in evaluator.Policies[p].Rules(PolicyDirection.Ingress))
                {
                    // Named ports resolve on the destination, which is this row's identity (S7.4).
                    if (rule.Ports.Matches(probe.Protocol, probe.Port, identities[d]))
                    {
                        row.Or(rule.PeerIdentities);
                    }
                }
            }

            rows[d] = row;
        }

        return rows;
    }

    private static Bitset?[] EgressRows(PolicyEvaluator evaluator, PortProbe probe, Dictionary<(string, Protocol, int), Bitset> namedPorts)
    {
        var identities = evaluator.Identities;
        var rows = new Bitset?[identities.Count];
        for (var s = 0; s < identities.Count; s++)
        {
            var applicable = evaluator.PoliciesOf(s, PolicyDirection.Egress);
            if (applicable.Length == 0)
            {
                continue;
            }

            var row = new Bitset(identities.Count);
            foreach (var p in applicable)
            {
                foreach (var rule in evaluator.Policies[p].Rules(PolicyDirection.Egress))
                {
                    if (rule.Ports.MatchesNumeric(probe.Protocol, probe.Port))
                    {
                        row.Or(rule.PeerIdentities);
                        continue;
                    }

                    // A named port resolves on each destination (S7.4): keep the peers where it means this port.
                    foreach (var (protocol, name) in rule.Ports.Names)
                    {
                        if (protocol == probe.Protocol && namedPorts.TryGetValue((name, protocol, probe.Port), out var resolved))
                        {
                            row.OrAnd(rule.PeerIdentities, resolved);
                        }
                    }
                }
            }

            rows[s] = row;
        }

        return rows;
    }

    private static Dictionary<(string, Protocol, int), Bitset> NamedPortIndex(IReadOnlyList<Identity> identities)
    {
        var index = new Dictionary<(string, Protocol, int), Bitset>();
        foreach (var identity in identities)
        {
            foreach (var ((name, protocol), port) in identity.NamedPorts)
            {
                if (!index.TryGetValue((name, protocol, port), out var set))
                {
                    index[(name, protocol, port)] = set = new Bitset(identities.Count);
                }

                set.Set(identity.Index);
            }
        }

        return index;
    }
}
