namespace PolicyGen.Cli.Tests.GitOps;

/// <summary>How <see cref="GitHttpServer"/> misbehaves.</summary>
public enum StallMode
{
    None,

    /// <summary>Accepts each request and never answers.</summary>
    BeforeAnswer,

    /// <summary>Sends the headers and the first bytes of each answer, then nothing more.</summary>
    MidAnswer,
}
