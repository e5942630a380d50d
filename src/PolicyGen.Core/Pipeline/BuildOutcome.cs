using PolicyGen.Diagnostics;

namespace PolicyGen.Pipeline;

/// <summary>How a build ended: the one classification build, verify, publish and the plugin's validator share.</summary>
public static class BuildOutcome
{
    /// <summary>
    /// <see cref="Outcome.Ok"/> when it succeeded; <see cref="Outcome.CheckFailed"/> when the proof
    /// or an expect: failed (the intent was read and built, and means something else than its
    /// policies allow); otherwise <see cref="Outcome.BadInput"/>.
    /// </summary>
    public static Outcome Of(BuildResult build)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (build.Succeeded)
        {
            return Outcome.Ok;
        }

        return build.Diagnostics.Any(d => d.Severity == Severity.Error && d.Code is DiagnosticCodes.VerificationMismatch or DiagnosticCodes.ExpectationFailed)
            ? Outcome.CheckFailed
            : Outcome.BadInput;
    }
}
