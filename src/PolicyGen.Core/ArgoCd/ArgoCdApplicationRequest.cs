namespace PolicyGen.ArgoCd;

/// <summary>
/// What <c>npgen argocd app</c> was asked for: the repository Argo CD clones, the directory npgen
/// publishes to, and the namespaces the policies live in.
/// </summary>
/// <param name="DestinationNamespaces">
/// The policies' namespaces. One: one Application over <paramref name="Path"/>. Several: one
/// Application per namespace over <c>Path/&lt;namespace&gt;</c> (npgen's output layout), because Argo CD's
/// CreateNamespace=true creates only an Application's own destination namespace.
/// </param>
public sealed record ArgoCdApplicationRequest(
    string Name,
    string RepoUrl,
    string Path,
    string Revision,
    string Project,
    string DestinationServer,
    string ApplicationNamespace,
    IReadOnlyList<string> DestinationNamespaces,
    bool CreateNamespace);
