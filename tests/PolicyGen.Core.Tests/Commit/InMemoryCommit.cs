using System.Collections.Immutable;
using PolicyGen.Commit;

namespace PolicyGen.Core.Tests.Commit;

/// <summary>A commit of the in-memory Git: its files by path, parents, message and author; <see cref="Sequence"/> orders history.</summary>
internal sealed record InMemoryCommit(string Sha, string Tree, ImmutableSortedDictionary<string, byte[]> Files,
    ImmutableArray<string> Parents, string Message, GitIdentity Author, long Sequence)
{
    public CommitInfo Info => new(Sha, Author.Name, Author.Email, Message, Tree, Parents);
}
