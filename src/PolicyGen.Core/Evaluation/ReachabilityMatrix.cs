using System.Collections.Immutable;
using PolicyGen.Diagnostics;
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
        IdentitySet[] rows, int classCount, ImmutableArray<StageTiming> timings)
    {
        Timings = timings;
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

    /// <summary>How long each stage of <see cref="Compute"/> took (port classes, ingress rows, egress rows).</summary>
    public ImmutableArray<StageTiming> Timings { get; }

    /// <summary>Per identity its row group (-1: not isolated), and per group the row of each probe class.</summary>
    internal sealed record Direction(int[] Group, int[][] GroupRows);

    public static ReachabilityMatrix Compute(PolicyEvaluator evaluator, IReadOnlyList<PortProbe> probes, IProgress<double>? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var timings = ImmutableArray.CreateBuilder<StageTiming>(3);
        void Lap(string stage)
        {
            timings.Add(new StageTiming(stage, clock.Elapsed));
            clock.Restart();
        }

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

        Lap("port classes");
        var builder = new RowBuilder(evaluator, [.. representatives], classes, slots);
        var ingress = builder.Build(PolicyDirection.Ingress, progress, 0);
        Lap("ingress rows");
        var egress = builder.Build(PolicyDirection.Egress, progress, 0.5);
        Lap("egress rows");
        if (!evaluator.Layers.IsEmpty)
        {
            // S18: admin and baseline tiers reshape the rows of the identities they govern.
            var layered = new LayeredRows(evaluator, [.. representatives], builder.Rows);
            ingress = layered.Apply(PolicyDirection.Ingress, ingress);
            egress = layered.Apply(PolicyDirection.Egress, egress);
            Lap("cluster policy rows");
        }

        return new ReachabilityMatrix(evaluator, probes, probeSlot, ingress, egress, [.. builder.Rows], representatives.Count, timings.ToImmutable());
    }

    /// <summary>The verdict for endpoints (indexes into Cluster.Endpoints) on probe <paramref name="probe"/>.</summary>
    public PairVerdict Get(int probe, int from, int to)
    {
        if (from == to && evaluator.Options.SelfTraffic == SelfTrafficMode.Allow && evaluator.Cluster.Endpoints[from].SinglePod)
        {
            return new PairVerdict(true, true, true); // S12; a workload of several pods to itself is replica to replica
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
    internal IdentitySet? EgressSet(int probe, int sourceIdentity) => Row(egress, probeSlot[probe], sourceIdentity);

    /// <summary>Source identities a destination identity's ingress allows on a probe; null when it is not isolated.</summary>
    internal IdentitySet? IngressSet(int probe, int destinationIdentity) => Row(ingress, probeSlot[probe], destinationIdentity);

    // The grouped form of the answer, for outputs that must not grow with endpoints squared
    // (npgen matrix -o json): endpoints fold into groups (identities), and per probe each group has
    // an egress row and an ingress row, an index into the shared rows, or -1 when the group is not
    // isolated in that direction. Rows are sets of groups as [start, end) ranges.

    /// <summary>Groups of endpoints that every policy treats alike (identities).</summary>
    public int GroupCount => evaluator.IdentityCount;

    /// <summary>The group of an endpoint (an index into Cluster.Endpoints).</summary>
    public int GroupOf(int endpoint) => evaluator.IdentityOf(endpoint);

    /// <summary>The groups a row holds, as ascending, disjoint [start, end) ranges.</summary>
    public IEnumerable<(int Start, int End)> RowRanges(int row)
    {
        var set = rows[row];
        for (var i = 0; i < set.RangeCount; i++)
        {
            yield return set.RangeAt(i);
        }
    }

    /// <summary>The row of destination groups a source group may open connections to on a probe, or -1: not isolated, every destination.</summary>
    public int EgressRow(int probe, int group) => RowIndex(egress, probeSlot[probe], group);

    /// <summary>The row of source groups a destination group accepts on a probe, or -1: not isolated, every source.</summary>
    public int IngressRow(int probe, int group) => RowIndex(ingress, probeSlot[probe], group);

    private static int RowIndex(Direction direction, int slot, int identity)
    {
        var group = direction.Group[identity];
        return group < 0 ? -1 : direction.GroupRows[group][slot];
    }

    /// <summary>Builds the rows of one direction, grouping identities that the same rules isolate.</summary>
    private sealed class RowBuilder(PolicyEvaluator evaluator, PortProbe[] representatives, PortClasses classes, Dictionary<int, int> slotOfClass)
    {
        private readonly Dictionary<IdentitySet, int> setIds = [];
        private readonly List<IdentitySet> sets = [];
        private readonly Dictionary<int[], int> unions = new(IdListComparer.Instance);
        private readonly Dictionary<IdentitySet, int> rowIds = [];
        private readonly Dictionary<(int Set, string Name, Protocol Protocol, int Port), int> namedIntersections = [];
        private Dictionary<(string Name, Protocol Protocol, int Port), IdentitySet>? resolved;

        public List<IdentitySet> Rows { get; } = [];

        public Direction Build(PolicyDirection direction, IProgress<double>? progress, double progressBase)
        {
            var identities = evaluator.Identities;
            var group = new int[identities.Count];
            // Per distinct list of applicable policies: its rules (worked out once) and its group.
            // The evaluator hands out one array per distinct list, so most lookups are by reference.
            var byArray = new Dictionary<int[], ApplicableRules>(ReferenceEqualityComparer.Instance);
            var byContent = new Dictionary<int[], ApplicableRules>(IdListComparer.Instance);
            var contentLookup = byContent.GetAlternateLookup<ReadOnlySpan<int>>();
            var groupOfList = new Dictionary<ApplicableRules, int>(ReferenceEqualityComparer.Instance);
            var groupRows = new List<int[]>();
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

                if (!byArray.TryGetValue(applicable, out var list))
                {
                    if (!contentLookup.TryGetValue(applicable, out list))
                    {
                        list = Applicable(applicable, direction);
                        byContent[applicable] = list;
                    }

                    byArray[applicable] = list;
                }

                // Identities with the same policies share rows, unless an ingress rule names a port:
                // then the identity's own container ports decide (S7.4), so it gets rows of its own.
                if (direction == PolicyDirection.Ingress && list.UsesNames)
                {
                    group[i] = groupRows.Count;
                    groupRows.Add(RowsOf(i, list, direction));
                }
                else
                {
                    if (!groupOfList.TryGetValue(list, out var g))
                    {
                        groupOfList[list] = g = groupRows.Count;
                        groupRows.Add(RowsOf(i, list, direction));
                    }

                    group[i] = g;
                }
            }

            return new Direction(group, [.. groupRows]);
        }

        private readonly Dictionary<CompiledRule, ulong[]> numericSlots = new(ReferenceEqualityComparer.Instance);
        private readonly List<CompiledRule> scratchRules = [];
        private readonly HashSet<int> scratchKept = [];
        private readonly List<int> scratchIds = [];
        private readonly Dictionary<ulong, int> scratchRowOfMask = [];
        private readonly List<int> scratchUnique = [];
        private readonly List<IdentitySet> scratchUnion = [];

        /// <summary>The probe classes (slots) a rule's numeric entries allow, as a bitmask over slots; computed once per rule.</summary>
        private ulong[] NumericSlots(CompiledRule rule)
        {
            if (!numericSlots.TryGetValue(rule, out var mask))
            {
                mask = new ulong[(representatives.Length + 63) >> 6];
                for (var slot = 0; slot < representatives.Length; slot++)
                {
                    if (rule.Ports.MatchesNumeric(representatives[slot].Protocol, representatives[slot].Port))
                    {
                        mask[slot >> 6] |= 1UL << slot;
                    }
                }

                numericSlots[rule] = mask;
            }

            return mask;
        }

        /// <summary>
        /// The rules of a list of applicable policies. Rules with the same peers and the same ports
        /// add the same thing: one of each is kept (a namespace with hundreds of copies of one policy
        /// shape costs like one).
        /// </summary>
        private ApplicableRules Applicable(int[] applicable, PolicyDirection direction)
        {
            var rules = scratchRules;
            var kept = scratchKept;
            rules.Clear();
            kept.Clear();
            var namedEgress = false;
            var named = new List<int>();
            foreach (var p in applicable)
            {
                foreach (var (key, rule) in KeyedRules(p, direction))
                {
                    if (kept.Add(key))
                    {
                        if (rule.Ports.Names.Count > 0)
                        {
                            named.Add(rules.Count);
                            namedEgress |= direction == PolicyDirection.Egress;
                        }

                        rules.Add(rule);
                    }
                }
            }

            var byMask = rules.Count <= 64 && !namedEgress;
            CompiledRule[] distinct = [.. rules];
            // Only a list whose identities get rows of their own comes back to its masks; the others build them once, in RowsByMask.
            var masks = byMask && named.Count > 0 ? new ulong[representatives.Length] : [];
            AddNumeric(distinct, masks);

            // Rules with one key name the same ports, so some rule names a port exactly when a kept one does.
            return new ApplicableRules(distinct, byMask, masks, [.. named], named.Count > 0);
        }

        /// <summary>Per slot, sets bit r for each rule r whose numeric entries allow it.</summary>
        private void AddNumeric(CompiledRule[] rules, Span<ulong> masks)
        {
            if (masks.IsEmpty)
            {
                return;
            }

            for (var r = 0; r < rules.Length; r++)
            {
                var bit = 1UL << r;
                var numeric = NumericSlots(rules[r]);
                for (var w = 0; w < numeric.Length; w++)
                {
                    for (var word = numeric[w]; word != 0; word &= word - 1)
                    {
                        masks[(w << 6) + System.Numerics.BitOperations.TrailingZeroCount(word)] |= bit;
                    }
                }
            }
        }

        private readonly (int Key, CompiledRule Rule)[]?[][] keyedRules = [new (int, CompiledRule)[]?[evaluator.Policies.Count], new (int, CompiledRule)[]?[evaluator.Policies.Count]];

        /// <summary>A policy's rules in one direction, each distinct key once with its first rule; worked out once per policy, not once per list it is in.</summary>
        private (int Key, CompiledRule Rule)[] KeyedRules(int policy, PolicyDirection direction)
        {
            ref var keyed = ref keyedRules[(int)direction][policy];
            if (keyed is null)
            {
                var list = new List<(int, CompiledRule)>();
                foreach (var rule in evaluator.Policies[policy].Rules(direction))
                {
                    var key = RuleKey(rule);
                    if (!list.Exists(k => k.Item1 == key))
                    {
                        list.Add((key, rule));
                    }
                }

                keyed = [.. list];
            }

            return keyed;
        }

        /// <summary>For each probe class: the union of the peer sets of the rules that allow it.</summary>
        private int[] RowsOf(int identity, ApplicableRules list, PolicyDirection direction)
            => list.ByMask ? RowsByMask(identity, list) : RowsByList(identity, list.Rules, direction);

        /// <summary>
        /// The common case: per slot, the set of rules that allow it is a 64-bit mask (numeric entries
        /// from the list's masks, named ingress entries from this identity's own ports), and each
        /// distinct mask becomes one row.
        /// </summary>
        private int[] RowsByMask(int identity, ApplicableRules list)
        {
            var slots = representatives.Length;
            Span<ulong> masks = slots <= 256 ? stackalloc ulong[slots] : new ulong[slots];
            if (list.NumericMasks.Length == slots)
            {
                list.NumericMasks.CopyTo(masks);
            }
            else
            {
                masks.Clear();
                AddNumeric(list.Rules, masks);
            }
            var subject = evaluator.Identities[identity];
            var rules = list.Rules;
            foreach (var r in list.NamedRules)
            {
                var bit = 1UL << r;
                foreach (var (protocol, name) in rules[r].Ports.Names)
                {
                    // Named ports resolve on the destination, which is this row's identity (S7.4).
                    if (subject.NamedPorts.TryGetValue((name, protocol), out var numbers))
                    {
                        foreach (var number in numbers)
                        {
                            if (SlotOf(protocol, number) is { } slot)
                            {
                                masks[slot] |= bit;
                            }
                        }
                    }
                }
            }

            var result = new int[slots];
            // A list without named ports is built once (its identities share the group), so its masks go to scratch space.
            var rowOfMask = list.UsesNames ? list.RowOfMask : scratchRowOfMask;
            if (!list.UsesNames)
            {
                rowOfMask.Clear();
            }

            var ids = scratchIds;
            for (var slot = 0; slot < slots; slot++)
            {
                if (!rowOfMask.TryGetValue(masks[slot], out var row))
                {
                    ids.Clear();
                    for (var m = masks[slot]; m != 0; m &= m - 1)
                    {
                        ids.Add(RuleSetId(rules[System.Numerics.BitOperations.TrailingZeroCount(m)]));
                    }

                    ids.Sort();
                    rowOfMask[masks[slot]] = row = RowOf(ids);
                }

                result[slot] = row;
            }

            return result;
        }

        /// <summary>The slot of the class a port lies in (the classes and their slots are the matrix's own), or null when no probe is of that class.</summary>
        private int? SlotOf(Model.Protocol protocol, int port)
            => slotOfClass.TryGetValue(classes.ClassOf(protocol, port), out var s) ? s : null;

        /// <summary>The general case (many rules, or egress named ports resolved per destination): per slot, a list of sets.</summary>
        private int[] RowsByList(int identity, CompiledRule[] rules, PolicyDirection direction)
        {
            var subject = evaluator.Identities[identity];
            var slots = representatives.Length;
            var result = new int[slots];
            var seen = new List<(List<int> Sets, int Row)>();
            for (var slot = 0; slot < slots; slot++)
            {
                var (port, protocol) = (representatives[slot].Port, representatives[slot].Protocol);
                var list = new List<int>();
                foreach (var rule in rules)
                {
                    var set = RuleSetId(rule);
                    if (direction == PolicyDirection.Ingress)
                    {
                        if (rule.Ports.Matches(protocol, port, subject))
                        {
                            list.Add(set);
                        }
                    }
                    else if (rule.Ports.MatchesNumeric(protocol, port))
                    {
                        list.Add(set);
                    }
                    else
                    {
                        // A named port resolves on each destination: keep the peers where it means this port.
                        foreach (var (entryProtocol, name) in rule.Ports.Names)
                        {
                            if (entryProtocol == protocol && Resolved(name, protocol, port) is { } where)
                            {
                                list.Add(NamedIntersection(set, name, protocol, port, where));
                            }
                        }
                    }
                }

                list.Sort();
                var row = -1;
                foreach (var (sets, r) in seen)
                {
                    if (sets.SequenceEqual(list))
                    {
                        row = r;
                        break;
                    }
                }

                if (row < 0)
                {
                    row = RowOf(list);
                    seen.Add((list, row));
                }

                result[slot] = row;
            }

            return result;
        }

        private readonly Dictionary<CompiledRule, int> ruleSets = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<CompiledRule, int> ruleKeys = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, int> ruleKeyIds = new(StringComparer.Ordinal);

        /// <summary>Equal for rules with the same peer set, the same numeric classes and the same port names.</summary>
        private int RuleKey(CompiledRule rule)
        {
            if (!ruleKeys.TryGetValue(rule, out var id))
            {
                var text = new System.Text.StringBuilder().Append(RuleSetId(rule)).Append('|');
                foreach (var word in NumericSlots(rule))
                {
                    text.Append(word).Append(',');
                }

                foreach (var (protocol, name) in rule.Ports.Names)
                {
                    text.Append('|').Append(name).Append('/').Append(protocol);
                }

                var key = text.ToString();
                if (!ruleKeyIds.TryGetValue(key, out id))
                {
                    ruleKeyIds[key] = id = ruleKeyIds.Count;
                }

                ruleKeys[rule] = id;
            }

            return id;
        }

        private int RuleSetId(CompiledRule rule)
        {
            if (!ruleSets.TryGetValue(rule, out var id))
            {
                ruleSets[rule] = id = SetId(rule.PeerIdentities);
            }

            return id;
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

        /// <summary>The row for a union of sets (ids ascending), computed once per distinct list and stored once per distinct content.</summary>
        private int RowOf(List<int> contributing)
        {
            // The ids come sorted, so dropping repeats of the previous id leaves each once, in order;
            // the key array is allocated only for a list not seen before.
            var unique = scratchUnique;
            unique.Clear();
            foreach (var id in contributing)
            {
                if (unique.Count == 0 || unique[^1] != id)
                {
                    unique.Add(id);
                }
            }

            var key = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(unique);
            var lookup = unions.GetAlternateLookup<ReadOnlySpan<int>>();
            if (lookup.TryGetValue(key, out var row))
            {
                return row;
            }

            scratchUnion.Clear();
            foreach (var id in unique)
            {
                scratchUnion.Add(sets[id]);
            }

            var union = IdentitySet.Union(scratchUnion);
            if (!rowIds.TryGetValue(union, out row))
            {
                rowIds[union] = row = Rows.Count;
                Rows.Add(union);
            }

            lookup[key] = row;
            return row;
        }
    }
}
