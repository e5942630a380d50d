namespace PolicyGen.Cli.Tests.GitOps;

/// <summary>
/// npgen build --commit and npgen publish against real repositories: a working tree, bare
/// repositories by path and file:// URL, and smart HTTP with Basic auth served by git http-backend
/// on 127.0.0.1. Everything is set up and inspected with the git command line; npgen itself uses
/// only LibGit2Sharp.
/// </summary>
public abstract class GitOpsTestBase : IDisposable
{
    protected const string User = "ci-bot";
    protected const string Password = "s3cret-t0ken-XYZ";
    protected string temp { get; } = Directory.CreateTempSubdirectory("npgen-gitops-").FullName;

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        foreach (var file in Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(temp, recursive: true);
    }

    /// <summary>web does not call api yet; db accepts the monitoring namespace on 5432.</summary>
    protected const string Version1 = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shop}
        spec:
          namespaces:
            shop: {managed: true}
            monitoring: {}
          apps:
            web: {namespace: shop, selector: {app: web}, ports: {http: 8080/TCP}}
            api: {namespace: shop, selector: {app: api}, ports: {http: 8080/TCP}}
            db:
              namespace: shop
              selector: {app: db}
              ports: {pg: 5432/TCP}
              ingress: [{from: [{namespace: monitoring}], ports: [pg]}]
        """;

    /// <summary>web calls api; monitoring no longer reaches db.</summary>
    protected const string Version2 = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shop}
        spec:
          namespaces:
            shop: {managed: true}
            monitoring: {}
          apps:
            web: {namespace: shop, selector: {app: web}, ports: {http: 8080/TCP}, calls: [{app: api}]}
            api: {namespace: shop, selector: {app: api}, ports: {http: 8080/TCP}}
            db: {namespace: shop, selector: {app: db}, ports: {pg: 5432/TCP}}
        """;

    protected static readonly Dictionary<string, string> Fast = new() { ["NPGEN_GIT_RETRY_DELAY_MS"] = "50" };

    protected string Intent(string name, string text)
    {
        var path = Path.Combine(temp, "app", name, "intents.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    protected static Dictionary<string, string> Env(params (string Name, string Value)[] values)
    {
        var env = new Dictionary<string, string>(Fast);
        foreach (var (name, value) in values)
        {
            env[name] = value;
        }

        return env;
    }

    protected static Dictionary<string, string> WithToken(string password = Password)
        => Env(("NPGEN_GIT_USERNAME", User), ("NPGEN_GIT_PASSWORD", password));

    protected NpgenRun Publish(IReadOnlyDictionary<string, string>? env, string intent, string repo, params string[] more)
        => Npgen.RunIn(temp, env ?? Fast, null, ["publish", intent, "--repo", repo, .. more]);

    /// <summary>
    /// <see cref="Publish"/> as a real process: for publishers that race each other, which in-process
    /// runs cannot (they take turns on the process's current directory).
    /// </summary>
    protected NpgenRun PublishAsProcess(IReadOnlyDictionary<string, string>? env, string intent, string repo, params string[] more)
        => NpgenProcess.RunIn(temp, env ?? Fast, null, ["publish", intent, "--repo", repo, .. more]);

    protected static string[] Log(string repo, string branch = "main", string format = "%s")
        => GitCli.Lines(GitCli.Run(repo, "log", $"--format={format}", branch));

}
