namespace PolicyGen.Commit;

/// <summary>A file stored in a commit: its path from the repository root ('/'-separated) and its bytes.</summary>
public sealed record RepoFile(string Path, byte[] Content);
