using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// Reachability between every ordered pair of endpoints for a list of ports, computed over
/// identities and port classes (docs/performance-goals: identities, port atoms, rows of allowed
/// peers). The port space is cut at every boundary a rule or a resolved named port implies, so a
/// probe stands for its whole class. For each direction, each isolated identity gets, per class, a
/// row: the set of peer identities its rules let through (the union of the rules' peer sets,
/// with egress named ports resolved on each destination, S7.4). Identities isolated by the same
/// rules share their rows, and equal rows are stored once; identities no policy isolates have no
/// row at all (every peer allowed), so the whole answer for 150,000 pods fits in memory.
/// </summary>
public sealed class ReachabilityMatrix
{
    private readonly PolicyEvaluator evaluator;
    private readonly int[] probeSlot;
    private readonly Direction ingress;
    private readonly Direction egress;
    private readonly IdentitySet[] rows;

    private ReachabilityMatrix(PolicyEvaluator evaluator, IReadOnlyList<PortProbe> probes, int[] probeSlot, Direction ingress, Direction egress,
        IdentitySet[] rows, int classCount)
    {
        this.evaluator = evaluator;
        Probes = probes;
        this.probeSlot = probeSlot;
        this.ingress = ingress;
        this.egress = egress;
        this.rows = rows;
        ClassCount = classCount;
    }

    public IReadOnlyList<PortProbe> Probes { get; }

    /// <summary>Distinct port classes among the probes (probes of one class share their rows).</summary>
    public int ClassCount { get; }

    /// <summary>Distinct rows stored, over both directions and every class.</summary>
    public int RowCount => rows.Length;

    public PolicyEvaluator Evaluator => evaluator;

    /// <summary>Per identity its row group (-1: not isolated), and per group the row of each probe class.</summary>
    private sealed record Direction(int[] Group, int[][] GroupRows);

    public static ReachabilityMatrix Compute(PolicyEvaluator evaluator, IReadOnlyList<PortProbe> probes, IProgress<double>? progress = null)
    {
        var classes = PortClasses.Of(evaluator);
        var slots = new Dictionary<int, int>();
        var probeSlot = new int[probes.Count];
        var representatives = new List<PortProbe>();
        for (var i = 0; i < probes.Count; i++)
        {
            var c = classes.ClassOf(probes[i].Protocol, probes[i].Port);
            if (!slots.TryGetValue(c, out var slot))
            {
                slots[c] = slot = representatives.Count;
                representatives.Add(classes.Representative(c));
            }

            probeSlot[i] = slot;
        }

        var builder = new RowBuilder(evaluator, [.. representatives]);
        var ingress = builder.Build(PolicyDirection.Ingress, progress, 0);
        var egress = builder.Build(PolicyDirection.Egress, progress, 0.5);
        return new ReachabilityMatrix(evaluator, probes, probeSlot, ingress, egress, [.. builder.Rows], representatives.Count);
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
        var slot = probeSlot[probe];
        var egressOk = Row(egress, slot, source)?.Contains(destination) ?? true;
        var ingressOk = Row(ingress, slot, destination)?.Contains(source) ?? true;
        return new PairVerdict(egressOk && ingressOk, ingressOk, egressOk);
    }

    private IdentitySet? Row(Direction direction, int slot, int identity)
    {
        var group = direction.Group[identity];
        return group < 0 ? null : rows[direction.GroupRows[group][slot]];
    }

    /// <summary>Destination identities a source identity's egress allows on a probe; null when it is not isolated.</summary>
    internal IdentitySet? EgressRow(int probe, int sourceIdentity) => Row(egress, probeSlot[probe], sourceIdentity);

    /// <summary>Source identities a destination identity's ingress allows on a probe; null when it is not isolated.</summary>
    internal IdentitySet? IngressRow(int probe, int destinationIdentity) => Row(ingress, probeSlot[probe], destinationIdentity);

    /// <summary>The row index (into <see cref="RowSet"/>) of an identity on a probe, or -1 when not isolated.</summary>
    internal int EgressRowIndex(int probe, int identity) => RowIndex(egress, probeSlot[probe], identity);

    internal int IngressRowIndex(int probe, int identity) => RowIndex(ingress, probeSlot[probe], identity);

    internal int SlotOf(int probe) => probeSlot[probe];

    internal IdentitySet RowSet(int index) => rows[index];

    private static int RowIndex(Direction direction, int slot, int identity)
    {
        var group = direction.Group[identity];
        return group < 0 ? -1 : direction.GroupRows[group][slot];
    }

    /// <summary>Builds the rows of one direction, grouping identities that the same rules isolate.</summary>
    private sealed class RowBuilder(PolicyEvaluator evaluator, PortProbe[] representatives)
    {
        private readonly Dictionary<IdentitySet, int> setIds = [];
        private readonly List<IdentitySet> sets = [];
        private readonly Dictionary<string, int> unions = new(StringComparer.Ordinal);
        private readonly Dictionary<IdentitySet, int> rowIds = [];
        private readonly Dictionary<(int Set, string Name, Protocol Protocol, int Port), int> namedIntersections = [];
        private Dictionary<(string Name, Protocol Protocol, int Port), IdentitySet>? resolved;

