using System.CommandLine;
using PolicyGen.ArgoCd;
using PolicyGen.Commit;

namespace PolicyGen.Cli.Commands;

/// <summary><c>npgen argocd app</c>: the Argo CD Application that syncs a published policy directory.</summary>
internal static class ArgoCdCommand
{
    public static Command Create(CommandConsole console)
    {
        var repo = new Option<string>("--repo") { Description = "The GitOps repository URL, as Argo CD knows it.", Required = true };
        var path = new Option<string>("--path") { Description = "The directory npgen publishes to (npgen publish --path).", Required = true };
        var name = new Option<string>("--name") { Description = "The Application's name, e.g. shop-netpol.", Required = true };
        var destNamespace = new Option<string[]>("--dest-namespace")
        {
            Description = "The namespace the policies live in (repeat it for each one): Argo CD creates it before the policies (CreateNamespace=true). "
                + "With several, one Application per namespace syncs <path>/<namespace>, because Argo CD creates only an Application's own destination namespace.",
            AllowMultipleArgumentsPerToken = false,
        };
        var noCreateNamespace = new Option<bool>("--no-create-namespace")
        {
            Description = "Leave CreateNamespace=true out: the namespaces are made elsewhere (the policies' sync then fails, and is retried, until they exist).",
        };
        var revision = new Option<string>("--revision") { Description = "targetRevision: the branch npgen publishes to.", DefaultValueFactory = _ => "main" };
        var project = new Option<string>("--project") { Description = "The Argo CD project.", DefaultValueFactory = _ => "default" };
        var server = new Option<string>("--dest-server") { Description = "The cluster's API server URL as Argo CD knows it.", DefaultValueFactory = _ => "https://kubernetes.default.svc" };
        var appNamespace = new Option<string>("--app-namespace") { Description = "Where the Application object lives (Argo CD's namespace).", DefaultValueFactory = _ => "argocd" };

        var app = new Command("app", """
            Print the Argo CD Application(s) (argoproj.io/v1alpha1) for the directory npgen publishes:
            a plain directory source (recursive, kustomization.yaml excluded, so Argo CD applies the
            policies as they were reviewed), automated sync with prune (a policy npgen stops
            generating is deleted from the cluster), self-heal (a hand edit in the cluster is
            reverted) and a retry policy.

            Namespaces before policies: the policies carry argocd.argoproj.io/sync-wave "-1". With
            --dest-namespace, the Application sets CreateNamespace=true, which Argo CD runs as a
            PreSync task, before every wave, for spec.destination.namespace only. So an intent whose
            policies live in several namespaces gets one Application per namespace (give each with
            --dest-namespace), each syncing <path>/<namespace> as npgen build -o writes it.

            --repo is the URL Argo CD clones (https://, ssh:// or git@host:path); a path on this
            machine is refused, Argo CD's repo-server cannot read it.

            Examples:
              npgen argocd app --repo https://git.example.com/platform/gitops.git --path apps/shop \
                --name shop-netpol --dest-namespace shop > argocd/shop-netpol.yaml
              npgen argocd app --repo https://git.example.com/platform/gitops.git --path apps/shop \
                --name shop-netpol --dest-namespace shop --dest-namespace shop-data > argocd/shop-netpol.yaml
            """)
        {
            repo, path, name, destNamespace, noCreateNamespace, revision, project, server, appNamespace,
        };
        app.SetAction(result =>
        {
            var url = RemoteUrl.Parse(result.GetValue(repo)!);
            if (url.Password is not null || url.Username is not null)
            {
                console.Error.WriteLine("npgen argocd app: --repo must not carry credentials; give them to Argo CD as a repository secret");
                return ExitCodes.BadInput;
            }

            var request = new ArgoCdApplicationRequest(
                result.GetValue(name)!,
                url.Url,
                result.GetValue(path)!,
                result.GetValue(revision)!,
                result.GetValue(project)!,
                result.GetValue(server)!,
                result.GetValue(appNamespace)!,
                result.GetValue(destNamespace) ?? [],
                !result.GetValue(noCreateNamespace));
            var problems = ArgoCdApplications.Problems(request);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    console.Error.WriteLine("npgen argocd app: " + problem);
                }

                return ExitCodes.BadInput;
            }

            if (request.DestinationNamespaces.Count == 0)
            {
                console.Error.WriteLine("npgen argocd app: note: without --dest-namespace Argo CD creates no namespace; the policies' namespaces must exist before this Application syncs (its retry policy waits for them for a few minutes)");
            }
            else if (!request.CreateNamespace)
            {
                console.Error.WriteLine("npgen argocd app: note: --no-create-namespace: the namespaces must exist before this Application syncs (its retry policy waits for them for a few minutes)");
            }

            console.Out.Write(ArgoCdApplications.Render(request));
            return ExitCodes.Ok;
        });

        return new Command("argocd", """
            Argo CD wiring for published policies (npgen argocd app).

            Examples:
              npgen argocd app --repo https://git.example.com/platform/gitops.git --path apps/shop --name shop-netpol --dest-namespace shop
              npgen argocd app --help
            """)
        {
            app,
        };
    }
}
