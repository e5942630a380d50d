using System.Diagnostics;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// Runs npgen with stdout and stderr on a pseudo-terminal (script -qec), as in an interactive
/// shell, and returns what the terminal showed (both streams, CRLF line ends turned into LF).
/// </summary>
public static class PseudoTerminal
{
    public static string? Script { get; } = new[] { "/usr/bin/script", "/bin/script" }.FirstOrDefault(File.Exists);

    public static (int ExitCode, string Screen) Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "npgen.dll");
        var command = string.Join(' ', new[] { "dotnet", "exec", dll }.Concat(args).Select(Quote));
        var start = new ProcessStartInfo(Script!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in new[] { "-q", "-e", "-c", command, "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("NPGEN_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(command);
        }

        return (process.ExitCode, (stdout.Result + stderr.Result).Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