        public List<IdentitySet> Rows { get; } = [];

        public Direction Build(PolicyDirection direction, IProgress<double>? progress, double progressBase)
        {
            var identities = evaluator.Identities;
            var group = new int[identities.Count];
            var groups = new Dictionary<string, int>(StringComparer.Ordinal);
            var groupRows = new List<int[]>();
            var key = new System.Text.StringBuilder();
            for (var i = 0; i < identities.Count; i++)
            {
                if ((i & 1023) == 0)
                {
                    progress?.Report(progressBase + (0.5 * i / identities.Count));
                }

                var applicable = evaluator.PoliciesOf(i, direction);
                if (applicable.Length == 0)
                {
                    group[i] = -1; // S2.2: not isolated, every peer allowed.
                    continue;
                }

                // Identities with the same policies share rows, unless an ingress rule names a port:
                // then the identity's own container ports decide (S7.4), so they join the key.
                key.Clear().AppendJoin(',', applicable);
                if (direction == PolicyDirection.Ingress && UsesNames(applicable, direction))
                {
                    key.Append('|').Append(i);
                }

                var text = key.ToString();
                if (!groups.TryGetValue(text, out var g))
                {
                    groups[text] = g = groupRows.Count;
                    groupRows.Add(RowsOf(i, applicable, direction));
                }

                group[i] = g;
            }

            return new Direction(group, [.. groupRows]);
        }

        private bool UsesNames(int[] applicable, PolicyDirection direction)
        {
            foreach (var p in applicable)
            {
                foreach (var rule in evaluator.Policies[p].Rules(direction))
                {
                    if (rule.Ports.Names.Count > 0)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>For each probe class: the union of the peer sets of the rules that allow it.</summary>
        private int[] RowsOf(int identity, int[] applicable, PolicyDirection direction)
        {
            var subject = evaluator.Identities[identity];
            var result = new int[representatives.Length];
            var contributing = new List<int>();
            for (var slot = 0; slot < representatives.Length; slot++)
            {
                var (port, protocol) = (representatives[slot].Port, representatives[slot].Protocol);
                contributing.Clear();
                foreach (var p in applicable)
                {
                    foreach (var rule in evaluator.Policies[p].Rules(direction))
                    {
                        if (direction == PolicyDirection.Ingress)
                        {
                            // Named ports resolve on the destination, which is this row's identity (S7.4).
                            if (rule.Ports.Matches(protocol, port, subject))
                            {
                                contributing.Add(SetId(rule.PeerIdentities));
                            }
                        }
                        else if (rule.Ports.MatchesNumeric(protocol, port))
                        {
                            contributing.Add(SetId(rule.PeerIdentities));
                        }
                        else
                        {
                            // A named port resolves on each destination: keep the peers where it means this port.
                            foreach (var (entryProtocol, name) in rule.Ports.Names)
                            {
                                if (entryProtocol == protocol && Resolved(name, protocol, port) is { } where)
                                {
                                    contributing.Add(NamedIntersection(SetId(rule.PeerIdentities), name, protocol, port, where));
                                }
                            }
                        }
                    }
                }

                result[slot] = RowOf(contributing);
            }

            return result;
        }

        private int SetId(IdentitySet set)
        {
            if (!setIds.TryGetValue(set, out var id))
            {
                setIds[set] = id = sets.Count;
                sets.Add(set);
            }

            return id;
        }

        private int NamedIntersection(int set, string name, Protocol protocol, int port, IdentitySet where)
        {
            if (!namedIntersections.TryGetValue((set, name, protocol, port), out var id))
            {
                namedIntersections[(set, name, protocol, port)] = id = SetId(sets[set].Intersect(where));
            }

            return id;
        }

        /// <summary>The identities whose container port named <paramref name="name"/> with this protocol has this number.</summary>
        private IdentitySet? Resolved(string name, Protocol protocol, int port)
        {
            if (resolved is null)
            {
                var lists = new Dictionary<(string, Protocol, int), List<int>>();
                foreach (var identity in evaluator.Identities)
                {
                    foreach (var ((n, p), numbers) in identity.NamedPorts)
                    {
                        foreach (var number in numbers)
                        {
                            if (!lists.TryGetValue((n, p, number), out var list))
                            {
                                lists[(n, p, number)] = list = [];
                            }

                            list.Add(identity.Index);
                        }
                    }
                }

                resolved = lists.ToDictionary(l => l.Key, l => IdentitySet.FromSorted([.. l.Value]));
            }

            return resolved.GetValueOrDefault((name, protocol, port));
        }

        /// <summary>The row for a union of sets, computed once per distinct list and stored once per distinct content.</summary>
        private int RowOf(List<int> contributing)
        {
            contributing.Sort();
            var key = string.Join(',', contributing.Distinct());
            if (unions.TryGetValue(key, out var row))
            {
                return row;
            }

            var union = IdentitySet.Union([.. contributing.Distinct().Select(id => sets[id])]);
            if (!rowIds.TryGetValue(union, out row))
            {
                rowIds[union] = row = Rows.Count;
                Rows.Add(union);
            }

            unions[key] = row;
            return row;
        }
    }
}
