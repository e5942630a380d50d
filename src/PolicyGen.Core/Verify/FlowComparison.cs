using System.Collections.Immutable;
using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// Compares, for one probe at a time, the reachability the intent means with the reachability
/// the policies give, on every ordered pair of witnesses except address to address, and returns
/// the flows where they differ. Counts the flows it checked.
/// </summary>
/// <remarks>
/// Each half is compared as whole rows: when every pod witness's intended egress row equals its
/// actual egress row and likewise for ingress (self aside), every pod-to-pod conjunction agrees,
/// at a cost of rows × witnesses / 64 words instead of witnesses² lookups. Only a probe where some
/// half differs (a template that changed the meaning) is checked pair by pair, which is the
/// definition and names each differing flow. Pairs with an address end are always checked one by one.
/// </remarks>
internal sealed class FlowComparison
{
    private readonly ImmutableArray<Witness> witnesses;
    private readonly ReachabilityMatrix matrix;

    /// <summary>Per witness, its identity in the evaluator, or -1 for an address.</summary>
    private readonly int[] identity;

    /// <summary>Per identity, the pod witnesses that have it.</summary>
    private readonly List<int>[] witnessesOf;
    private readonly Bitset pods;
    private readonly int podCount;
    private readonly Bitset everything;
    private readonly int[] allWitnesses;
    private readonly int[] addressWitnesses;
    private readonly ExternalVerdictCache external;

    /// <summary>Evaluator rows as witness sets, converted once per row object.</summary>
    private readonly Dictionary<IdentitySet, Bitset> converted = [];

    /// <summary>
    /// Rows are shared objects (one per app and port class, one per evaluator row), so the pod
    /// bits where two rows differ are found once per pair of rows.
    /// </summary>
    private readonly Dictionary<(Bitset, Bitset), List<int>> differences = [];

    public FlowComparison(WitnessWorld world, PolicyEvaluator evaluator, ReachabilityMatrix matrix, IReadOnlyList<PortProbe> probes)
    {
        this.matrix = matrix;
        witnesses = world.Witnesses;
        identity = [.. witnesses.Select(w => w.IsPod ? evaluator.IdentityOf(world.IndexOf(w)) : -1)];
        pods = new Bitset(witnesses.Length);
        witnessesOf = new List<int>[evaluator.IdentityCount];
        for (var w = 0; w < witnesses.Length; w++)
        {
            if (identity[w] >= 0)
            {
                pods.Set(w);
                (witnessesOf[identity[w]] ??= []).Add(w);
            }
        }

        podCount = pods.Count();
        everything = Bitset.Full(witnesses.Length);
        allWitnesses = [.. Enumerable.Range(0, witnesses.Length)];
        addressWitnesses = [.. allWitnesses.Where(w => identity[w] < 0)];
        external = new ExternalVerdictCache(evaluator, witnesses, identity, addressWitnesses, probes);
    }

    /// <summary>The ordered witness pairs compared so far, over all probes.</summary>
    public long CheckedFlows { get; private set; }

    /// <summary>The flows of probe number <paramref name="p"/> where the intent's rows and the policies disagree, in witness order.</summary>
    public List<DifferingFlow> Compare(int p, Bitset?[] egressRows, Bitset?[] ingressRows)
    {
        var halvesAgree = HalvesAgree(p, egressRows, ingressRows);
        if (halvesAgree)
        {
            CheckedFlows += (long)podCount * (podCount - 1);
        }

        var differing = new List<DifferingFlow>();
        for (var f = 0; f < witnesses.Length; f++)
        {
            var intendedEgress = egressRows[f];
            var actualEgress = identity[f] >= 0 ? matrix.EgressSet(p, identity[f]) : null;
            // With the halves agreeing, a pod needs only its pairs with addresses (listed last).
            foreach (var t in halvesAgree && identity[f] >= 0 ? addressWitnesses : allWitnesses)
            {
                if (f == t || (identity[f] < 0 && identity[t] < 0) || (halvesAgree && identity[f] >= 0 && identity[t] >= 0))
                {
                    continue;
                }

                CheckedFlows++;
                var intended = (intendedEgress?[t] ?? true) && (ingressRows[t]?[f] ?? true);
                var actual = identity[f] >= 0 && identity[t] >= 0 ? PodsAllow(p, actualEgress, f, t) : external.Allows(f, t, p);
                if (intended != actual)
                {
                    differing.Add(new DifferingFlow(f, t, intended, intendedEgress?[t] ?? true, actual));
                }
            }
        }

        return differing;
    }

    /// <summary>The policies' verdict between two pods: the source's egress row and the destination's ingress row (null: not isolated).</summary>
    private bool PodsAllow(int p, IdentitySet? actualEgress, int from, int to)
        => (actualEgress?.Contains(identity[to]) ?? true) && (matrix.IngressSet(p, identity[to])?.Contains(identity[from]) ?? true);

    /// <summary>Whether every pod's intended egress and ingress rows equal the policies' rows (self aside).</summary>
    private bool HalvesAgree(int p, Bitset?[] egressRows, Bitset?[] ingressRows)
    {
        for (var f = 0; f < witnesses.Length; f++)
        {
            if (identity[f] >= 0
                && !(Agree(egressRows[f] ?? everything, AsWitnesses(matrix.EgressSet(p, identity[f])), f)
                    && Agree(ingressRows[f] ?? everything, AsWitnesses(matrix.IngressSet(p, identity[f])), f)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An evaluator row (identities; null: everything) as the set of pod witnesses it holds.</summary>
    private Bitset AsWitnesses(IdentitySet? row)
    {
        if (row is null)
        {
            return everything;
        }

        if (!converted.TryGetValue(row, out var set))
        {
            set = new Bitset(witnesses.Length);
            foreach (var i in row.Ones())
            {
                foreach (var w in witnessesOf[i] ?? [])
                {
                    set.Set(w);
                }
            }

            converted[row] = set;
        }

        return set;
    }

    /// <summary>Whether two rows hold the same pods, the witness itself aside.</summary>
    private bool Agree(Bitset intendedRow, Bitset actualRow, int self)
    {
        if (ReferenceEquals(intendedRow, actualRow))
        {
            return true;
        }

        if (!differences.TryGetValue((intendedRow, actualRow), out var differ))
        {
            differences[(intendedRow, actualRow)] = differ = intendedRow.Differences(actualRow, pods, 2);
        }

        return differ.Count == 0 || (differ.Count == 1 && differ[0] == self);
    }
}
