using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// The matrix rows under the layered order (S18.2-S18.5), as set algebra over identities: per
/// governed identity and port class, the admin rules in order take what they match from the peers
/// not yet decided (Allow adds to the row, Deny removes, Pass hands over); NetworkPolicy's row
/// decides the rest when it isolates the identity, else the baseline rules in order, else the default
/// allows. Identities governed alike share rows, and equal rows are stored once.
/// </summary>
internal sealed class LayeredRows(PolicyEvaluator evaluator, PortProbe[] slots, List<IdentitySet> rows)
{
    private readonly ClusterLayers layers = evaluator.Layers;
    private readonly IdentitySet all = IdentitySet.Range(0, evaluator.IdentityCount);
    private readonly Dictionary<(string Name, Protocol Protocol, int Port), IdentitySet> holders = [];
    private Dictionary<IdentitySet, int>? rowIds;

    public ReachabilityMatrix.Direction Apply(PolicyDirection direction, ReachabilityMatrix.Direction old)
    {
        var group = (int[])old.Group.Clone();
        var groupRows = new List<int[]>(old.GroupRows);
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < group.Length; i++)
        {
            var admin = layers.PoliciesOf(ClusterPolicyTier.Admin, i, direction);
            var baseline = old.Group[i] >= 0 ? [] : layers.PoliciesOf(ClusterPolicyTier.Baseline, i, direction);
            if (admin.Length == 0 && baseline.Length == 0)
            {
                continue; // NetworkPolicy alone (or nothing) governs it: the row stays
            }

            // Ingress named ports resolve on this identity (S7.4), so then it cannot share rows.
            var own = direction == PolicyDirection.Ingress && UsesNames(admin, baseline, direction) ? i : -1;
            var key = $"{string.Join(',', admin)}|{string.Join(',', baseline)}|{old.Group[i]}|{own}";
            if (!groups.TryGetValue(key, out var g))
            {
                groups[key] = g = groupRows.Count;
                groupRows.Add([.. Enumerable.Range(0, slots.Length).Select(s => RowId(Row(i, direction, s, admin, baseline, old)))]);
            }

            group[i] = g;
        }

        return new ReachabilityMatrix.Direction(group, [.. groupRows]);
    }

    private IdentitySet Row(int identity, PolicyDirection direction, int slot, int[] admin, int[] baseline, ReachabilityMatrix.Direction old)
    {
        var decided = IdentitySet.Empty;
        var allowed = IdentitySet.Empty;
        var passed = IdentitySet.Empty;
        foreach (var p in admin)
        {
            foreach (var rule in layers.Policy(ClusterPolicyTier.Admin, p).Rules(direction))
            {
                var fresh = Matched(rule, identity, direction, slot).Except(decided);
                if (fresh.IsEmpty)
                {
                    continue;
                }

                if (rule.Action == ClusterPolicyAction.Allow)
                {
                    allowed = allowed.Union(fresh);
                }
                else if (rule.Action == ClusterPolicyAction.Pass)
                {
                    passed = passed.Union(fresh);
                }

                decided = decided.Union(fresh);
            }
        }

        var rest = all.Except(decided).Union(passed);
        if (old.Group[identity] >= 0)
        {
            return allowed.Union(rest.Intersect(rows[old.GroupRows[old.Group[identity]][slot]])); // NetworkPolicy decides the rest
        }

        var decidedByBaseline = IdentitySet.Empty;
        foreach (var p in baseline)
        {
            foreach (var rule in layers.Policy(ClusterPolicyTier.Baseline, p).Rules(direction))
            {
                var fresh = Matched(rule, identity, direction, slot).Intersect(rest).Except(decidedByBaseline);
                if (rule.Action != ClusterPolicyAction.Deny)
                {
                    allowed = allowed.Union(fresh); // Allow, or Pass to the default, which allows
                }

                decidedByBaseline = decidedByBaseline.Union(fresh);
            }
        }

        return allowed.Union(rest.Except(decidedByBaseline));
    }

    /// <summary>The peer identities a rule matches on a port class: its peers, narrowed by its ports (named ports on each destination).</summary>
    private IdentitySet Matched(CompiledClusterRule rule, int identity, PolicyDirection direction, int slot)
    {
        if (rule.Action is null)
        {
            return IdentitySet.Empty;
        }

        var (port, protocol) = (slots[slot].Port, slots[slot].Protocol);
        if (rule.Ports.MatchesNumeric(protocol, port))
        {
            return rule.PeerIdentities;
        }

        if (direction == PolicyDirection.Ingress)
        {
            return rule.Ports.Matches(protocol, port, evaluator.Identities[identity]) ? rule.PeerIdentities : IdentitySet.Empty;
        }

        var destinations = new List<IdentitySet>();
        foreach (var (p, name) in rule.Ports.Names)
        {
            if (p == protocol)
            {
                destinations.Add(Holders(name, protocol, port));
            }
        }

        return IdentitySet.Union(destinations).Intersect(rule.PeerIdentities);
    }

    /// <summary>Identities with a container port of that name, protocol and number.</summary>
    private IdentitySet Holders(string name, Protocol protocol, int port)
    {
        if (!holders.TryGetValue((name, protocol, port), out var set))
        {
            var found = new List<int>();
            foreach (var identity in evaluator.Identities)
            {
                if (identity.NamedPorts.TryGetValue((name, protocol), out var numbers) && Array.IndexOf(numbers, port) >= 0)
                {
                    found.Add(identity.Index);
                }
            }

            holders[(name, protocol, port)] = set = IdentitySet.FromSorted([.. found]);
        }

        return set;
    }

    private bool UsesNames(int[] admin, int[] baseline, PolicyDirection direction)
        => admin.Any(p => layers.Policy(ClusterPolicyTier.Admin, p).Rules(direction).Any(r => r.Ports.Names.Count > 0))
            || baseline.Any(p => layers.Policy(ClusterPolicyTier.Baseline, p).Rules(direction).Any(r => r.Ports.Names.Count > 0));

    private int RowId(IdentitySet row)
    {
        rowIds ??= rows.Select((r, i) => (r, i)).GroupBy(x => x.r).ToDictionary(g => g.Key, g => g.First().i);
        if (!rowIds.TryGetValue(row, out var id))
        {
            rowIds[row] = id = rows.Count;
            rows.Add(row);
        }

        return id;
    }
}
