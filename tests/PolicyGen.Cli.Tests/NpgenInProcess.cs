using System.Collections;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// npgen's entry point (<see cref="NpgenApp.Run"/>) called in this process on a
/// <see cref="CommandConsole"/> of captured text: stdout and stderr (escaped for the terminal as
/// npgen's own are), stdin from a string, the environment as a dictionary (this process's, without
/// NPGEN_GIT_*, plus the test's), stderr not a terminal. Relative paths resolve against the
/// process's one current directory, so runs take turns: each sets it and puts it back.
/// </summary>
internal static class NpgenInProcess
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private static readonly Lock Gate = new();

    public static NpgenRun Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, string? stdin, string[] args)
    {
        var variables = Variables(environment);
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var directory = Path.GetFullPath(workingDirectory);
        var console = new CommandConsole
        {
            Out = stdout,
            Error = stderr,
            RawError = stderr,
            In = new StringReader(stdin ?? ""),
            OpenStandardOutput = () => new TextWriterStream(stdout),
            ErrorIsTerminal = false,
            Variable = name => variables.GetValueOrDefault(name),
            CurrentDirectory = directory,
        };

        lock (Gate)
        {
            var saved = Directory.GetCurrentDirectory();
            Directory.SetCurrentDirectory(directory);
            try
            {
                // Its own thread, so that a hang fails the test (as the process runner's kill does) instead of the whole run.
                var run = Task.Factory.StartNew(() => NpgenApp.Run([.. args], console), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                if (!run.Wait(Limit))
                {
                    throw new TimeoutException("npgen " + string.Join(' ', args));
                }

                return new NpgenRun(run.Result, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Directory.SetCurrentDirectory(saved);
            }
        }
    }

    private static Dictionary<string, string> Variables(IReadOnlyDictionary<string, string>? environment)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value && !name.StartsWith("NPGEN_GIT_", StringComparison.Ordinal))
            {
                variables[name] = value;
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return variables;
    }
}
