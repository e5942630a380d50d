namespace PolicyGen.Commit;

/// <summary>
/// A Git operation failed. The message is already redacted: it never holds a password, token or
/// the user-info part of a URL.
/// </summary>
public sealed class GitException : Exception
{
    public GitException()
    {
    }

    public GitException(string message)
        : base(message)
    {
    }

    public GitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GitException(GitFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
        => Failure = failure;

    public GitFailure Failure { get; }
}
