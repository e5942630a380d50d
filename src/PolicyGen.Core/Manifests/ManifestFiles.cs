using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Manifests;

/// <summary>
/// Expands kubectl-style <c>-f</c> arguments: a file, a directory (read recursively for
/// *.yaml, *.yml and *.json, in ordinal path order so output is deterministic) or <c>-</c> for stdin.
/// </summary>
public static class ManifestFiles
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static (ImmutableArray<ManifestSource> Sources, ImmutableArray<Diagnostic> Diagnostics) Read(
        IEnumerable<string> paths, Func<string> readStandardInput)
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
                    sources.Add(new ManifestSource("<stdin>", readStandardInput()));
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
}
