using PolicyGen.Diagnostics;

namespace PolicyGen.Cli.Commands;

/// <summary>
/// Where <c>npgen build -o PATH</c> puts the policies, as <c>kustomize build -o</c> decides it: an
/// existing directory, or a path ending in /, gets one file per policy; a file path gets one YAML
/// stream. A path that is neither (no such directory, no file extension) is refused, since npgen
/// wrote a directory there before this convention and kustomize would write a file.
/// </summary>
/// <param name="Path">The path as given, without a trailing / for a directory; null for stdout.</param>
/// <param name="IsDirectory">One file per policy (and kustomization.yaml) in the directory.</param>
internal sealed record OutputTarget(string? Path, bool IsDirectory)
{
    public static readonly OutputTarget Stdout = new(null, false);

    public bool IsFile => Path is not null && !IsDirectory;

    /// <summary>Classifies -o; <paramref name="directoryRequired"/> (with --commit) makes any path a directory. Null, with the error, when it cannot tell.</summary>
    public static (OutputTarget? Target, Diagnostic? Error) Parse(string? value, bool directoryRequired)
    {
        if (value is null)
        {
            return (Stdout, null);
        }

        if (value is "json" or "yaml" or "text")
        {
            return (null, Diagnostic.Error(DiagnosticCodes.OutputFlagIsNotAFormat,
                $"-o {value} no longer selects the build report: for npgen build, -o names where the policies go (a file, or a directory/ for one file per policy), as for kustomize build -o",
                null, value == "text"
                    ? "leave out -o to print the policies on stdout"
                    : $"use --report {value} for the report (npgen build INTENT --report {value}); for a directory named {value}, write -o ./{value}/"));
        }

        var endsWithSeparator = value.EndsWith('/') || value.EndsWith(System.IO.Path.DirectorySeparatorChar);
        var trimmed = endsWithSeparator && value.TrimEnd('/', System.IO.Path.DirectorySeparatorChar) is { Length: > 0 } t ? t : value;
        if (endsWithSeparator || Directory.Exists(value) || directoryRequired)
        {
            return (new OutputTarget(trimmed, true), null);
        }

        if (File.Exists(value) || new FileInfo(value).LinkTarget is not null || System.IO.Path.HasExtension(value))
        {
            return (new OutputTarget(value, false), null);
        }

        var shown = TextEscaping.ForLine(value);
        return (null, Diagnostic.Error(DiagnosticCodes.OutputPathAmbiguous,
            $"-o {shown}: no such directory, and no file extension: write a directory or a file?",
            null, $"write -o {shown}/ for one file per policy (DIR/<namespace>/<name>.yaml and kustomization.yaml), or -o {shown}.yaml for one YAML stream"));
    }
}
