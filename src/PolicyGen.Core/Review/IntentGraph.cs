using System.Collections.Immutable;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Review;

/// <summary>
/// The picture of an intent: its apps framed by namespace, every allowed edge (calls, ingress
/// rules, DNS) labelled with its ports, the peers, networks and presets it names as their own
/// nodes, and each app drawn as isolated, half isolated or open as the intent makes it.
/// </summary>
public static class IntentGraph
{
    public static ConnectivityGraph Build(NetworkIntent intent, ImmutableArray<AppConnectivity> apps, string? environment = null)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var nodes = new List<GraphNode>();
        var edges = new List<GraphEdge>();
        var appKeys = intent.Apps.ToDictionary(a => a.Name, a => AppKey(a), StringComparer.Ordinal);
        foreach (var app in apps)
        {
            var kind = (app.IngressIsolated, app.EgressIsolated) switch
            {
                (true, true) => GraphNodeKind.Isolated,
                (true, false) => GraphNodeKind.IngressIsolated,
                (false, true) => GraphNodeKind.EgressIsolated,
                _ => GraphNodeKind.Open,
            };
            nodes.Add(new GraphNode(AppKey(app.App), app.App.Name, kind, app.App.Namespace));
            foreach (var edge in app.Outbound)
            {
                var peer = PeerNode(intent, edge, appKeys);
                nodes.Add(peer);
                edges.Add(new GraphEdge(AppKey(app.App), peer.Key, Ports(edge.Ports)));
            }

            foreach (var edge in app.Inbound)
            {
                var peer = PeerNode(intent, edge, appKeys);
                nodes.Add(peer);
                edges.Add(new GraphEdge(peer.Key, AppKey(app.App), Ports(edge.Ports)));
            }
        }

        // App nodes first: a peer node with an app's key is that app.
        var byKey = nodes.GroupBy(n => n.Key).Select(g => g.OrderBy(n => n.Kind).First());
        var title = environment is null ? intent.Name : $"{intent.Name} ({environment})";
        return ConnectivityGraph.Create(title, byKey, edges,
            $"intent {intent.Name}{(environment is null ? "" : ", env " + environment)}: edges are the flows the intent allows");
    }

    private static string AppKey(App app) => $"app:{app.Namespace}/{app.Name}";

    private static GraphNode PeerNode(NetworkIntent intent, Edge edge, Dictionary<string, string> appKeys)
    {
        if (edge.IsDns)
        {
            return new GraphNode("preset:dns", "DNS", GraphNodeKind.Preset, null);
        }

        switch (edge.Peer)
        {
            case AppPeer a:
                var app = intent.Apps.First(x => x.Name == a.App);
                return new GraphNode(appKeys[a.App], app.Name, GraphNodeKind.Open, app.Namespace);
            case NamespacePeer n:
                var label = n.PodLabels is { } podLabels ? $"pods {Labels.Format(podLabels)}" : "all pods";
                return new GraphNode($"peer:{n.Namespace}/{label}", label, GraphNodeKind.Peer, n.Namespace);
            case NamespaceLabelsPeer l:
                var text = $"namespaces {Labels.Format(l.Labels)}" + (l.PodLabels is { } p ? $"\npods {Labels.Format(p)}" : "\nall pods");
                return new GraphNode($"peer:{text}", text, GraphNodeKind.Peer, null);
            case NetworkPeer network:
                var blocks = intent.FindNetwork(network.Network)?.Blocks ?? [];
                return new GraphNode($"network:{network.Network}", $"network {network.Network}\n{string.Join("\n", blocks)}", GraphNodeKind.Network, null);
            case IngressControllerPeer:
                var controller = intent.IngressController;
                return new GraphNode("preset:ingress", $"ingress controller\n{controller.Namespace} {Labels.Format(controller.PodLabels)}", GraphNodeKind.Preset, null);
            case ApiServerPeer:
                var api = intent.ApiServer?.Blocks ?? [];
                return new GraphNode("preset:apiserver", $"API server\n{string.Join("\n", api)}", GraphNodeKind.Preset, null);
            case AnywherePeer:
                return new GraphNode("network:anywhere", "anywhere\n0.0.0.0/0, ::/0", GraphNodeKind.Network, null);
            default:
                return new GraphNode($"peer:{edge.Peer}", edge.Peer.ToString() ?? "peer", GraphNodeKind.Peer, null);
        }
    }

    private static string Ports(ImmutableArray<PortRange> ports)
        => ports.IsDefaultOrEmpty ? "all ports" : string.Join(", ", ports.Select(p => p.ToString()));
}
