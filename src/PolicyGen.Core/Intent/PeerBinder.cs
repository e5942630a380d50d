using System.Collections.Immutable;
using System.Globalization;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using PolicyGen.Validation;
using static PolicyGen.Intent.IntentKeys;

namespace PolicyGen.Intent;

/// <summary>
/// The other end of an edge and the ports it names: a peer written in <c>from:</c>, <c>calls:</c>,
/// <c>defaults.dns.peers</c> or <c>expect:</c>, resolved against the intent's apps, networks and
/// presets, and port names resolved against the destination app's ports.
/// </summary>
internal sealed class PeerBinder(IntentNodeReader reader)
{
    /// <summary>Ports declared with a bad value (already reported): using their name is not a second mistake.</summary>
    private readonly HashSet<(string App, string Port)> mistypedPorts = [];

    /// <summary>Records a port of <paramref name="app"/> whose value was reported as wrong.</summary>
    public void MarkMistyped(string app, string port) => mistypedPorts.Add((app, port));

    public bool IsMistyped(string app, string port) => mistypedPorts.Contains((app, port));

    /// <summary>
    /// A peer: <c>{app}</c>, <c>{namespace[, podLabels]}</c>, <c>{namespaceLabels[, podLabels]}</c>,
    /// <c>{podLabels}</c> (same namespace), <c>{network}</c>, <c>{preset}</c>, <c>{anywhere: true}</c>.
    /// Calls may carry <c>ports</c> too; it is handed back in <paramref name="ports"/>.
    /// </summary>
    public Peer? Bind(SourceNode node, string pointer, App? owner, NetworkIntent intent, out SourceNode? ports, string? ownNamespace = null)
    {
        ownNamespace = owner?.Namespace ?? ownNamespace;
        ports = null;
        var what = PointerText(pointer);
        if (node is ScalarNode { IsNull: false } shorthand)
        {
            if (intent.FindApp(shorthand.Value) is not null)
            {
                return new AppPeer(shorthand.Value); // "- web" (or "- 'web'") is short for "- app: web"
            }

            if (KubernetesNames.IsDns1123Label(shorthand.Value))
            {
                reader.Error(DiagnosticCodes.IntentUnknownReference, $"{what}: no app is named \"{shorthand.Value}\"", node,
                    NameSuggestions.AppHint(shorthand.Value, intent));
                return null;
            }
        }

        if (node is not MappingNode map)
        {
            reader.Error(DiagnosticCodes.IntentWrongType, $"{what}: expected a peer such as {{app: web}}, found {IntentNodeReader.Describe(node)}", node,
                "write {app: NAME} (or just the app's name), {namespace: NAME}, {network: NAME} or {anywhere: true}");
            return null;
        }

        if (map.Entries.Any(entry => reader.ReportUnenforceable(entry.Key, what)))
        {
            return null;
        }

        reader.CheckKeys(map, what, [.. PeerKeys, .. ownNamespace is not null && pointer.Contains("/calls/", StringComparison.Ordinal) ? CallExtraKeys : Array.Empty<string>()]);
        ports = map["ports"];
        var kinds = PeerKinds.Where(k => map[k] is not null).ToList();
        var podLabels = map["podLabels"] is { } pl ? reader.LabelMap(pl, what + ".podLabels") : null;
        if (kinds.Count > 1)
        {
            reader.Error(DiagnosticCodes.IntentWrongType, $"{what}: a peer is one of app, namespace, namespaceLabels, network, preset or anywhere; found {string.Join(" and ", kinds)}", map,
                "split it into two peers in the list (they are ORed)");
            return null;
        }

        return kinds.SingleOrDefault() switch
        {
            "app" => BindApp(map, what, intent, podLabels),
            "namespace" => BindNamespace(map, what, podLabels),
            // {} selects every namespace: all pods of the cluster, but no outside address (unlike anywhere).
            "namespaceLabels" => new NamespaceLabelsPeer(reader.LabelMap(map["namespaceLabels"]!, what + ".namespaceLabels"), podLabels),
            "network" => BindNetwork(map, what, intent),
            "preset" => BindPreset(map, what, intent),
            "anywhere" => BindAnywhere(map, what),
            _ => BindOwnNamespacePods(map, what, ownNamespace, podLabels),
        };
    }

    private AppPeer? BindApp(MappingNode map, string what, NetworkIntent intent, ImmutableSortedDictionary<string, string>? podLabels)
    {
        var appName = reader.Text(map["app"], what + ".app");
        if (appName is null)
        {
            return null;
        }

        if (intent.FindApp(appName) is null)
        {
            reader.Error(DiagnosticCodes.IntentUnknownReference, $"{what}: no app is named \"{appName}\"", map["app"]!, NameSuggestions.AppHint(appName, intent));
            return null;
        }

        if (podLabels is not null)
        {
            reader.Error(DiagnosticCodes.IntentWrongType, $"{what}: podLabels cannot narrow an app", map["podLabels"]!, "declare the narrower pods as their own app");
        }

        return new AppPeer(appName);
    }

    private NamespacePeer? BindNamespace(MappingNode map, string what, ImmutableSortedDictionary<string, string>? podLabels)
    {
        var ns = reader.Text(map["namespace"], what + ".namespace");
        if (ns is not null)
        {
            reader.CheckName(ns, map["namespace"]!, what + ".namespace", subdomain: false);
        }

        return ns is null ? null : new NamespacePeer(ns, podLabels);
    }

