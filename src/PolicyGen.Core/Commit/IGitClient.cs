namespace PolicyGen.Commit;

/// <summary>Opens repositories. The credentials and CA settings are the client's, for every remote operation.</summary>
public interface IGitClient
{
    /// <summary>The repository whose working tree holds <paramref name="path"/> (which need not exist yet), or null.</summary>
    IGitRepository? Discover(string path);

    /// <summary>
    /// A working repository in <paramref name="directory"/> whose <c>origin</c> is <paramref name="url"/>:
    /// created when the directory is empty or missing, reused (origin updated) when it holds one.
    /// Nothing is fetched yet.
    /// </summary>
    IGitRepository OpenWorkspace(string directory, string url);
}
