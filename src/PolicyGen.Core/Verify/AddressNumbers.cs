using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// The address witnesses as numbers, for the evaluator. A type of its own: a method that holds
/// <see cref="UInt128"/> values cannot be precompiled (ReadyToRun) outside the framework, and the
/// verifier's loops then ran as unoptimised JIT code on every start.
/// </summary>
internal sealed class AddressNumbers(ImmutableArray<Witness> witnesses)
{
    private readonly (System.Net.Sockets.AddressFamily Family, UInt128 Value)[] numbers
        = [.. witnesses.Select(w => w.Address is null ? default : Cidr.ToNumber(w.Address))];

    [MethodImpl(MethodImplOptions.NoInlining)] // inlined, it would make its callers unprecompilable again
    public bool AllowsExternal(PolicyEvaluator evaluator, int identity, PolicyDirection direction, int address, PortProbe probe)
        => evaluator.AllowsExternal(identity, direction, numbers[address].Family, numbers[address].Value, probe.Port, probe.Protocol);

    /// <summary>Whether the address witness is a peer of the rule (S11: through an ipBlock or an empty peer list).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public bool IsPeer(CompiledRule rule, int address)
        => rule.MatchesExternal(numbers[address].Family, numbers[address].Value);
}
