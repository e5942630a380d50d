using System.Diagnostics;
using PolicyGen.Tests.Shared;

namespace PolicyGen.Cli.Tests;

public sealed record NpgenRun(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}

/// <summary>Runs the built npgen (npgen.dll next to the tests) as a real process, as a user would.</summary>
public static class Npgen
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "npgen.dll");

    public static string Repo => ConformanceCase.RepositoryRoot();

    public static NpgenRun Run(params string[] args) => RunWithInput(null, args);

    public static NpgenRun RunWithInput(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Repo,
        };
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
