using System.Collections.Immutable;
using System.IO.Enumeration;
using PolicyGen.Diagnostics;

namespace PolicyGen.Manifests;

/// <summary>
/// Expands kubectl-style <c>-f</c> arguments: a file, a directory (read recursively for
/// *.yaml, *.yml and *.json, in ordinal path order so output is deterministic; symbolic links in it
/// are named, never followed) or <c>-</c> for stdin.
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
                ReadDirectory(path, sources, diagnostics);
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

    /// <summary>
    /// The directory's manifest files, recursively, in ordinal path order. A symbolic link inside it
    /// is never followed: it could lead outside the directory the user named, or loop back into it.
    /// </summary>
    private static void ReadDirectory(string path, ImmutableArray<ManifestSource>.Builder sources, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        List<(string Path, bool Link, bool Directory)> entries;
        try
        {
            entries = [.. new FileSystemEnumerable<(string, bool, bool)>(path,
                (ref FileSystemEntry e) => (e.ToSpecifiedFullPath(), (e.Attributes & FileAttributes.ReparsePoint) != 0, e.IsDirectory),
                new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = 0 })
            {
                ShouldRecursePredicate = (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) == 0,
                ShouldIncludePredicate = (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) != 0 ? true
                    : !e.IsDirectory && Extensions.Contains(Path.GetExtension(e.FileName).ToString(), StringComparer.OrdinalIgnoreCase),
            }];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FileNotFound, $"cannot read the directory {path}: {e.Message}", null,
                "check that every directory under it can be read (chmod), or name the files to read with -f"));
            return;
        }

        foreach (var (file, link, directory) in entries.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            if (link)
            {
                if (LinkProblem(file, directory) is { } problem)
                {
                    diagnostics.Add(problem);
                }

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

    /// <summary>
    /// What a symbolic link found in a directory means for the user: an error if it points nowhere,
    /// a warning naming it if it is a link npgen would have read (a manifest file or a directory).
    /// </summary>
    private static Diagnostic? LinkProblem(string file, bool directory)
    {
        if (BrokenLink(file, directory))
        {
            return Extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase)
                ? Diagnostic.Error(DiagnosticCodes.FileNotFound, $"cannot read {file}: it is a symlink to a file that does not exist", null,
                    "remove the link or restore its target")
                : null;
        }

        if (!directory && !Extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
        {
            return null; // not a manifest file name: it would not have been read anyway
        }

        return Diagnostic.Warning(DiagnosticCodes.SymlinkSkipped,
            $"skipped {file}: it is a symbolic link to a {(directory ? "directory" : "file")}, and npgen does not follow links inside a directory it reads", null,
            "a link could lead outside the directory you named or loop back into it; to read its target, name it with its own -f (e.g. -f DIR -f TARGET)");
    }

    private static bool BrokenLink(string file, bool directory)
    {
        try
        {
            var target = directory ? Directory.ResolveLinkTarget(file, returnFinalTarget: true) : File.ResolveLinkTarget(file, returnFinalTarget: true);
            return target is not { Exists: true };
        }
        catch (IOException)
        {
            return true; // a loop of links
        }
    }
}
