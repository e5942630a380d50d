namespace PolicyGen.Cli.Output;

/// <summary>
/// Puts <see cref="TerminalSafeWriter"/> on stderr (always) and on stdout (unless stdout is a
/// machine protocol, the KRM ResourceList or the legacy plugin's stream, which must pass byte for
/// byte). <see cref="CommandConsole.RawError"/> stays the unguarded stderr, for the progress bar's own <c>\r</c>.
/// </summary>
internal static class Terminal
{
    public static CommandConsole Guard(CommandConsole console, bool guardStandardOutput) => console with
    {
        RawError = console.Error,
        Error = new TerminalSafeWriter(console.Error),
        Out = guardStandardOutput ? new TerminalSafeWriter(console.Out) : console.Out,
    };
}
