using System.Collections.Immutable;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// Turns a differing flow into a <see cref="FlowMismatch"/> a reader can act on: the witnesses as
/// the intent names them, the rules that allow or deny it, and the intent line it comes from.
/// </summary>
internal sealed class MismatchDescriber
{
    private readonly WitnessWorld world;
    private readonly PolicyEvaluator evaluator;
    private readonly FlowOrigins origins;

    /// <summary>
    /// Per witness, its connection end in the evaluator's cluster; with the renamer, made on first
    /// use: a proof that holds (the usual build) describes nothing, and at 10,000 apps they cost
    /// a fifth of a second.
    /// </summary>
    private ConnectionEnd[]? ends;
    private Func<string, string>? renamer;

    public MismatchDescriber(NetworkIntent intent, ImmutableArray<AppConnectivity> apps, WitnessWorld world, ImmutableArray<NetworkPolicy> policies, PolicyEvaluator evaluator)
    {
        this.world = world;
        this.evaluator = evaluator;
        origins = new FlowOrigins(intent, apps, world, policies);
    }

    /// <summary>Replaces the witnesses' made-up pod names in a text with what they stand for.</summary>
    public string Rename(string text) => (renamer ??= FlowGroups.Renamer(world.Witnesses))(text);

    public FlowMismatch Mismatch(DifferingFlow flow, PortProbe probe)
    {
        var from = world.Witnesses[flow.From];
        var to = world.Witnesses[flow.To];
        ends ??= [.. world.Witnesses.Select(End)];
        var verdict = evaluator.Evaluate(ends[flow.From], ends[flow.To], probe.Port, probe.Protocol);
        var (location, note) = origins.Of(from, to, probe, flow.Intended, flow.IntendedByEgress, verdict);
        return new FlowMismatch(from.FullDisplay, to.FullDisplay, probe.ToString(), flow.Intended, flow.Actual,
            Rename(flow.Actual ? VerdictReasons.Allowing(verdict) : VerdictReasons.Denying(verdict)) + note)
        {
            FromName = from.Display,
            ToName = to.Display,
            FromAddress = from.Address,
            ToAddress = to.Address,
            Probe = probe,
            Location = location,
        };
    }

    private ConnectionEnd End(Witness witness)
    {
        if (witness.IsPod)
        {
            evaluator.TryResolve(witness.Pod!.Id, out var end, out _);
            return end!;
        }

        return ConnectionEnd.External(witness.Address!);
    }
}
