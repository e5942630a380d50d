namespace PolicyGen.Diff;

/// <summary>A file as a revision holds it: its path from the repository root ('/'-separated) and its text.</summary>
public sealed record RevisionFile(string Path, string Text);
