namespace PolicyGen.Commit;

public enum GitFailure
{
    /// <summary>Anything else: a missing repository, a network error, a corrupt object.</summary>
    Other,

    /// <summary>The remote branch moved: fetch, rebuild on its tip, try again.</summary>
    NonFastForward,

    /// <summary>The server refused the update (a hook, a protected branch); its message says why.</summary>
    Rejected,

    /// <summary>The server wants credentials, or refused the ones given.</summary>
    Authentication,

    /// <summary>The server's TLS certificate is not trusted.</summary>
    Certificate,

    /// <summary>The server stopped answering for longer than the timeout.</summary>
    Timeout,

    /// <summary>A local path or file:// URL names no repository.</summary>
    NoRepository,

    /// <summary>The repository's tree holds a symbolic link where npgen would write or delete.</summary>
    SymbolicLink,
}
