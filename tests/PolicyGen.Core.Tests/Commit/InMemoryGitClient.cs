using PolicyGen.Commit;

namespace PolicyGen.Core.Tests.Commit;

/// <summary>Opens <see cref="InMemoryGitRepository"/> working trees on one <see cref="InMemoryRemote"/>.</summary>
internal sealed class InMemoryGitClient(InMemoryRemote remote) : IGitClient
{
    /// <summary>The repository <see cref="Discover"/> finds (local mode), set by the test.</summary>
    public InMemoryGitRepository? Local { get; set; }

    /// <summary>Every workspace <see cref="OpenWorkspace"/> opened (publish mode: a fresh clone each time).</summary>
    public List<InMemoryGitRepository> Opened { get; } = [];

    public IGitRepository? Discover(string path) => Local;

    public IGitRepository OpenWorkspace(string directory, string url)
    {
        var repo = new InMemoryGitRepository(directory, remote);
        Opened.Add(repo);
        return repo;
    }
}
