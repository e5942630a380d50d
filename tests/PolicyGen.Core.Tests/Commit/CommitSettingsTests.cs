using System.Reflection;
using PolicyGen.Commit;

namespace PolicyGen.Core.Tests.Commit;

/// <summary><see cref="CommitSettings.For"/>: the trailers' intent hash and path, and the subject's scope.</summary>
public sealed class CommitSettingsTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-settings-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void The_intent_is_hashed_and_the_scope_names_the_environment()
    {
        var intent = Path.Combine(temp, "intents.yaml");
        File.WriteAllText(intent, "abc");

        var settings = CommitSettings.For(new Client(null), intent, "shop", "prod", "1.2.3");

        // SHA-256("abc"), the FIPS 180-2 test vector.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", settings.IntentSha256);
        Assert.Equal("shop (prod)", settings.Scope);
        Assert.Equal("prod", settings.Environment);
        Assert.Equal("1.2.3", settings.Version);
        Assert.Equal(intent, settings.IntentPath);
        Assert.Equal(CommitSettings.DefaultSubject, settings.Subject);
    }

    [Fact]
    public void An_intent_inside_a_working_tree_is_named_from_its_root()
    {
        Directory.CreateDirectory(Path.Combine(temp, "deploy"));
        var intent = Path.Combine(temp, "deploy", "intents.yaml");
        File.WriteAllText(intent, "x");

        var settings = CommitSettings.For(new Client(temp), intent, "shop", null, "1.2.3");

        Assert.Equal("deploy/intents.yaml", settings.IntentPath);
        Assert.Equal("shop", settings.Scope);
    }

    /// <summary>Discover finds a working tree at <paramref name="root"/> (or none); nothing else is called.</summary>
    private sealed class Client(string? root) : IGitClient
    {
        public IGitRepository? Discover(string path) => root is null ? null : Tree.At(root);

        public IGitRepository OpenWorkspace(string directory, string url) => throw new NotSupportedException();
    }

    /// <summary>A repository that only knows its working directory: any other call fails the test.</summary>
    public class Tree : DispatchProxy
    {
        private string root = "";

        public static IGitRepository At(string root)
        {
            var repository = Create<IGitRepository, Tree>();
            ((Tree)(object)repository).root = root;
            return repository;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            "get_WorkingDirectory" => root,
            "Dispose" => null,
            _ => throw new NotSupportedException(targetMethod?.Name),
        };
    }
}
