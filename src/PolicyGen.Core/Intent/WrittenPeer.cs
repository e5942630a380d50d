namespace PolicyGen.Intent;

/// <summary>
/// A peer as the intent's author writes it (<c>{namespace: monitoring, podLabels: {app: prometheus}}</c>,
/// <c>network office</c>, <c>{preset: ingressController}</c>), for messages that should be found
/// again in the intent file.
/// </summary>
internal static class WrittenPeer
{
    public static string Text(Peer peer) => peer switch
    {
        AppPeer a => a.App,
        NamespacePeer n => n.PodLabels is null ? $"{{namespace: {n.Namespace}}}" : $"{{namespace: {n.Namespace}, podLabels: {Map(n.PodLabels)}}}",
        NamespaceLabelsPeer l => l.PodLabels is null ? $"{{namespaceLabels: {Map(l.Labels)}}}" : $"{{namespaceLabels: {Map(l.Labels)}, podLabels: {Map(l.PodLabels)}}}",
        NetworkPeer n => $"network {n.Network}",
        IngressControllerPeer => "{preset: ingressController}",
        ApiServerPeer => "{preset: apiServer}",
        _ => "anywhere",
    };

    /// <summary>Labels as a YAML flow mapping in key order: <c>{app: web, tier: front}</c>.</summary>
    public static string Map(IReadOnlyDictionary<string, string> labels)
        => "{" + string.Join(", ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}: {l.Value}")) + "}";
}
