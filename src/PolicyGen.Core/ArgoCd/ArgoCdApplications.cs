using System.Text;
using System.Text.RegularExpressions;
using PolicyGen.Compile;
using PolicyGen.Yaml;

namespace PolicyGen.ArgoCd;

/// <summary>
/// The Argo CD Applications (argoproj.io/v1alpha1) that sync a directory npgen publishes, such that
/// every policy's namespace exists before the policy is applied on an empty cluster: Argo CD runs
/// CreateNamespace=true as a PreSync task (gitops-engine autoCreateNamespace), before every wave, but
/// only for spec.destination.namespace, hence one Application per namespace.
/// </summary>
public static partial class ArgoCdApplications
{
    /// <summary>What is wrong with the request, one message per problem; empty when it can be rendered.</summary>
    public static IReadOnlyList<string> Problems(ArgoCdApplicationRequest request)
    {
        var problems = new List<string>();
        if (RepoProblem(request.RepoUrl) is { } repo)
        {
            problems.Add(repo);
        }

        if (PathProblem(request.Path) is { } path)
        {
            problems.Add(path);
        }

        foreach (var ns in request.DestinationNamespaces)
        {
            if (!DnsLabel().IsMatch(ns))
            {
                problems.Add($"--dest-namespace {Shown(ns)} is not a namespace name (a DNS label: at most 63 lower-case letters, digits and '-', not at either end)");
            }
        }

        foreach (var twice in request.DestinationNamespaces.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"--dest-namespace {Shown(twice.Key)} is given twice");
        }

        foreach (var name in Names(request))
        {
            if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
            {
                problems.Add($"Application name {Shown(name)} is not a Kubernetes object name (lower-case letters, digits, '-' and '.', at most 253)");
            }
        }

        if (!DnsLabel().IsMatch(request.ApplicationNamespace))
        {
            problems.Add($"--app-namespace {Shown(request.ApplicationNamespace)} is not a namespace name");
        }

