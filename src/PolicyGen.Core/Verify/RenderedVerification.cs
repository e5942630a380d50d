using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Verify;

/// <summary>
/// The outcome of checking a rendered stream against an intent: how many of the intent's policies
/// were found and proven, the proof itself, and every problem with its likely cause.
/// </summary>
public sealed record RenderedVerification(
    int PoliciesExpected,
    int PoliciesFound,
    VerificationReport? Proof,
    ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>Codes that mean the input could not be read, not that it was read and is wrong.</summary>
    private static readonly string[] InputCodes = [DiagnosticCodes.RenderedPolicyUnreadable];

    public bool Succeeded => !Diagnostics.HasErrors();

    /// <summary>
    /// True when the errors are about unreadable input (exit 2), not about a stream that was read
    /// and differs from the intent (exit 1).
    /// </summary>
    public bool IsInputError => Diagnostics.Where(d => d.Severity == Severity.Error)
        .All(d => InputCodes.Contains(d.Code) || d.Code.StartsWith("NPG1", StringComparison.Ordinal) || d.Code.StartsWith("NPG3", StringComparison.Ordinal))
        && !Succeeded;
}
