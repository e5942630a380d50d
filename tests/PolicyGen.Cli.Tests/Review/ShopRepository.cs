using PolicyGen.Cli.Tests.GitOps;

namespace PolicyGen.Cli.Tests.Review;

/// <summary>
/// A real Git repository in a temporary directory holding a copy of examples/shop under shop/,
/// committed revision by revision; each edit is applied to the real example's text and must match.
/// </summary>
public sealed class ShopRepository : IDisposable
{
    public ShopRepository()
    {
        Root = Directory.CreateTempSubdirectory("npgen-diff-repo-").FullName;
        Work = Path.Combine(Root, "work");
        Directory.CreateDirectory(Work);
        GitCli.Run(Work, "init", "-q", "-b", "main");
        Copy(Path.Combine(Npgen.Repo, "examples", "shop"), Path.Combine(Work, "shop"));
        Commit("the shop as in examples/shop");
    }

    public string Root { get; }

    public string Work { get; }

    public string Intent => Path.Combine(Work, "shop", "intents.yaml");

    /// <summary>Replaces text in shop/intents.yaml (each old text must occur exactly once) and commits.</summary>
    public string Edit(string message, params (string Old, string New)[] edits)
    {
        var text = File.ReadAllText(Intent);
        foreach (var (old, replacement) in edits)
        {
            var at = text.IndexOf(old, StringComparison.Ordinal);
            Assert.True(at >= 0 && text.IndexOf(old, at + 1, StringComparison.Ordinal) < 0, $"examples/shop/intents.yaml no longer holds exactly one \"{old}\"");
            text = text.Replace(old, replacement, StringComparison.Ordinal);
        }

        File.WriteAllText(Intent, text);
        return Commit(message);
    }

    public string Commit(string message)
    {
        GitCli.Run(Work, "add", "-A");
        GitCli.Run(Work, "commit", "-q", "-m", message);
        return GitCli.Run(Work, "rev-parse", "HEAD").Trim();
    }

    public NpgenRun Diff(params string[] args) => Npgen.RunIn(Work, null, null, ["diff", .. args]);

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
