using System.Text;

namespace PolicyGen.Core.Tests.IntentOracle;

/// <summary>Writes a generated intent as the YAML a user would write, in the short and long forms the doc allows.</summary>
internal static class IntentYamlWriter
{
    public static string Write(GenIntent intent)
    {
        var y = new StringBuilder();
        y.Append("apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\n");
        y.Append("metadata: {name: ").Append(intent.Name).Append("}\nspec:\n");
        if (intent.DenyIngress is not null || intent.DenyEgress is not null || intent.DnsEnabled is not null || intent.DnsPeers is not null || intent.EveryApp is not null)
        {
            y.Append("  defaults:\n");
            if (intent.DenyIngress is not null || intent.DenyEgress is not null)
            {
                var parts = new List<string>();
                if (intent.DenyIngress is { } i)
                {
                    parts.Add($"ingress: {Bool(i)}");
                }

                if (intent.DenyEgress is { } e)
                {
                    parts.Add($"egress: {Bool(e)}");
                }

                y.Append("    defaultDeny: {").Append(string.Join(", ", parts)).Append("}\n");
            }

            if (intent.DnsEnabled is not null || intent.DnsPeers is not null)
            {
                y.Append("    dns:\n");
                if (intent.DnsEnabled is { } enabled)
                {
                    y.Append("      enabled: ").Append(Bool(enabled)).Append('\n');
                }

                if (intent.DnsPeers is { } peers)
                {
                    y.Append("      peers: [").Append(string.Join(", ", peers.Select(Peer))).Append("]\n");
                }
            }

            EveryApp(y, intent.EveryApp, "    ");
        }

        if (intent.Namespaces.Count > 0)
        {
            y.Append("  namespaces:\n");
            foreach (var ns in intent.Namespaces)
            {
                if (ns.Rules is not null || ns.EveryApp is not null)
                {
                    Namespace(y, ns);
                    continue;
                }

                if (!ns.Managed && ns.Labels.Count == 0)
                {
                    y.Append("    ").Append(ns.Name).Append(":\n"); // an empty value: referred to, nothing else
                    continue;
                }

                var parts = new List<string>();
                if (ns.Managed)
                {
                    parts.Add("managed: true");
                }

                if (ns.Labels.Count > 0)
                {
                    parts.Add($"labels: {Labels(ns.Labels)}");
                }

                y.Append("    ").Append(ns.Name).Append(": {").Append(string.Join(", ", parts)).Append("}\n");
            }
        }

        if (intent.Networks.Count > 0)
        {
            y.Append("  networks:\n");
            foreach (var network in intent.Networks)
            {
                y.Append("    ").Append(network.Name).Append(": ").Append(network.Form switch
                {
                    NetworkForm.Scalar => Quote(network.Blocks[0].Cidr),
                    NetworkForm.List => $"[{string.Join(", ", network.Blocks.Select(b => Quote(b.Cidr)))}]",
                    NetworkForm.Block => Block(network.Blocks[0]),
                    _ => $"[{string.Join(", ", network.Blocks.Select(b => b.Except.Count == 0 ? Quote(b.Cidr) : Block(b)))}]",
                }).Append('\n');
            }
        }

        if (intent.Controller is not null || intent.ApiServer is not null)
        {
            y.Append("  presets:\n");
            if (intent.Controller is { } c)
            {
                y.Append("    ingressController: {namespace: ").Append(c.Namespace).Append(", podLabels: ").Append(Labels(c.PodLabels)).Append("}\n");
            }

            if (intent.ApiServer is { } api)
            {
                y.Append("    apiServer: {networks: [").Append(string.Join(", ", api.Blocks.Select(b => Quote(b.Cidr)))).Append(']');
                if (api.Ports is { } ports)
                {
                    y.Append(", ports: [").Append(string.Join(", ", ports.Select(p => p.Text))).Append(']');
                }

                y.Append("}\n");
            }
        }

        y.Append("  apps:\n");
        foreach (var app in intent.Apps)
        {
            y.Append("    ").Append(app.Name).Append(":\n");
            y.Append("      namespace: ").Append(app.Namespace).Append('\n');
            y.Append("      selector: ").Append(Labels(app.Selector)).Append('\n');
            if (app.Ports.Count > 0)
            {
                y.Append("      ports: {").Append(string.Join(", ", app.Ports.Select(p => $"{p.Name}: {p.Range.Text}"))).Append("}\n");
            }

            y.Append(Ingress(app.IngressForm, app.Ingress, "      "));
            y.Append(Calls(app.CallsForm, app.Calls, "      "));
            if (app.EgressNone)
            {
                y.Append("      egress: none\n");
            }

            if (app.Dns is { } dns)
            {
                y.Append("      dns: ").Append(Bool(dns)).Append('\n');
            }
        }

        return y.ToString();
    }

