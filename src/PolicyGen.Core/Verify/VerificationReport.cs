using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Verify;

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
    public bool Succeeded => Mismatches.IsEmpty && !Diagnostics.HasErrors();
}