        return problems;
    }

    /// <summary>
    /// Why Argo CD could not use <paramref name="repo"/>, or null. Its repo-server clones the
    /// repository itself, so a path on this machine (which npgen publish accepts) means nothing to it.
    /// </summary>
    /// <remarks>Starts with the error code (NPG732), so scripts and docs/errors.md can name it.</remarks>
    public static string? RepoProblem(string repo)
    {
        var isUrl = UrlWithScheme().Match(repo);
        if (isUrl.Success)
        {
            return isUrl.Groups["scheme"].Value.ToLowerInvariant() is "https" or "http" or "ssh" or "git" or "git+ssh" or "ssh+git"
                ? null
                : $"error {Diagnostics.DiagnosticCodes.ArgoCdRepoNotCloneable}: --repo {Shown(repo)} is a {isUrl.Groups["scheme"].Value}:// URL; Argo CD's repo-server clones the repository itself and reaches it only by https://, ssh:// or git@host:path";
        }

        if (ScpLike().IsMatch(repo))
        {
            return null;
        }

        return $"error {Diagnostics.DiagnosticCodes.ArgoCdRepoNotCloneable}: --repo {Shown(repo)} is a path on this machine; Argo CD's repo-server clones the repository itself and cannot read it. "
            + "Give the URL Argo CD knows the repository by (https://git.example.com/platform/gitops.git or git@git.example.com:platform/gitops.git); npgen publish may push to a path, Argo CD cannot sync one";
    }

    /// <summary>The Applications as one YAML stream.</summary>
    public static string Render(ArgoCdApplicationRequest request)
    {
        var path = request.Path.Trim('/');
        var text = new StringBuilder();
        var names = Names(request);
        if (request.DestinationNamespaces.Count <= 1)
        {
            Append(text, request, names[0], path, request.DestinationNamespaces.Count == 1 ? request.DestinationNamespaces[0] : null);
            return text.ToString();
        }

        for (var i = 0; i < request.DestinationNamespaces.Count; i++)
        {
            if (i > 0)
            {
                text.Append("---\n");
            }

            var ns = request.DestinationNamespaces[i];
            Append(text, request, names[i], path == "." ? ns : path + "/" + ns, ns);
        }

        return text.ToString();
    }

    private static List<string> Names(ArgoCdApplicationRequest request)
        => request.DestinationNamespaces.Count <= 1
            ? [request.Name]
            : request.DestinationNamespaces.Select(ns => request.Name + "-" + ns).ToList();

    private static void Append(StringBuilder text, ArgoCdApplicationRequest request, string name, string path, string? ns)
    {
        // path and ns are checked (PathProblem, DnsLabel), so they can go into the comment as they are.
        text.Append("# Argo CD Application for the NetworkPolicies npgen publishes to ").Append(path)
            .Append(ns is null ? "" : " (namespace " + ns + ")").Append(". Printed by npgen argocd app; yours to edit.\n")
            .Append("apiVersion: argoproj.io/v1alpha1\n")
            .Append("kind: Application\n")
            .Append("metadata:\n")
            .Append("  name: ").Append(YamlQuoting.Quote(name)).Append('\n')
            .Append("  namespace: ").Append(YamlQuoting.Quote(request.ApplicationNamespace)).Append('\n')
            .Append("spec:\n")
            .Append("  project: ").Append(YamlQuoting.Quote(request.Project)).Append('\n')
            .Append("  source:\n")
            .Append("    repoURL: ").Append(YamlQuoting.Quote(request.RepoUrl)).Append('\n')
            .Append("    targetRevision: ").Append(YamlQuoting.Quote(request.Revision)).Append('\n')
            .Append("    path: ").Append(YamlQuoting.Quote(path)).Append('\n')
            .Append("    directory:\n")
            .Append("      recurse: true\n")
            .Append("      exclude: kustomization.yaml\n")
            .Append("  destination:\n")
            .Append("    server: ").Append(YamlQuoting.Quote(request.DestinationServer)).Append('\n');
        if (ns is not null)
        {
            text.Append("    namespace: ").Append(YamlQuoting.Quote(ns)).Append('\n');
        }

        text.Append("  syncPolicy:\n")
            .Append("    automated:\n")
            .Append("      prune: true\n")
            .Append("      selfHeal: true\n");
        if (ns is not null && request.CreateNamespace)
        {
            // A PreSync task: the namespace exists before the policies' wave -1.
            text.Append("    syncOptions:\n")
                .Append("    - CreateNamespace=true\n");
        }

        // Retries a sync that failed because a namespace is not there yet (another Application makes it).
        text.Append("    retry:\n")
            .Append("      limit: 5\n")
            .Append("      backoff:\n")
            .Append("        duration: 10s\n")
            .Append("        factor: 2\n")
            .Append("        maxDuration: 3m\n");
    }

    private static string? PathProblem(string path)
    {
        var trimmed = path.Trim('/');
        if (path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal))
        {
            return $"--path {Shown(path)} must be a directory inside the repository, relative to its root, with '/' separators";
        }

        if (trimmed.Length == 0 || trimmed.Split('/').Any(s => s is "" or ".." || (s == "." && trimmed != ".")) || !SafePath().IsMatch(trimmed))
        {
            return $"--path {Shown(path)} must be a directory inside the repository (letters, digits, '.', '_', '-' and '/'; no '..' or empty segment)";
        }

        return null;
    }

    /// <summary>A value as a message may show it: quoted, control characters escaped, capped.</summary>
    private static string Shown(string value)
        => YamlQuoting.Quote(value.Length > 120 ? value[..120] + "..." : value) is var q && q.StartsWith('"') ? q : "'" + q + "'";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://[^/]")]
    private static partial Regex UrlWithScheme();

    // git@host:path (not a Windows drive letter such as C:\x).
    [GeneratedRegex(@"^([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]{2,}:[^/\\][^\s]*$|^([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]{2,}:/[^/][^\s]*$")]
    private static partial Regex ScpLike();

    [GeneratedRegex("^[A-Za-z0-9._/-]+$")]
    private static partial Regex SafePath();
}
