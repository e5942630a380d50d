using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Verify;

/// <summary>One flow where the generated policies and the intent disagree.</summary>
public sealed record FlowMismatch(string From, string To, string Port, bool IntentAllows, bool PoliciesAllow, string Why)
{
    public override string ToString()
        => $"{From} -> {To} {Port}: intent {(IntentAllows ? "allows" : "denies")}, policies {(PoliciesAllow ? "allow" : "deny")} ({Why})";
}

/// <summary>How the proof went: how much was checked, and every disagreement and failed expectation.</summary>
public sealed record VerificationReport(
    int PodWitnesses,
    int AddressWitnesses,
    int Ports,
    long FlowsChecked,
    ImmutableArray<FlowMismatch> Mismatches,
    int ExpectationsChecked,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Succeeded => Mismatches.IsEmpty && !Diagnostics.Any(d => d.Severity == Severity.Error);
}
