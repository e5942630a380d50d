namespace PolicyGen.Cli;

/// <summary>
/// What a command reads and writes in place of the process's console and environment. Program.cs
/// (the composition root) builds it from the real ones; the CLI tests build it from strings and
/// run npgen in process. Nothing below Program.cs touches <see cref="Console"/> or reads an
/// environment variable itself.
/// </summary>
internal sealed record CommandConsole
{
    /// <summary>stdout: escaped for the terminal (<see cref="Output.TerminalSafeWriter"/>) unless it is a machine protocol.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>stderr, always escaped for the terminal.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>stderr as it is, only for the progress bar's own <c>\r</c>.</summary>
    public required TextWriter RawError { get; init; }

    public required TextReader In { get; init; }

    /// <summary>stdin as bytes, for manifests piped in (-f -) without decoding them into one string; null: read <see cref="In"/>.</summary>
    public Func<Stream>? OpenStandardInput { get; init; }

    /// <summary>stdout as bytes, for output streamed as it is produced (matrix -o json); <see cref="Out"/> is flushed first.</summary>
    public required Func<Stream> OpenStandardOutput { get; init; }

    /// <summary>Whether stderr is a terminal (the progress bar and stage lines are on by default only then).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The environment npgen sees (NPGEN_PROGRESS, NPGEN_TIMINGS, NPGEN_GIT_*, PATH...): a variable's value, or null.</summary>
    public required Func<string, string?> Variable { get; init; }

    /// <summary>The directory relative paths are relative to (krm's kustomization root, diff's git: paths).</summary>
    public required string CurrentDirectory { get; init; }

    /// <summary>The process's own console and environment: for Program.cs only.</summary>
    public static CommandConsole FromProcess() => new()
    {
        Out = StandardOutput(),
        Error = Console.Error,
        RawError = Console.Error,
        In = Console.In,
        OpenStandardInput = Console.OpenStandardInput,
        OpenStandardOutput = Console.OpenStandardOutput,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        Variable = Environment.GetEnvironmentVariable,
        CurrentDirectory = Directory.GetCurrentDirectory(),
    };

    /// <summary>Bytes per write to a redirected stdout: the console's own writer sends 256 at a time, 6,600 system calls for a 1,000-app build.</summary>
    private const int RedirectedBufferSize = 64 * 1024;

    /// <summary>
    /// stdout for Program.cs. Redirected (a pipe, a file), it is the console's writer with a larger
    /// buffer: the same encoding and the same bytes, each Write still flushed whole, so stdout and
    /// stderr keep their order. A terminal, or an encoding that would start with a byte-order mark,
    /// keeps the console's own writer.
    /// </summary>
    private static TextWriter StandardOutput()
    {
        var encoding = Console.OutputEncoding;
        if (!Console.IsOutputRedirected || encoding.Preamble.Length > 0)
        {
            return Console.Out;
        }

        return TextWriter.Synchronized(new StreamWriter(Console.OpenStandardOutput(), encoding, RedirectedBufferSize) { AutoFlush = true });
    }
}