    private static string Ingress(ListForm form, IReadOnlyList<GenRule> rules, string indent) => form switch
    {
        ListForm.None => indent + "ingress: none\n",
        ListForm.Empty => indent + "ingress: []\n",
        ListForm.NullValue => indent + "ingress:\n",
        ListForm.Items => string.Concat(rules.Select((r, i) => (i == 0 ? indent + "ingress:\n" : "") + indent + "- from: [" + string.Join(", ", r.From.Select(Peer)) + "]"
            + (r.Ports is null ? "" : $"\n{indent}  ports: [{string.Join(", ", r.Ports.Select(p => p.Written))}]") + "\n")),
        _ => "",
    };

    private static string Calls(ListForm form, IReadOnlyList<GenCall> calls, string indent) => form switch
    {
        ListForm.Empty => indent + "calls: []\n",
        ListForm.NullValue => indent + "calls:\n",
        ListForm.Items when calls.Count == 0 => indent + "calls: []\n",
        ListForm.Items => indent + "calls:\n" + string.Concat(calls.Select(c => indent + "- " + Call(c) + "\n")),
        _ => "",
    };

    /// <summary>A namespace with namespace-wide rules or everyApp, in block form.</summary>
    private static void Namespace(StringBuilder y, GenNamespace ns)
    {
        y.Append("    ").Append(ns.Name).Append(":\n");
        if (ns.Managed)
        {
            y.Append("      managed: true\n");
        }

        if (ns.Labels.Count > 0)
        {
            y.Append("      labels: ").Append(Labels(ns.Labels)).Append('\n');
        }

        if (ns.Rules is { } rules)
        {
            y.Append(Ingress(rules.IngressForm, rules.Ingress, "      "));
            y.Append(Calls(rules.CallsForm, rules.Calls, "      "));
            if (rules.EgressNone)
            {
                y.Append("      egress: none\n");
            }

            if (rules.Dns is { } dns)
            {
                y.Append("      dns: ").Append(Bool(dns)).Append('\n');
            }
        }

        EveryApp(y, ns.EveryApp, "      ");
    }

    private static void EveryApp(StringBuilder y, GenEveryApp? everyApp, string indent)
    {
        if (everyApp is null)
        {
            return;
        }

        y.Append(indent).Append("everyApp:\n");
        y.Append(Ingress(everyApp.Ingress.Count == 0 ? ListForm.Absent : ListForm.Items, everyApp.Ingress, indent + "  "));
        y.Append(Calls(everyApp.Calls.Count == 0 ? ListForm.Absent : ListForm.Items, everyApp.Calls, indent + "  "));
    }

    private static string Call(GenCall call)
    {
        var peer = Peer(call.To);
        if (call.Ports is null)
        {
            return peer;
        }

        var ports = $"ports: [{string.Join(", ", call.Ports.Select(p => p.Written))}]";
        return call.To is GenAppPeer a ? $"{{app: {a.App}, {ports}}}" : $"{peer[..^1]}, {ports}}}";
    }

    private static string Peer(GenPeer peer) => peer switch
    {
        GenAppPeer { Bare: true } a => a.App,
        GenAppPeer a => $"{{app: {a.App}}}",
        GenNamespacePeer { PodLabels: null } n => $"{{namespace: {n.Namespace}}}",
        GenNamespacePeer n => $"{{namespace: {n.Namespace}, podLabels: {Labels(n.PodLabels!)}}}",
        GenNamespaceLabelsPeer { PodLabels: null } l => $"{{namespaceLabels: {Labels(l.Labels)}}}",
        GenNamespaceLabelsPeer l => $"{{namespaceLabels: {Labels(l.Labels)}, podLabels: {Labels(l.PodLabels!)}}}",
        GenPodLabelsPeer p => $"{{podLabels: {Labels(p.PodLabels)}}}",
        GenNetworkPeer n => $"{{network: {n.Network}}}",
        GenControllerPeer => "{preset: ingressController}",
        GenApiServerPeer => "{preset: apiServer}",
        GenAnywherePeer => "{anywhere: true}",
        _ => throw new InvalidOperationException(peer.ToString()),
    };

    private static string Block(GenBlock block)
        => block.Except.Count == 0 ? $"{{cidr: {Quote(block.Cidr)}}}" : $"{{cidr: {Quote(block.Cidr)}, except: [{string.Join(", ", block.Except.Select(Quote))}]}}";

    private static string Labels(IReadOnlyDictionary<string, string> labels)
        => "{" + string.Join(", ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}: {l.Value}")) + "}";

    private static string Quote(string text) => $"\"{text}\"";

    private static string Bool(bool value) => value ? "true" : "false";
}
