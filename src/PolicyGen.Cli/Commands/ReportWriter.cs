using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;

namespace PolicyGen.Cli.Commands;

/// <summary>A build or verify report, as JSON or YAML: on stdout, or into a file (--report-file).</summary>
internal static class ReportWriter
{
    /// <summary>The report on stdout, or into <paramref name="path"/> (temporary file, then rename; never through a link).</summary>
    public static bool Write(OrderedDictionary<string, object?> report, string format, string? path, string command, CommandConsole console)
    {
        var text = format == "json" ? StructuredText.Json(report) : StructuredText.Yaml(report);
        if (path is null)
        {
            console.Out.Write(text);
            return true;
        }

        if (new FileInfo(path).LinkTarget is not null || Directory.Exists(path))
        {
            console.Error.WriteLine($"npgen {command}: --report-file {TextEscaping.ForLine(path)} is a symbolic link or a directory; nothing was written there");
            return false;
        }

        var temp = path + ".npgen-tmp-" + System.Security.Cryptography.RandomNumberGenerator.GetHexString(12, lowercase: true);
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            console.Error.WriteLine($"npgen {command}: could not write --report-file {TextEscaping.ForLine(path)}: {e.Message}");
            return false;
        }
    }
}
