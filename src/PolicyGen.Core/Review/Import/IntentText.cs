using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using PolicyGen.Model;

namespace PolicyGen.Review.Import;

/// <summary>Writes the imported intent as YAML in the layout docs/intent.md uses; every value echoed from the policies is quoted as needed.</summary>
public static class IntentText
{
    private static string Q(string value) => YamlQuoting.Quote(value);

    public static string Map(IReadOnlyDictionary<string, string> labels)
        => "{" + string.Join(", ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{Q(l.Key)}: {Q(l.Value)}")) + "}";

    public static string AppPeer(ImportedApp app) => "app: " + Q(app.Name);

    /// <summary>The keys of a peer, without braces: <c>namespace: shop, podLabels: {app: web}</c>.</summary>
    public static string Peer(ImportedPeer peer)
    {
        if (peer.Anywhere)
        {
            return "anywhere: true";
        }

        if (peer.Network is { } network)
        {
            return "network: " + Q(network);
        }

        var scope = peer.Namespace is { } ns ? "namespace: " + Q(ns) : "namespaceLabels: " + Map(peer.NamespaceLabels!);
        return peer.PodLabels is { } pods ? $"{scope}, podLabels: {Map(pods)}" : scope;
    }

    public static string Rule(string peer, List<string> ports)
        => $"      - from: [{{{peer}}}]\n" + (ports.Count == 0 ? "" : $"        ports: [{string.Join(", ", ports.Select(Q))}]\n");

    public static string Call(string peer, List<string> ports)
        => $"      - {{{peer}{(ports.Count == 0 ? "" : $", ports: [{string.Join(", ", ports.Select(Q))}]")}}}\n";

    public static string Write(string name, Cluster cluster, int policies, (bool Ingress, bool Egress) deny, IReadOnlySet<string> managed,
        IEnumerable<string> namespaces, IReadOnlyDictionary<string, string> networks, IEnumerable<ImportedApp> apps,
        IReadOnlyDictionary<string, ImportedApp> namespaceWide)
    {
        var text = new StringBuilder();
        text.Append("# Imported by npgen import from ").Append(policies.ToString(CultureInfo.InvariantCulture))
            .Append(policies == 1 ? " NetworkPolicy" : " NetworkPolicies").Append(". Review it, then: npgen build intents.yaml\n");
        text.Append("apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nmetadata:\n  name: ").Append(Q(name)).Append('\n');
        text.Append("spec:\n  defaults:\n");
        text.Append($"    defaultDeny: {{ingress: {Bool(deny.Ingress)}, egress: {Bool(deny.Egress)}}}\n");
        text.Append("    dns: {enabled: false}             # the policies' own DNS rules are imported as calls\n");
        var declared = cluster.Namespaces.Where(n => n.Location is not null).ToDictionary(n => n.Name, StringComparer.Ordinal);
        var all = namespaces.Concat(declared.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        text.Append(all.Count == 0 ? "  namespaces: {}\n" : "  namespaces:\n");
        foreach (var ns in all)
        {
            var parts = new List<string>();
            if (managed.Contains(ns))
            {
                parts.Add("managed: true");
            }

            if (declared.TryGetValue(ns, out var real) && real.Labels.Where(l => l.Key != Namespace.NameLabel).ToImmutableSortedDictionary(StringComparer.Ordinal) is { Count: > 0 } labels)
            {
                parts.Add("labels: " + Map(labels));
            }

            if (!namespaceWide.TryGetValue(ns, out var wide))
            {
                text.Append("    ").Append(Q(ns)).Append(": {").AppendJoin(", ", parts).Append("}\n");
                continue;
            }

            // Namespace-wide rules: every pod of the namespace, as the podSelector {} policies said.
            text.Append("    # namespace-wide rules from ").AppendJoin(", ", wide.Sources.Select(s => "NetworkPolicy " + s)).Append('\n');
            text.Append("    ").Append(Q(ns)).Append(":\n");
            foreach (var part in parts)
            {
                text.Append("      ").Append(part).Append('\n');
            }

            if (wide.DeclaresIngress)
            {
                text.Append(wide.IngressRules.Count == 0 ? "      ingress: none\n" : "      ingress:\n").AppendJoin("", wide.IngressRules);
            }

            if (wide.DeclaresEgress)
            {
                text.Append(wide.Calls.Count == 0 ? "      egress: none\n" : "      calls:\n").AppendJoin("", wide.Calls);
            }
        }

        if (networks.Count > 0)
        {
            text.Append("  networks:\n");
            foreach (var (network, block) in networks)
            {
                text.Append("    ").Append(Q(network)).Append(": ").Append(block).Append('\n');
            }
        }

        var list = apps.ToList();
        text.Append(list.Count == 0 ? "  apps: {}\n" : "  apps:\n");
        foreach (var app in list)
        {
            text.Append("    # from ").AppendJoin(", ", app.Sources.Select(s => "NetworkPolicy " + s)).Append('\n');
            text.Append("    ").Append(Q(app.Name)).Append(":\n");
            text.Append("      namespace: ").Append(Q(app.Namespace)).Append('\n');
            text.Append("      selector: ").Append(Map(app.Selector)).Append('\n');
            if (app.Ports.Count > 0)
            {
                text.Append("      ports: ").Append(Map(app.Ports)).Append('\n');
            }

            if (app.DeclaresIngress)
            {
                text.Append(app.IngressRules.Count == 0 ? "      ingress: []\n" : "      ingress:\n").AppendJoin("", app.IngressRules);
            }

            if (app.DeclaresEgress)
            {
                text.Append(app.Calls.Count == 0 ? "      calls: []\n" : "      calls:\n").AppendJoin("", app.Calls);
            }
        }

        return text.ToString();
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
