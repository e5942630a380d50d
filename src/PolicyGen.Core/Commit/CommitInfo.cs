using System.Collections.Immutable;

namespace PolicyGen.Commit;

/// <summary>A commit as the publisher needs it: who wrote it, what it says, its tree and parents.</summary>
public sealed record CommitInfo(string Sha, string AuthorName, string AuthorEmail, string Message, string Tree, ImmutableArray<string> Parents);
