using LibGit2Sharp;
using PolicyGen.Commit;

namespace PolicyGen.Git;

/// <summary>
/// <see cref="IGitClient"/> with LibGit2Sharp: no git executable is needed. HTTP(S) remotes go
/// through <see cref="HttpSmartSubtransport"/>; SSH remotes through libgit2's own SSH support;
/// local paths and file:// URLs through libgit2's local transport.
/// </summary>
public sealed class LibGit2Client : IGitClient, IDisposable
{
    private readonly GitCredentials credentials;
    private readonly SecretRedactor redactor;
    private readonly Lazy<HttpClient> http;
    private readonly TimeSpan timeout;
    private readonly long maxResponseBytes;

    /// <param name="timeout">How long an HTTP(S) server may stay silent before the operation fails (default <see cref="DefaultTimeout"/>).</param>
    /// <param name="maxResponseBytes">The most one HTTP(S) response may hold (default <see cref="DefaultMaxResponseBytes"/>): a hostile or broken server cannot fill memory.</param>
    public LibGit2Client(GitCredentials credentials, SecretRedactor redactor, TimeSpan? timeout = null, long? maxResponseBytes = null)
    {
        this.credentials = credentials;
        this.redactor = redactor;
        this.timeout = timeout ?? DefaultTimeout;
        this.maxResponseBytes = maxResponseBytes ?? DefaultMaxResponseBytes;
        http = new Lazy<HttpClient>(() => HttpSmartSubtransport.CreateClient(credentials.CaFile));
        HttpSmartSubtransport.EnsureRegistered();
    }

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>512 MiB: far above a GitOps repository of policies, far below what would exhaust a CI runner.</summary>
    public static long DefaultMaxResponseBytes { get; } = 512L << 20;

    /// <summary>The bundled libgit2's version and features, e.g. <c>0.32.0+libgit2-5853918... (x64 - Threads, Https, Ssh, NSec)</c>.</summary>
    public static string LibraryVersion => GlobalSettings.Version.ToString();

    public IGitRepository? Discover(string path)
    {
        var existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        var found = Repository.Discover(existing);
        if (found is null)
        {
            return null;
        }

        var repository = new Repository(found);
        if (repository.Info.IsBare || repository.Info.WorkingDirectory is null)
        {
            repository.Dispose();
            return null;
        }

        return new LibGit2Repository(repository, credentials, redactor, http, timeout, maxResponseBytes);
    }

    public IGitRepository OpenWorkspace(string directory, string url)
    {
        // libgit2 reads a path that does not exist as a URL ("unsupported URL protocol"): say what is wrong instead.
        if (new RemoteUrl(url, null, null).LocalPath is { } local)
        {
            if (!Directory.Exists(local))
            {
                throw new GitException(GitFailure.NoRepository, redactor.Redact($"no repository at {url}: {Path.GetFullPath(local)} does not exist"));
            }

            if (!Repository.IsValid(local))
            {
                throw new GitException(GitFailure.NoRepository, redactor.Redact($"no repository at {url}: {Path.GetFullPath(local)} is a directory but not a Git repository"));
            }
        }

        try
        {
            if (!Repository.IsValid(directory))
            {
                Directory.CreateDirectory(directory);
                Repository.Init(directory);
            }

            var repository = new Repository(directory);
            var origin = repository.Network.Remotes["origin"];
            if (origin is null)
            {
                repository.Network.Remotes.Add("origin", url);
            }
            else if (origin.Url != url)
            {
                repository.Network.Remotes.Update("origin", r => r.Url = url);
            }

            return new LibGit2Repository(repository, credentials, redactor, http, timeout, maxResponseBytes);
        }
        catch (LibGit2SharpException e)
        {
            throw new GitException(GitFailure.Other, redactor.Redact($"could not prepare a working copy in {directory}: {e.Message}"), e);
        }
    }

    public void Dispose()
    {
        if (http.IsValueCreated)
        {
            http.Value.Dispose();
        }
    }
}
