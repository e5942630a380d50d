namespace PolicyGen.Cli.Output;

/// <summary>
/// Installs <see cref="TerminalSafeWriter"/> on stderr (always) and on stdout (unless stdout is a
/// machine protocol, the KRM ResourceList or the legacy plugin's stream, which must pass byte for
/// byte). <see cref="RawError"/> is the unguarded stderr, for the progress bar's own <c>\r</c>.
/// </summary>
internal static class Terminal
{
    public static TextWriter RawError { get; private set; } = Console.Error;

    public static void Install(bool guardStandardOutput)
    {
        RawError = Console.Error;
        Console.SetError(new TerminalSafeWriter(Console.Error));
        if (guardStandardOutput)
        {
            Console.SetOut(new TerminalSafeWriter(Console.Out));
        }
    }
}
