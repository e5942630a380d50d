using System.Collections.Immutable;
using System.Text;
using LibGit2Sharp;
using PolicyGen.Diagnostics;
using PolicyGen.Diff;

namespace PolicyGen.Git;

/// <summary>
/// Reads <c>git:REF:PATH</c> for npgen diff straight from the object database of the repository
/// that contains <c>startDirectory</c>: no checkout, no git process, no symbolic link followed
/// (a link on the path is an error, one under a directory is skipped and named), and bounded in
/// files and bytes like every other input.
/// </summary>
public sealed class LibGit2RevisionReader(string startDirectory, string currentDirectory) : IRevisionReader, IDisposable
{
    /// <summary>The most bytes read from one revision (all files together).</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>The most files read from one directory of a revision.</summary>
    public const int MaxFiles = 10_000;

    private Repository? repository;
    private bool discovered;

    public RevisionContent Read(string revision, string path)
    {
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(path);
        var where = $"git:{revision}:{path}";
        var repo = Open();
        if (repo is null)
        {
            return Failed(Diagnostic.Error(DiagnosticCodes.DiffGitRepositoryNotFound, $"{where}: no Git repository at or above {startDirectory}", null,
                "run npgen diff inside a clone, or pass --repo DIR"));
        }

        LibGit2Sharp.Commit? commit;
        try
        {
            commit = repo.Lookup(revision)?.Peel<LibGit2Sharp.Commit>();
        }
        catch (LibGit2SharpException)
        {
            commit = null;
        }

        if (commit is null)
        {
            return Failed(Diagnostic.Error(DiagnosticCodes.DiffGitRevisionNotFound, $"{where}: no commit \"{revision}\" in the repository", null,
                "fetch it first (git fetch origin main); a CI checkout needs the history: actions/checkout with fetch-depth: 0, GIT_DEPTH: 0 in GitLab CI"));
        }

        var workdir = Path.GetFullPath(repo.Info.WorkingDirectory ?? startDirectory);
        var repoPath = RepositoryPath(path, workdir);
        if (repoPath is null)
        {
            return Failed(Diagnostic.Error(DiagnosticCodes.DiffGitPathNotFound, $"{where}: the path is outside the repository", null,
                "give the path from the repository root, or relative to the current directory starting with ./"));
        }

        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var (entry, problem) = Walk(commit.Tree, repoPath, where, revision);
        if (problem is not null)
        {
            return Failed(problem);
        }

        var files = ImmutableArray.CreateBuilder<RevisionFile>();
        long bytes = 0;
        if (entry is null)
        {
            Collect(commit.Tree, "");
        }
        else if (entry.Target is Tree tree)
        {
            Collect(tree, repoPath + "/");
        }
        else if (entry.Target is Blob blob)
        {
            Add(repoPath, blob);
        }
        else
        {
            return Failed(Diagnostic.Error(DiagnosticCodes.DiffGitPathNotFound, $"{where}: is a submodule, not a file or directory", null));
        }

        if (diagnostics.HasErrors())
        {
            return new RevisionContent(commit.Sha, entry?.Target is not Blob, repoPath, [], diagnostics.ToImmutable());
        }

        return new RevisionContent(commit.Sha, entry?.Target is not Blob, repoPath, files.ToImmutable(), diagnostics.ToImmutable())
        {
            ReadSibling = sibling => Walk(commit.Tree, sibling, where, revision) is ({ Target: Blob b }, null) && b.Size <= MaxBytes ? Text(b) : null,
        };

        void Collect(Tree tree, string prefix)
        {
            foreach (var child in tree.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                if (diagnostics.HasErrors())
                {
                    return;
                }

                if (child.Mode == Mode.SymbolicLink)
                {
                    diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.DiffGitSymbolicLink,
                        $"{where}: skipped {prefix}{child.Name}: it is a symbolic link; npgen never follows links", null));
                }
                else if (child.Target is Tree subtree)
                {
                    Collect(subtree, prefix + child.Name + "/");
                }
                else if (child.Target is Blob blob)
                {
                    Add(prefix + child.Name, blob);
                }
            }
        }

        void Add(string name, Blob blob)
        {
            bytes += blob.Size;
            if (files.Count >= MaxFiles || bytes > MaxBytes)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DiffInputTooLarge,
                    $"{where}: more than {MaxFiles:N0} files or {MaxBytes >> 20} MiB; nothing was compared", null,
                    "name a smaller directory, e.g. the one directory of policies under review"));
                return;
            }

            files.Add(new RevisionFile(name, Text(blob)));
        }
    }

    /// <summary>The tree entry at <paramref name="path"/> (null for the root), or why there is none.</summary>
    private static (TreeEntry? Entry, Diagnostic? Problem) Walk(Tree root, string path, string where, string revision)
    {
        if (path.Length == 0)
        {
            return (null, null);
        }

        Tree? tree = root;
        TreeEntry? entry = null;
        var walked = "";
        foreach (var segment in path.Split('/'))
        {
            walked = walked.Length == 0 ? segment : walked + "/" + segment;
            entry = tree?[segment];
            if (entry is null)
            {
                return (null, Diagnostic.Error(DiagnosticCodes.DiffGitPathNotFound, $"{where}: {revision} has no {walked}", null,
                    $"list what it holds: git ls-tree --name-only {revision} -- {Path.GetDirectoryName(walked)?.Replace('\\', '/')}/"));
            }

            if (entry.Mode == Mode.SymbolicLink)
            {
                return (null, Diagnostic.Error(DiagnosticCodes.DiffGitSymbolicLink, $"{where}: {walked} is a symbolic link in {revision}; npgen never follows links", null,
                    "name the real file or directory"));
            }

            tree = entry.Target as Tree;
        }

        return (entry, null);
    }

    /// <summary>The path from the repository root: as given, or from the current directory for ./ and ../; null when outside.</summary>
    private string? RepositoryPath(string path, string workdir)
    {
        var relative = path.Replace('\\', '/');
        if (relative.StartsWith("./", StringComparison.Ordinal) || relative.StartsWith("../", StringComparison.Ordinal) || relative is "." or "..")
        {
            var full = Path.GetFullPath(Path.Combine(currentDirectory, relative));
            relative = Path.GetRelativePath(workdir, full).Replace('\\', '/');
            if (relative == ".")
            {
                return "";
            }
        }

        relative = relative.Trim('/');
        if (Path.IsPathRooted(path) || relative.Split('/').Any(s => s is ".." or "." or ""))
        {
            return relative.Length == 0 && !Path.IsPathRooted(path) ? "" : null;
        }

        return relative;
    }

    /// <summary>The stored bytes as UTF-8, unfiltered: no smudge filter or other program runs.</summary>
    private static string Text(Blob blob)
    {
        using var stream = blob.GetContentStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private Repository? Open()
    {
        if (!discovered)
        {
            discovered = true;
            var found = Repository.Discover(Path.GetFullPath(startDirectory));
            if (found is not null)
            {
                repository = new Repository(found);
            }
        }

        return repository;
    }

    private static RevisionContent Failed(Diagnostic diagnostic) => new(null, false, "", [], [diagnostic]);

    public void Dispose() => repository?.Dispose();
}
