using System.Collections.Immutable;
using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// The evaluator's verdicts for flows between a pod and an address. Only the pod's half applies
/// (S11), which depends on its identity. Without cluster layers (S18) that half is the evaluator's
/// <c>AllowsExternal</c>: allowed when no policy isolates the identity that way, else when some rule
/// of an isolating policy has the address as a peer and matches the port. Each rule's answer for
/// every address and probe is computed once (<see cref="RuleBits"/>) and an identity's verdicts are
/// the union of its rules', instead of asking the evaluator (JIT code: it holds UInt128) once per
/// identity, address, direction and probe: ~1.3 million questions at 1,000 apps. A named port
/// resolves on the destination pod (S7.4), so an identity whose ingress rules name ports, and any
/// cluster with layers, is asked of the evaluator as before, cached per probe.
/// </summary>
internal sealed class ExternalVerdictCache
{
    private const long MaxEntries = 50_000_000;

    private readonly PolicyEvaluator evaluator;
    private readonly int[] identity;
    private readonly int[] addressIndex;
    private readonly int[] addressWitnesses;
    private readonly int addressCount;
    private readonly AddressNumbers numbers;
    private readonly IReadOnlyList<PortProbe> probes;

    /// <summary>Words of a verdict row: one bit per address and probe, address-major.</summary>
    private readonly int words;

    /// <summary>Per identity and direction (identity × 2 + 1 for ingress): its verdict row, <see cref="AskEvaluator"/>, or null before it is needed.</summary>
    private readonly ulong[]?[] rows;

    /// <summary>Per compiled rule: its verdict bits.</summary>
    private readonly Dictionary<CompiledRule, ulong[]> ruleBits = new(ReferenceEqualityComparer.Instance);

    /// <summary>Per slot of the probe being compared: -1 not asked yet, 0 denied, 1 allowed.</summary>
    private readonly sbyte[] verdicts;
    private int cachedProbe = -1;

    /// <summary>The row of an identity whose verdicts only the evaluator gives (named ports, layers).</summary>
    private static readonly ulong[] AskEvaluator = [];

    /// <param name="identity">Per witness, its identity in the evaluator, or -1 for an address.</param>
    /// <param name="addressWitnesses">The positions of the address witnesses.</param>
    public ExternalVerdictCache(PolicyEvaluator evaluator, ImmutableArray<Witness> witnesses, int[] identity, int[] addressWitnesses, IReadOnlyList<PortProbe> probes)
    {
        this.evaluator = evaluator;
        this.identity = identity;
        this.addressWitnesses = addressWitnesses;
        this.probes = probes;
        numbers = new AddressNumbers(witnesses);
        addressCount = addressWitnesses.Length;
        addressIndex = new int[witnesses.Length];
        for (var a = 0; a < addressWitnesses.Length; a++)
        {
            addressIndex[addressWitnesses[a]] = a;
        }

        words = (int)Math.Min(int.MaxValue, (((long)addressCount * probes.Count) + 63) / 64);
        var byRules = evaluator.Layers.IsEmpty && (long)evaluator.IdentityCount * 2 * words <= MaxEntries / 8;
        rows = new ulong[byRules ? evaluator.IdentityCount * 2 : 0][];
        var cacheable = (long)evaluator.IdentityCount * addressCount * 2 <= MaxEntries;
        verdicts = new sbyte[cacheable ? evaluator.IdentityCount * addressCount * 2 : 0];
    }

    /// <summary>Whether the policies allow the flow of probe number <paramref name="p"/> from witness <paramref name="from"/> to <paramref name="to"/>, one a pod and the other an address.</summary>
    public bool Allows(int from, int to, int p)
    {
        var egress = identity[from] >= 0;
        var pod = egress ? identity[from] : identity[to];
        var address = egress ? addressIndex[to] : addressIndex[from];
        if (rows.Length > 0)
        {
            var slot = (pod * 2) + (egress ? 0 : 1);
            var row = rows[slot] ??= Row(pod, egress ? PolicyDirection.Egress : PolicyDirection.Ingress);
            if (row.Length > 0)
            {
                var bit = (address * probes.Count) + p;
                return (row[bit >> 6] & (1UL << bit)) != 0;
            }
        }

        return Asked(pod, egress, address, p);
    }

    /// <summary>The evaluator's own answer, kept for the probe being compared.</summary>
    private bool Asked(int pod, bool egress, int address, int p)
    {
        if (p != cachedProbe)
        {
            Array.Fill(verdicts, (sbyte)-1);
            cachedProbe = p;
        }

        var slot = verdicts.Length == 0 ? -1 : (((pod * addressCount) + address) * 2) + (egress ? 0 : 1);
        if (slot >= 0 && verdicts[slot] >= 0)
        {
            return verdicts[slot] == 1;
        }

        var allowed = numbers.AllowsExternal(evaluator, pod, egress ? PolicyDirection.Egress : PolicyDirection.Ingress, addressWitnesses[address], probes[p]);
        if (slot >= 0)
        {
            verdicts[slot] = (sbyte)(allowed ? 1 : 0);
        }

        return allowed;
    }

    /// <summary>An identity's verdicts for every address and probe one way: the union of its isolating policies' rules, or all when none isolates it.</summary>
    private ulong[] Row(int pod, PolicyDirection direction)
    {
        var applicable = evaluator.PoliciesOf(pod, direction);
        var row = new ulong[words];
        if (applicable.Length == 0)
        {
            for (var bit = 0; bit < addressCount * probes.Count; bit++)
            {
                row[bit >> 6] |= 1UL << bit;
            }

            return row;
        }

        foreach (var policy in applicable)
        {
            foreach (var rule in evaluator.Policies[policy].Rules(direction))
            {
                if (direction == PolicyDirection.Ingress && rule.Ports.Names.Count > 0)
                {
                    return AskEvaluator;
                }

                var bits = RuleBits(rule);
                for (var w = 0; w < words; w++)
                {
                    row[w] |= bits[w];
                }
            }
        }

        return row;
    }

    /// <summary>
    /// A rule's verdicts for every address and probe: the address is a peer and a port entry that
    /// does not name a port matches (a named one never matches towards an address: S7.4).
    /// </summary>
    private ulong[] RuleBits(CompiledRule rule)
    {
        if (ruleBits.TryGetValue(rule, out var bits))
        {
            return bits;
        }

        bits = new ulong[words];
        var ports = new bool[probes.Count];
        for (var p = 0; p < probes.Count; p++)
        {
            ports[p] = rule.Ports.MatchesNumeric(probes[p].Protocol, probes[p].Port);
        }

        for (var a = 0; a < addressCount; a++)
        {
            if (!numbers.IsPeer(rule, addressWitnesses[a]))
            {
                continue;
            }

            for (var p = 0; p < probes.Count; p++)
            {
                if (ports[p])
                {
                    var bit = (a * probes.Count) + p;
                    bits[bit >> 6] |= 1UL << bit;
                }
            }
        }

        ruleBits[rule] = bits;
        return bits;
    }
}
