using System.Collections.Immutable;
using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// The evaluator's verdicts for flows between a pod and an address, for one probe at a time. Only
/// the pod's half applies (S11), which depends on its identity, so each (identity, address,
/// direction) verdict is asked of the evaluator once per probe. The cache holds identities ×
/// addresses (not × every witness), so it fits at 10,000 apps too; beyond a bound it is skipped.
/// </summary>
internal sealed class ExternalVerdictCache
{
    private const long MaxEntries = 50_000_000;

    private readonly PolicyEvaluator evaluator;
    private readonly int[] identity;
    private readonly int[] addressIndex;
    private readonly int addressCount;
    private readonly AddressNumbers numbers;

    /// <summary>Per slot: -1 not asked yet, 0 denied, 1 allowed.</summary>
    private readonly sbyte[] verdicts;

    /// <param name="identity">Per witness, its identity in the evaluator, or -1 for an address.</param>
    /// <param name="addressWitnesses">The positions of the address witnesses.</param>
    public ExternalVerdictCache(PolicyEvaluator evaluator, ImmutableArray<Witness> witnesses, int[] identity, int[] addressWitnesses)
    {
        this.evaluator = evaluator;
        this.identity = identity;
        numbers = new AddressNumbers(witnesses);
        addressCount = addressWitnesses.Length;
        addressIndex = new int[witnesses.Length];
        for (var a = 0; a < addressWitnesses.Length; a++)
        {
            addressIndex[addressWitnesses[a]] = a;
        }

        var cacheable = (long)evaluator.IdentityCount * addressCount * 2 <= MaxEntries;
        verdicts = new sbyte[cacheable ? evaluator.IdentityCount * addressCount * 2 : 0];
    }

    /// <summary>Forgets every verdict: the next probe asks again.</summary>
    public void Clear() => Array.Fill(verdicts, (sbyte)-1);

    /// <summary>Whether the policies allow the flow from witness <paramref name="from"/> to <paramref name="to"/>, one a pod and the other an address.</summary>
    public bool Allows(int from, int to, PortProbe probe)
    {
        var slot = verdicts.Length == 0 ? -1
            : identity[from] >= 0 ? (((identity[from] * addressCount) + addressIndex[to]) * 2)
            : (((identity[to] * addressCount) + addressIndex[from]) * 2) + 1;
        if (slot >= 0 && verdicts[slot] >= 0)
        {
            return verdicts[slot] == 1;
        }

        var allowed = identity[from] >= 0
            ? numbers.AllowsExternal(evaluator, identity[from], PolicyDirection.Egress, to, probe)
            : numbers.AllowsExternal(evaluator, identity[to], PolicyDirection.Ingress, from, probe);
        if (slot >= 0)
        {
            verdicts[slot] = (sbyte)(allowed ? 1 : 0);
        }

        return allowed;
    }
}
