using PolicyGen.Tests.Shared;

namespace PolicyGen.Cli.Tests;

public sealed record NpgenRun(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}

/// <summary>
/// Runs npgen in this process (<see cref="NpgenInProcess"/>): the same entry point and arguments as
/// the built npgen, on captured stdout/stderr, a given stdin, environment and working directory.
/// Tests of what only a real process shows (start-up, --version, pipes, exit statuses, plugins)
/// use <see cref="NpgenProcess"/>.
/// </summary>
public static class Npgen
{
    public static string Repo => ConformanceCase.RepositoryRoot();

    public static NpgenRun Run(params string[] args) => RunWithInput(null, args);

    public static NpgenRun RunWithInput(string? stdin, params string[] args) => RunIn(Repo, null, stdin, args);

    /// <summary>
    /// Runs npgen in <paramref name="workingDirectory"/> with extra environment variables. The
    /// NPGEN_GIT_* variables of the test process are never passed on: a test sets what it needs.
    /// </summary>
    public static NpgenRun RunIn(string workingDirectory, IReadOnlyDictionary<string, string>? environment, string? stdin, params string[] args)
        => NpgenInProcess.Run(workingDirectory, environment, stdin, args);
}
