using System.Diagnostics;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// Runs the built npgen (npgen.dll next to the tests) as a real process, as a user would: for the
/// few tests of what only a process shows (start-up, --version, stdin from a pipe, the exit status
/// the shell sees). Everything else runs in process through <see cref="Npgen"/>, which is much faster.
/// </summary>
public static class NpgenProcess
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "npgen.dll");

    public static NpgenRun Run(params string[] args) => RunWithInput(null, args);

    public static NpgenRun RunWithInput(string? stdin, params string[] args) => RunIn(Npgen.Repo, null, stdin, args);

    /// <summary>
    /// Runs npgen in <paramref name="workingDirectory"/> with extra environment variables. The
    /// NPGEN_GIT_* variables of the test process are never passed on: a test sets what it needs.
    /// </summary>
    public static NpgenRun RunIn(string workingDirectory, IReadOnlyDictionary<string, string>? environment, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("NPGEN_GIT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("npgen " + string.Join(' ', args));
        }

        return new NpgenRun(process.ExitCode, stdout.Result, stderr.Result);
    }
}
