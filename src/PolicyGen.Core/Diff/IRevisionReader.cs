namespace PolicyGen.Diff;

/// <summary>Reads a path as a revision of the repository holds it (PolicyGen.Git implements it with LibGit2Sharp).</summary>
public interface IRevisionReader
{
    /// <summary>The file or directory at <paramref name="path"/> in <paramref name="revision"/>; symbolic links are never followed.</summary>
    RevisionContent Read(string revision, string path);
}
