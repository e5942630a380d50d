namespace PolicyGen.Diagnostics;

/// <summary>
/// How a piece of work ended, in the terms npgen's exit codes use (the CLI's <c>ExitCodes.For</c>
/// is the one place that turns it into a number): so every command classifies a failure the same way.
/// </summary>
public enum Outcome
{
    /// <summary>Done: built, proven, written, published, evaluated.</summary>
    Ok,

    /// <summary>The input was read and a check failed on it: the proof, an expect:, a rendered stream that differs.</summary>
    CheckFailed,

    /// <summary>The input or the request is unusable: errors in the intent or manifests, an output npgen will not write.</summary>
    BadInput,

    /// <summary>A Git or remote operation failed, or the repository holds something npgen will not write through.</summary>
    GitFailed,
}