    private NetworkPeer? BindNetwork(MappingNode map, string what, NetworkIntent intent)
    {
        var network = reader.Text(map["network"], what + ".network");
        if (network is not null && intent.FindNetwork(network) is null)
        {
            reader.Error(DiagnosticCodes.IntentUnknownReference, $"{what}: no network is named \"{network}\"", map["network"]!,
                NameSuggestions.Suggest(network, intent.Networks.Select(n => n.Name)) ?? "declare it under spec.networks, e.g. office: [10.20.0.0/16]");
            return null;
        }

        return network is null ? null : new NetworkPeer(network);
    }

    private Peer? BindPreset(MappingNode map, string what, NetworkIntent intent)
    {
        var preset = reader.Text(map["preset"], what + ".preset");
        switch (preset)
        {
            case "ingressController":
                return new IngressControllerPeer();
            case "apiServer" when intent.ApiServer is not null:
                return new ApiServerPeer();
            case "apiServer":
                reader.Error(DiagnosticCodes.IntentUnknownReference, $"{what}: the apiServer preset needs the API server addresses", map["preset"]!,
                    "add spec.presets.apiServer.networks, e.g. [10.0.0.1/32] (kubectl get endpoints kubernetes)");
                return null;
            default:
                reader.Error(DiagnosticCodes.IntentUnknownReference, $"{what}: unknown preset \"{preset}\"", map["preset"]!,
                    "the presets are ingressController and apiServer");
                return null;
        }
    }

    private AnywherePeer? BindAnywhere(MappingNode map, string what)
    {
        if (reader.Bool(map["anywhere"], what + ".anywhere") != true)
        {
            reader.Error(DiagnosticCodes.IntentWrongType, $"{what}: anywhere must be true", map["anywhere"]!,
                "write {anywhere: true} for every pod and address, or leave the peer out");
            return null;
        }

        return new AnywherePeer();
    }

    /// <summary>A peer with none of the kind keys: <c>{podLabels}</c> alone means pods of the app's (or the namespace's) own namespace.</summary>
    private NamespacePeer? BindOwnNamespacePods(MappingNode map, string what, string? ownNamespace, ImmutableSortedDictionary<string, string>? podLabels)
    {
        if (podLabels is not null && ownNamespace is not null)
        {
            return new NamespacePeer(ownNamespace, podLabels);
        }

        reader.Error(DiagnosticCodes.IntentMissingField, $"{what}: the peer names nothing", map,
            "write {app: NAME}, {namespace: NAME}, {namespaceLabels: {...}}, {network: NAME}, {preset: ingressController} or {anywhere: true}");
        return null;
    }

    /// <summary>Ports of an edge: names of the destination app's ports, <c>N/PROTO</c> or <c>A-B/PROTO</c>.</summary>
    public ImmutableArray<PortRange> BindPortRefs(SourceNode? node, string what, App? destination, bool externalOnly, (string Code, string Hint)? unresolvable = null)
    {
        if (node is null)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<PortRange>();
        foreach (var item in reader.Seq(node, what))
        {
            if (!IntentNodeReader.IsPortName(item))
            {
                if (reader.ParsePortRange(item, what) is { } range)
                {
                    result.Add(range);
                }
            }
            else if (ResolvePortName((ScalarNode)item, what, destination, externalOnly, unresolvable) is { } port)
            {
                result.Add(port);
            }
        }

        return result.ToImmutable();
    }

    private PortRange? ResolvePortName(ScalarNode item, string what, App? destination, bool externalOnly, (string Code, string Hint)? unresolvable)
    {
        var name = item.Value;
        if (destination?.FindPort(name) is { } port)
        {
            return port.Range;
        }

        if (destination is not null && IsMistyped(destination.Name, name))
        {
            return null; // declared with a bad value, reported there
        }

        if (destination is null && unresolvable is { } namespaceWide)
        {
            reader.Error(namespaceWide.Code, $"{what}: the port name \"{name}\" has nothing to resolve on", item, namespaceWide.Hint);
        }
        else if (destination is null)
        {
            reader.Error(DiagnosticCodes.IntentBadPort, $"{what}: the port name \"{name}\" has nothing to resolve on", item,
                externalOnly ? "only an app declares port names; for networks, namespaces and presets write the number, e.g. 443/TCP" : "declare it under the app's ports");
        }
        else
        {
            reader.Error(DiagnosticCodes.IntentBadPort, $"{what}: app \"{destination.Name}\" declares no port named \"{name}\"", item,
                destination.Ports.IsEmpty ? $"declare it under app {destination.Name}: ports: {{{name}: 8080/TCP}}"
                    : $"declared ports: {string.Join(", ", destination.Ports.Select(p => $"{p.Name} ({p.Range})"))}");
        }

        return null;
    }

    /// <summary>A JSON pointer as the user wrote the path: <c>app "web": calls[0]</c>, <c>defaults.dns.peers[1]</c>.</summary>
    private static string PointerText(string pointer)
    {
        var parts = pointer.TrimStart('/').Split('/');
        return parts.Length >= 3 && parts[0] == "spec" && parts[1] == "apps"
            ? $"app \"{parts[2]}\": {string.Join('.', parts.Skip(3).Select(p => int.TryParse(p, CultureInfo.InvariantCulture, out _) ? $"[{p}]" : p)).Replace(".[", "[", StringComparison.Ordinal)}"
            : string.Join('.', parts.Skip(1).Select(p => int.TryParse(p, CultureInfo.InvariantCulture, out _) ? $"[{p}]" : p)).Replace(".[", "[", StringComparison.Ordinal);
    }
}
