using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// Proves that generated policies allow exactly what the intent allows. It builds a model cluster
/// of witnesses (<see cref="WitnessWorld"/>: each app, and pods and addresses the intent does not
/// allow), computes the reachability the intent means straight from its edges
/// (<see cref="IntentMeaning"/>), computes the reachability of the policies with the core
/// evaluator, and compares the two on every witness pair and port class
/// (<see cref="PortProbes"/>, <see cref="FlowComparison"/>); then checks every <c>expect:</c>
/// (<see cref="ExpectationCheck"/>).
/// </summary>
public static class IntentVerifier
{
    /// <param name="templateOverrides">The user's template files (<c>--templates</c>) that replaced bundled ones, named in the hint when the proof fails.</param>
    public static VerificationReport Verify(NetworkIntent intent, ImmutableArray<AppConnectivity> apps, ImmutableArray<NetworkPolicy> policies,
        IReadOnlyList<string>? templateOverrides = null)
    {
        var world = WitnessWorld.Build(intent, apps, policies);
        var cluster = new Cluster { Namespaces = world.Namespaces, Endpoints = world.Endpoints, Policies = policies };
        var evaluator = PolicyEvaluator.Create(cluster);
        var probes = PortProbes.For(intent, policies);
        var matrix = ReachabilityMatrix.Compute(evaluator, probes);
        var meaning = new IntentMeaning(intent, apps, world);
        var comparison = new FlowComparison(world, evaluator, matrix, probes);
        var describe = new MismatchDescriber(intent, apps, world, policies, evaluator);

        var mismatches = new List<FlowMismatch>();
        for (var p = 0; p < probes.Count; p++)
        {
            var (egressRows, ingressRows) = meaning.Rows(probes[p]);
            foreach (var flow in comparison.Compare(p, egressRows, ingressRows))
            {
                mismatches.Add(describe.Mismatch(flow, probes[p]));
            }
        }

        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var hintsGiven = new HashSet<string>(StringComparer.Ordinal);
        var overrides = templateOverrides is { Count: > 0 } ? string.Join(", ", templateOverrides) : null;
        if (mismatches.Count > 0) // the port classes are named only in a mismatch's message
        {
            diagnostics.AddRange(FlowGroups.Diagnose(mismatches, new PortClassRanges(PortProbes.MentionedRanges(intent, policies)), DiagnosticCodes.VerificationMismatch,
                intent.Source.Location, m => MismatchHint(m, overrides), hintsGiven));
        }

        // Expectations: witness pods named as the intent names them, each hint once.
        foreach (var failed in ExpectationCheck.Run(intent, world, policies, evaluator))
        {
            diagnostics.Add(failed with { Message = describe.Rename(failed.Message), Hint = failed.Hint is { } h && hintsGiven.Add(h) ? h : null });
        }

        var witnesses = world.Witnesses;
        return new VerificationReport(witnesses.Count(w => w.IsPod), witnesses.Count(w => !w.IsPod), probes.Count, comparison.CheckedFlows,
            [.. mismatches], intent.Expectations.Length, diagnostics.ToImmutable());
    }

    /// <summary>What to do about a differing flow: which way the templates changed the meaning, naming the user's templates.</summary>
    private static string MismatchHint(FlowMismatch mismatch, string? overrides)
    {
        if (overrides is null)
        {
            return "the bundled templates and the proof disagree, which is a bug in npgen: please report it with this intent";
        }

        return mismatch.IntentAllows
            ? $"the policies deny what the intent allows: a template in --templates ({overrides}) narrows the rules generated from this line; fix it, or remove it to use the bundled one"
            : $"the policies allow more than the intent: a template in --templates ({overrides}) widens the rules generated from this line; fix it, or remove it to use the bundled one";
    }
}
