using System.Diagnostics;

namespace PolicyGen.Cli.Tests.GitOps;

/// <summary>The git command line, for the tests only: to set up repositories and to look at what npgen did.</summary>
public static class GitCli
{
    private static readonly string[] Isolated = ["-c", "user.name=Test Human", "-c", "user.email=human@example.invalid", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"];

    public static string Run(string directory, params string[] args) => RunWithStderr(directory, args).StdOut;

    /// <summary>Runs git and returns stdout and stderr (where git prints its warnings); throws when git fails.</summary>
    public static (string StdOut, string StdErr) RunWithStderr(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var arg in Isolated.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} in {directory} failed ({process.ExitCode}): {stderr.Result}");
        }

        return (stdout.Result, stderr.Result);
    }

    /// <summary>A bare repository <paramref name="name"/> under <paramref name="root"/> with one commit on main (a README), or none.</summary>
    public static string CreateBare(string root, string name, bool seed = true)
    {
        var bare = Path.Combine(root, name);
        Directory.CreateDirectory(bare);
        Run(bare, "init", "-q", "--bare", "-b", "main");
        Run(bare, "config", "http.receivepack", "true");
        if (seed)
        {
            var work = Path.Combine(root, name + "-seed");
            Run(root, "clone", "-q", bare, work);
            File.WriteAllText(Path.Combine(work, "README.md"), "GitOps repository\n");
            Run(work, "add", "README.md");
            Run(work, "commit", "-q", "-m", "Seed");
            Run(work, "push", "-q", "origin", "HEAD:refs/heads/main");
            Directory.Delete(work, recursive: true);
        }

        return bare;
    }

    /// <summary>Commits a file on a branch of a bare repository, as another writer would.</summary>
    public static void CommitTo(string bare, string branch, string path, string content, string message, string? author = null, string? from = null)
    {
        var work = Directory.CreateTempSubdirectory("npgen-writer-").FullName;
        try
        {
            Run(work, "init", "-q", "-b", "scratch");
            Run(work, "fetch", "-q", bare, $"+refs/heads/{from ?? branch}:refs/heads/{branch}");
            Run(work, "checkout", "-q", branch);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(work, path))!);
            File.WriteAllText(Path.Combine(work, path), content);
            Run(work, "add", path);
            Run(work, author is null ? ["commit", "-q", "-m", message] : ["commit", "-q", "--author", author, "-m", message]);
            Run(work, "push", "-q", bare, $"{branch}:refs/heads/{branch}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
