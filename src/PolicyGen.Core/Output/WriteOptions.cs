namespace PolicyGen.Output;

/// <summary>How <see cref="OutputDirectoryWriter"/> treats output that was built for something else.</summary>
public sealed record WriteOptions
{
    public static readonly WriteOptions Default = new();

    /// <summary>
    /// <c>--replace-environment</c>: write over this intent's output even when it was built for
    /// another environment or other overlays (the result says what was replaced). Without it that
    /// is refused (NPG512).
    /// </summary>
    public bool ReplaceEnvironment { get; init; }

    /// <summary>
    /// A directory above the output directory (the root of a Git working tree) below which no
    /// path component may be a symbolic link; null: only the output directory itself is checked.
    /// </summary>
    public string? Boundary { get; init; }

    /// <summary>What is known about the environment of this intent's output written by an older npgen (no record).</summary>
    public LegacyEnvironment? Legacy { get; init; }
}
