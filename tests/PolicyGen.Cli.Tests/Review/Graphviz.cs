using System.Diagnostics;

namespace PolicyGen.Cli.Tests.Review;

/// <summary>The real Graphviz, for the tests: renders dot text and reports dot's verdict.</summary>
public static class Graphviz
{
    public static string? DotPath { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, "dot")).FirstOrDefault(File.Exists);

    /// <summary>Runs dot -Tsvg on the text; returns its exit code, SVG and errors.</summary>
    public static (int ExitCode, string Svg, string Errors) Render(string dot)
    {
        var start = new ProcessStartInfo(DotPath!, ["-Tsvg"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(dot);
        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
