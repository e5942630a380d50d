using System.CommandLine;
using System.Text;
using PolicyGen.Commit;
using PolicyGen.Yaml;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen argocd app</c>: the Argo CD Application that syncs a published policy directory.</summary>
internal static class ArgoCdCommand
{
    public static Command Create()
    {
        var repo = new Option<string>("--repo") { Description = "The GitOps repository URL, as Argo CD knows it.", Required = true };
        var path = new Option<string>("--path") { Description = "The directory npgen publishes to (npgen publish --path).", Required = true };
        var name = new Option<string>("--name") { Description = "The Application's name, e.g. shop-netpol.", Required = true };
        var destNamespace = new Option<string?>("--dest-namespace")
        {
            Description = "destination.namespace (the policies name their own namespaces; this only fills in for objects without one).",
        };
        var revision = new Option<string>("--revision") { Description = "targetRevision: the branch npgen publishes to.", DefaultValueFactory = _ => "main" };
        var project = new Option<string>("--project") { Description = "The Argo CD project.", DefaultValueFactory = _ => "default" };
        var server = new Option<string>("--dest-server") { Description = "The cluster's API server URL as Argo CD knows it.", DefaultValueFactory = _ => "https://kubernetes.default.svc" };
        var appNamespace = new Option<string>("--app-namespace") { Description = "Where the Application object lives (Argo CD's namespace).", DefaultValueFactory = _ => "argocd" };

        var app = new Command("app", """
            Print an Argo CD Application (argoproj.io/v1alpha1) for the directory npgen publishes:
            a plain directory source (recursive, kustomization.yaml excluded, so Argo CD applies the
            policies as they were reviewed), automated sync with prune (a policy npgen stops
            generating is deleted from the cluster) and self-heal (a hand edit in the cluster is
            reverted). The policies carry argocd.argoproj.io/sync-wave "-1", so within an app they
            apply before workloads.

            Examples:
              npgen argocd app --repo https://git.example.com/platform/gitops.git --path apps/shop \
                --name shop-netpol --dest-namespace shop > argocd/shop-netpol.yaml
            """)
        {
            repo, path, name, destNamespace, revision, project, server, appNamespace,
        };
        app.SetAction(result =>
        {
            var url = RemoteUrl.Parse(result.GetValue(repo)!);
            if (url.Password is not null || url.Username is not null)
            {
                Console.Error.WriteLine("npgen argocd app: --repo must not carry credentials; give them to Argo CD as a repository secret");
                return ExitCodes.BadInput;
            }

            var text = new StringBuilder()
                .Append("apiVersion: argoproj.io/v1alpha1\n")
                .Append("kind: Application\n")
                .Append("metadata:\n")
                .Append("  name: ").Append(YamlQuoting.Quote(result.GetValue(name))).Append('\n')
                .Append("  namespace: ").Append(YamlQuoting.Quote(result.GetValue(appNamespace))).Append('\n')
                .Append("  labels:\n")
                .Append("    app.kubernetes.io/managed-by: npgen\n")
                .Append("spec:\n")
                .Append("  project: ").Append(YamlQuoting.Quote(result.GetValue(project))).Append('\n')
                .Append("  source:\n")
                .Append("    repoURL: ").Append(YamlQuoting.Quote(url.Url)).Append('\n')
                .Append("    targetRevision: ").Append(YamlQuoting.Quote(result.GetValue(revision))).Append('\n')
                .Append("    path: ").Append(YamlQuoting.Quote(result.GetValue(path)!.Trim('/'))).Append('\n')
                .Append("    directory:\n")
                .Append("      recurse: true\n")
                .Append("      exclude: kustomization.yaml\n")
                .Append("  destination:\n")
                .Append("    server: ").Append(YamlQuoting.Quote(result.GetValue(server))).Append('\n');
            if (result.GetValue(destNamespace) is { } ns)
            {
                text.Append("    namespace: ").Append(YamlQuoting.Quote(ns)).Append('\n');
            }

            text.Append("  syncPolicy:\n")
                .Append("    automated:\n")
                .Append("      prune: true\n")
                .Append("      selfHeal: true\n");
            Console.Out.Write(text.ToString());
            return ExitCodes.Ok;
        });

        return new Command("argocd", "Argo CD wiring for published policies.") { app };
    }
}
