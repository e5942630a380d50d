namespace PolicyGen.Commit;

/// <summary>
/// How to authenticate to HTTPS remotes: a user name and a password or token (from
/// NPGEN_GIT_USERNAME / NPGEN_GIT_PASSWORD, or taken out of the URL), and a CA bundle for a
/// private certificate authority. SSH remotes use the system's ssh setup instead.
/// </summary>
public sealed record GitCredentials
{
    public static GitCredentials None { get; } = new();

    /// <summary>When a password is given without a user name, GitHub's convention for tokens.</summary>
    public const string DefaultUsername = "x-access-token";

    public string? Username { get; init; }
    public string? Password { get; init; }

    /// <summary>PEM file of CA certificates trusted for HTTPS remotes (in addition to the system's).</summary>
    public string? CaFile { get; init; }

    public bool HasPassword => !string.IsNullOrEmpty(Password);

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => HasPassword ? $"user {Username ?? DefaultUsername} with a password" : "no credentials";
}
