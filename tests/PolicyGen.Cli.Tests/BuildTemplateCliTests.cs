namespace PolicyGen.Cli.Tests;

/// <summary><c>npgen build --templates DIR</c> with an edited template that changes the meaning.</summary>
public sealed class BuildTemplateCliTests : IDisposable
{
    private const string Intent = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shop}
        spec:
          namespaces:
            shop: {managed: true}
            backend: {managed: true}
          apps:
            web:
              namespace: shop
              selector: {app: web}
              calls:
              - app: api
            api:
              namespace: backend
              selector: {app: api}
              ports: {http: 8080/TCP}
        """;

    private readonly string temp = Directory.CreateTempSubdirectory("npgen-cli-templates-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    /// <summary>The repository's templates, with _rules.sbn no longer writing namespaceSelector: web's AND peer becomes "app=web pods of backend".</summary>
    private string TamperedTemplates()
    {
        var dir = Path.Combine(temp, "templates");
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(Path.Combine(Npgen.Repo, "templates"), "*.sbn"))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }

        var rules = Path.Combine(dir, "_rules.sbn");
        var text = File.ReadAllText(rules);
        Assert.Contains("{{~ if peer.namespace_labels ~}}", text, StringComparison.Ordinal);
        File.WriteAllText(rules, text.Replace("{{~ if peer.namespace_labels ~}}", "{{~ if false ~}}", StringComparison.Ordinal));
        return dir;
    }

    [Fact]
    public void Build_with_a_template_that_changes_the_meaning_exits_1_names_the_flow_and_writes_nothing()
    {
        var intent = Path.Combine(temp, "intents.yaml");
        File.WriteAllText(intent, Intent);
        var templates = TamperedTemplates();

        var ok = Npgen.Run("build", intent);
        Assert.True(ok.ExitCode == 0, ok.ToString());

        var run = Npgen.Run("build", intent, "--templates", templates);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("", run.StdOut);
        Assert.Contains("error NPG400: web -> api 8080/TCP: intent allows, policies deny (", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("npgen build: verification failed; nothing was written.", run.StdErr, StringComparison.Ordinal);

        var output = Path.Combine(temp, "out");
        var toDirectory = Npgen.Run("build", intent, "--templates", templates, "-o", output + "/");
        Assert.True(toDirectory.ExitCode == 1, toDirectory.ToString());
        Assert.Equal("", toDirectory.StdOut);
        Assert.Contains("web -> api 8080/TCP: intent allows, policies deny (", toDirectory.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "nothing may be written, not even the directory");

        // Over an earlier good build, the files stay as they were.
        Assert.Equal(0, Npgen.Run("build", intent, "-o", output + "/").ExitCode);
        var before = Snapshot(output);
        Assert.NotEmpty(before);
        var again = Npgen.Run("build", intent, "--templates", templates, "-o", output + "/");
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Equal(before, Snapshot(output));
    }

    private static SortedDictionary<string, string> Snapshot(string root)
        => new(Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => File.ReadAllText(f) + "@" + File.GetLastWriteTimeUtc(f).Ticks), StringComparer.Ordinal);
}
