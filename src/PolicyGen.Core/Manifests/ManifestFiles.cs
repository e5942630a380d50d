using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Manifests;

/// <summary>
/// Expands kubectl-style <c>-f</c> arguments: a file, a directory (read recursively for
/// *.yaml, *.yml and *.json, in ordinal path order so output is deterministic) or <c>-</c> for stdin.
/// A FIFO, socket or device found in a directory is skipped with a warning (it could block forever);
/// one named explicitly (<c>-f /dev/fd/63</c>, what a shell's <c>&lt;(...)</c> gives) is read as a
/// stream, like <c>-f -</c>.
/// </summary>
public static class ManifestFiles
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static (ImmutableArray<ManifestSource> Sources, ImmutableArray<Diagnostic> Diagnostics) Read(
        IEnumerable<string> paths, Func<string> readStandardInput)
        => Read(paths, () => new ManifestSource("<stdin>", readStandardInput()));

    /// <param name="standardInput">Reads all of stdin (for <c>-</c>), at most once.</param>
    public static (ImmutableArray<ManifestSource> Sources, ImmutableArray<Diagnostic> Diagnostics) Read(
        IEnumerable<string> paths, Func<ManifestSource> standardInput)
    {
        var sources = ImmutableArray.CreateBuilder<ManifestSource>();
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var stdinRead = false;
        foreach (var path in paths)
        {
            if (path == "-")
            {
                if (!stdinRead)
                {
                    sources.Add(standardInput());
                    stdinRead = true;
                }
            }
            else if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal);
                foreach (var file in files)
                {
                    if (BrokenLink(file))
                    {
                        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FileNotFound, $"cannot read {file}: it is a symlink to a file that does not exist", null,
                            "remove the link or restore its target"));
                        continue;
                    }

                    // A FIFO, socket or device in a directory is never read: it could block or never end.
                    if (FileKind.NonRegular(file) is { } kind)
                    {
                        diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.NonRegularFileSkipped, $"skipped {file}: it is {kind}, not a regular file", null,
                            "a directory is read for regular *.yaml, *.yml and *.json files; to read a pipe, name it with -f (e.g. -f <(kubectl get netpol -A -o yaml))"));
                        continue;
                    }

                    sources.Add(ManifestSource.FromFile(file));
                }
            }
            else if (File.Exists(path))
            {
                sources.Add(ManifestSource.FromFile(path));
            }
            else
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FileNotFound, $"no such file or directory: {path}", null,
                    "pass a manifest file, a directory of *.yaml/*.yml/*.json files, or - for standard input"));
            }
        }

        return (sources.ToImmutable(), diagnostics.ToImmutable());
    }

    private static bool BrokenLink(string file)
    {
        try
        {
            return new FileInfo(file).LinkTarget is not null && File.ResolveLinkTarget(file, returnFinalTarget: true) is not { Exists: true };
        }
        catch (IOException)
        {
            return true; // a loop of links
        }
    }
}
