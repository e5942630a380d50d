namespace PolicyGen.Cli;

/// <summary>npgen's documented exit codes (README "Exit codes").</summary>
internal static class ExitCodes
{
    /// <summary>The command ran; for eval, a verdict was reached (allowed or denied).</summary>
    public const int Ok = 0;

    /// <summary>A check failed: validate found invalid policies, or eval --exit-code saw a denial.</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input or usage: unreadable or malformed manifests, unknown endpoint, bad flag.</summary>
    public const int BadInput = 2;

    /// <summary>A Git or remote operation failed: clone, fetch, authentication, a push the server rejected, a race lost too often.</summary>
    public const int GitFailed = 4;

    /// <summary>npgen itself failed (an exception nothing handled): a bug to report, never the input's fault. EX_SOFTWARE.</summary>
    public const int InternalError = PolicyGen.Diagnostics.InternalError.ExitCode;

    /// <summary>The one mapping from how the work ended to the exit code; every command goes through it.</summary>
    public static int For(PolicyGen.Diagnostics.Outcome outcome) => outcome switch
    {
        PolicyGen.Diagnostics.Outcome.Ok => Ok,
        PolicyGen.Diagnostics.Outcome.CheckFailed => CheckFailed,
        PolicyGen.Diagnostics.Outcome.GitFailed => GitFailed,
        _ => BadInput,
    };
}
