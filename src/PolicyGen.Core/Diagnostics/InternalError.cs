namespace PolicyGen.Diagnostics;

/// <summary>
/// What npgen says when it fails itself (an exception nothing handled): a bug, never the input's
/// fault, so it has its own exit code (70, EX_SOFTWARE from sysexits.h) instead of 1 (a failed
/// check) or 2 (bad input). One line that asks for a bug report; the stack trace only with
/// <c>NPGEN_DEBUG=1</c>, because it says nothing to a user and may be long.
/// </summary>
public static class InternalError
{
    public const int ExitCode = 70;
    public const string DebugVariable = "NPGEN_DEBUG";

    /// <summary>The text for stderr (one line, or the escaped stack trace after it when debugging).</summary>
    public static string Format(Exception exception, string program, bool debug)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var line = $"{program}: internal error {DiagnosticCodes.InternalError}: {exception.GetType().Name}: {TextEscaping.Excerpt(exception.Message).TrimEnd('.')}. "
            + $"This is a bug in npgen: please report it with the command you ran"
            + (debug ? "." : $" (run it again with {DebugVariable}=1 to see the stack trace).");
        return debug ? line + "\n" + TextEscaping.ForTerminal(exception.ToString()) + "\n" : line + "\n";
    }

    public static bool DebugEnabled(string? value) => value is "1" or "true";
}
