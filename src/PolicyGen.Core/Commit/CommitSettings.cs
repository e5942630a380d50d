using System.Security.Cryptography;

namespace PolicyGen.Commit;

/// <summary>What every npgen commit carries, and how hard to try when the remote branch moves.</summary>
public sealed record CommitSettings
{
    public const string DefaultSubject = "npgen: update NetworkPolicies for {scope}";

    public GitIdentity Author { get; init; } = GitIdentity.Default;

    /// <summary>
    /// The subject line; <c>{scope}</c>, <c>{intent}</c>, <c>{env}</c>, <c>{added}</c> and
    /// <c>{removed}</c> are replaced.
    /// </summary>
    public string Subject { get; init; } = DefaultSubject;

    /// <summary>What the policies are for: the intent's name, plus the environment (<c>shop (prod)</c>).</summary>
    public required string Scope { get; init; }

    public required string Version { get; init; }

    /// <summary>The intent file as the trailer shows it: relative to its repository's root when it is in one.</summary>
    public required string IntentPath { get; init; }

    public required string IntentSha256 { get; init; }

    public string? Environment { get; init; }

    /// <summary>Push attempts in all, counting the first; each lost race fetches, rebuilds and tries again.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First retry delay; it doubles per attempt up to 4 s, each delay jittered by ×0.5–1.5.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>At most this many connectivity lines in the body; the rest are counted.</summary>
    public int MaxListedChanges { get; init; } = 50;

    /// <summary>
    /// The settings for committing what the intent at <paramref name="intentPath"/> built: its
    /// SHA-256 and its path from the root of the Git working tree it is in (else as given) for the
    /// Npgen-Intent-Sha256 and Npgen-Intent-Path trailers, and the scope the subject names
    /// (<c>shop (prod)</c>). Author, subject and retries keep their defaults; set them with <c>with</c>.
    /// </summary>
    public static CommitSettings For(IGitClient git, string intentPath, string intentName, string? environment, string version)
    {
        ArgumentNullException.ThrowIfNull(git);
        return new CommitSettings
        {
            Scope = environment is null ? intentName : $"{intentName} ({environment})",
            Environment = environment,
            Version = version,
            IntentPath = DisplayPath(git, intentPath),
            IntentSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(intentPath))),
        };
    }

    /// <summary>The intent's path from the root of the Git working tree it is in; else as given.</summary>
    private static string DisplayPath(IGitClient git, string intentPath)
    {
        var full = Path.GetFullPath(intentPath);
        using var repo = git.Discover(Path.GetDirectoryName(full)!);
        return repo is null
            ? intentPath.Replace('\\', '/')
            : Path.GetRelativePath(repo.WorkingDirectory, full).Replace('\\', '/');
    }
}
