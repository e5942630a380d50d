using System.Diagnostics;
using PolicyGen.Diagnostics;
using PolicyGen.Review;

namespace PolicyGen.Cli.Output;

/// <summary>Renders dot to SVG with Graphviz's <c>dot -Tsvg</c> when it is installed.</summary>
internal static class Graphviz
{
    /// <summary>The SVG, or null after an error on stderr (Graphviz missing or failing).</summary>
    public static string? Svg(string dot, string command, CommandConsole console)
    {
        var program = Find("dot", console.Variable("PATH"));
        if (program is null)
        {
            console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.GraphvizMissing, $"npgen {command} -o svg needs Graphviz's dot program, which is not on PATH", null,
                "install Graphviz (apt-get install graphviz, or brew install graphviz), or write -o dot and render it elsewhere"));
            return null;
        }

        var start = new ProcessStartInfo(program, ["-Tsvg"])
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
        if (process.ExitCode != 0)
        {
            console.Error.WriteLine(Diagnostic.Error(DiagnosticCodes.GraphvizFailed, $"dot -Tsvg failed (exit {process.ExitCode}): {stderr.Result.Trim()}", null,
                "check the Graphviz installation (dot -V); -o dot writes the source to render by hand"));
            return null;
        }

        return SvgText.Normalize(stdout.Result, dot);
    }

    private static string? Find(string name, string? searchPath)
    {
        foreach (var directory in (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
