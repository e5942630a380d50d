using System.Collections.Immutable;
using System.Globalization;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using PolicyGen.Validation;
using PolicyGen.Yaml;
using static PolicyGen.Intent.ClusterKeys;

namespace PolicyGen.Intent;

/// <summary>
/// Binds <c>spec.cluster</c> (docs/intent.md, "Cluster-wide policy") once the apps, namespaces and
/// DNS peers are bound, and reports where the section contradicts the rest of the intent: a
/// cluster-wide Deny or Allow overrides NetworkPolicy, so an app rule it would silently undo is an
/// error at that rule, never a surprise at run time.
/// </summary>
internal sealed class ClusterSectionBinder
{
    /// <summary>The intent reader's typed accessors and messages; its diagnostics are handed on after binding.</summary>
    private readonly IntentNodeReader nodes = new();

    /// <summary>Null when the intent has no <c>spec.cluster</c> (or it is unusable; the errors are added).</summary>
    public static ClusterIntent? Bind(SourceNode? node, NetworkIntent intent, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        if (node is null or ScalarNode { IsNull: true })
        {
            return null;
        }

        var binder = new ClusterSectionBinder();
        var bound = binder.BindSection(node, intent);
        diagnostics.AddRange(binder.nodes.Diagnostics);
        if (bound is not { } cluster)
        {
            return null;
        }

        new ClusterConflicts(intent, cluster, diagnostics).Check();
        return cluster;
    }

    private void Error(string code, string message, SourceNode node, string hint) => nodes.Error(code, message, node, hint);

    private string? Text(SourceNode? node, string what) => nodes.Text(node, what);

    private bool? Bool(SourceNode? node, string what) => nodes.Bool(node, what);

    private ImmutableArray<SourceNode> Seq(SourceNode node, string what) => nodes.Seq(node, what);

    private ClusterIntent? BindSection(SourceNode node, NetworkIntent intent)
    {
        if (Map(node, "spec.cluster", SectionKeys) is not { } map)
        {
            return null;
        }

        var cluster = new ClusterIntent { Source = IntentNodeReader.Source("/spec/cluster", node) };
        if (map["output"] is { } output && Text(output, "spec.cluster.output") is { } kind)
        {
            if (ParseOutput(kind) is { } parsed)
            {
                cluster = cluster with { Output = parsed };
            }
            else
            {
                Error(DiagnosticCodes.ClusterSectionInvalid, $"spec.cluster.output: \"{kind}\" is not an output kind", output,
                    NameSuggestions.Suggest(kind, OutputNames) ?? "write AdminNetworkPolicy (AdminNetworkPolicy and BaselineAdminNetworkPolicy, v1alpha1) or ClusterNetworkPolicy (v1alpha2)");
            }
        }

        if (map["priority"] is { } priorityNode && Text(priorityNode, "spec.cluster.priority") is { } priorityText)
        {
            if (int.TryParse(priorityText, NumberStyles.None, CultureInfo.InvariantCulture, out var priority) && priority <= 1000)
            {
                cluster = cluster with { Priority = priority, PrioritySource = IntentNodeReader.Source("/spec/cluster/priority", priorityNode) };
            }
            else
            {
                Error(DiagnosticCodes.ClusterPriority, $"spec.cluster.priority: \"{priorityText}\" is not a priority", priorityNode,
                    "write a whole number from 0 to 1000 (lower numbers are evaluated first), e.g. priority: 20");
            }
        }

        cluster = BindExempt(map["exempt"], cluster);
        if (map["baselineDeny"] is { } deny && Map(deny, "spec.cluster.baselineDeny", DenyKeys) is { } denyMap)
        {
            cluster = cluster with
            {
                BaselineDenyIngress = Bool(denyMap["ingress"], "spec.cluster.baselineDeny.ingress") ?? true,
                BaselineDenyEgress = Bool(denyMap["egress"], "spec.cluster.baselineDeny.egress") ?? true,
            };
        }

        if (map["dns"] is { } dns)
        {
            cluster = cluster with { Dns = Bool(dns, "spec.cluster.dns") ?? true, DnsSource = IntentNodeReader.Source("/spec/cluster/dns", dns) };
        }

        cluster = cluster with { Monitoring = BindMonitoring(map["monitoring"], intent) };
        return cluster with { Protected = BindProtected(map["protectedNamespaces"], cluster) };
    }

    private static readonly string[] PeerKinds = ["app", "namespace", "namespaceLabels"];

    private static readonly string[] OutputNames = [nameof(ClusterOutputKind.AdminNetworkPolicy), nameof(ClusterOutputKind.ClusterNetworkPolicy)];

    /// <summary>The output kind a user writes (also <c>npgen build --cluster-output</c>); null if it is none of them.</summary>
    public static ClusterOutputKind? ParseOutput(string text) => text switch
    {
        nameof(ClusterOutputKind.AdminNetworkPolicy) => ClusterOutputKind.AdminNetworkPolicy,
        nameof(ClusterOutputKind.ClusterNetworkPolicy) => ClusterOutputKind.ClusterNetworkPolicy,
        _ => null,
    };

    private ClusterIntent BindExempt(SourceNode? node, ClusterIntent cluster)
    {
        if (Map(node, "spec.cluster.exempt", ExemptKeys) is not { } map)
        {
            return cluster;
        }

        if (map["namespaces"] is { } names)
        {
            var list = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var item in Seq(names, "spec.cluster.exempt.namespaces"))
            {
                if (Text(item, "spec.cluster.exempt.namespaces") is { } name && CheckNamespaceName(name, item, "spec.cluster.exempt.namespaces"))
                {
                    list.Add(name);
                }
            }

            cluster = cluster with { ExemptNamespaces = [.. list] };
        }

        if (map["namespaceLabels"] is { } labels)
        {
            cluster = cluster with { ExemptLabels = LabelMap(labels, "spec.cluster.exempt.namespaceLabels") };
        }

        return cluster;
    }

    private ClusterMonitoring? BindMonitoring(SourceNode? node, NetworkIntent intent)
    {
        if (Map(node, "spec.cluster.monitoring", MonitoringKeys) is not { } map)
        {
            return null;
        }

        var source = IntentNodeReader.Source("/spec/cluster/monitoring", node!);
        var from = map["from"] is { } fromNode ? BindMonitoringPeer(fromNode, intent) : null;
        if (map["from"] is null)
        {
            Error(DiagnosticCodes.IntentMissingField, "spec.cluster.monitoring: from is missing", map,
                "say which pods scrape the others, e.g. from: {namespace: monitoring, podLabels: {app.kubernetes.io/name: prometheus}}");
        }

        var ports = ImmutableArray.CreateBuilder<PortRange>();
        foreach (var item in map["ports"] is { } portsNode ? Seq(portsNode, "spec.cluster.monitoring.ports") : [])
        {
            if (ParsePort(item, "spec.cluster.monitoring.ports") is { } port)
            {
                ports.Add(port);
            }
        }

        if (map["ports"] is null || (ports.Count == 0 && map["ports"] is SequenceNode { Items.IsEmpty: true } or ScalarNode { IsNull: true }))
        {
            Error(DiagnosticCodes.IntentMissingField, "spec.cluster.monitoring: ports is missing", map["ports"] ?? map,
                "list the ports monitoring scrapes on every pod, as numbers: ports: [9090/TCP, 8080/TCP] (every pod of the cluster gets this rule, so there is no app to resolve a port name on)");
        }

        return from is null ? null : new ClusterMonitoring(from, ports.ToImmutable(), source);
    }

    private Peer? BindMonitoringPeer(SourceNode node, NetworkIntent intent)
    {
        if (node is ScalarNode { IsNull: false } scalar)
        {
            return AppReference(scalar, intent);
        }

        if (Map(node, "spec.cluster.monitoring.from", MonitoringPeerKeys) is not { } map)
        {
            return null;
        }

        var podLabels = map["podLabels"] is { } pods ? LabelMap(pods, "spec.cluster.monitoring.from.podLabels") : null;
        var kinds = PeerKinds.Where(k => map[k] is not null).ToList();
        if (kinds.Count != 1 || (kinds[0] == "app" && podLabels is not null))
        {
            Error(DiagnosticCodes.IntentWrongType, $"spec.cluster.monitoring.from: write exactly one of app, namespace or namespaceLabels{(kinds.Count > 1 ? $", not {string.Join(" and ", kinds)}" : "")}", node,
                "e.g. from: {namespace: monitoring, podLabels: {app.kubernetes.io/name: prometheus}}, or from: prometheus (an app of the intent)");
            return null;
        }

        switch (kinds[0])
        {
            case "app":
                return map["app"] is ScalarNode app ? AppReference(app, intent) : null;
            case "namespace":
                var ns = Text(map["namespace"], "spec.cluster.monitoring.from.namespace");
                return ns is not null && CheckNamespaceName(ns, map["namespace"]!, "spec.cluster.monitoring.from.namespace") ? new NamespacePeer(ns, podLabels) : null;
            default:
                return new NamespaceLabelsPeer(LabelMap(map["namespaceLabels"]!, "spec.cluster.monitoring.from.namespaceLabels"), podLabels);
        }
    }

    private AppPeer? AppReference(ScalarNode node, NetworkIntent intent)
    {
        if (intent.FindApp(node.Value) is not null)
        {
            return new AppPeer(node.Value);
        }

        Error(DiagnosticCodes.IntentUnknownReference, $"spec.cluster.monitoring.from: there is no app \"{node.Value}\"", node,
            NameSuggestions.Suggest(node.Value, intent.Apps.Select(a => a.Name)) ?? "name an app of spec.apps, or write {namespace: NS, podLabels: {...}}");
        return null;
    }

    private ImmutableArray<ProtectedNamespace> BindProtected(SourceNode? node, ClusterIntent cluster)
    {
        if (node is null)
        {
            return [];
        }

        var result = new SortedDictionary<string, ProtectedNamespace>(StringComparer.Ordinal);
        var items = Seq(node, "spec.cluster.protectedNamespaces");
        for (var i = 0; i < items.Length; i++)
        {
            if (Text(items[i], "spec.cluster.protectedNamespaces") is not { } name || !CheckNamespaceName(name, items[i], "spec.cluster.protectedNamespaces"))
            {
                continue;
            }

            if (cluster.ExemptNamespaces.Contains(name, StringComparer.Ordinal))
            {
                // Exempt means "no cluster-wide policy selects it"; protecting it needs one: the two cannot both hold.
                Error(DiagnosticCodes.ClusterSectionInvalid, $"spec.cluster.protectedNamespaces: \"{name}\" is also exempt (spec.cluster.exempt.namespaces)", items[i],
                    $"an exempt namespace gets no cluster-wide policy at all; remove \"{name}\" from one of the two lists");
                continue;
            }

            result.TryAdd(name, new ProtectedNamespace(name, IntentNodeReader.Source($"/spec/cluster/protectedNamespaces/{i.ToString(CultureInfo.InvariantCulture)}", items[i])));
        }

        return [.. result.Values];
    }

    private bool CheckNamespaceName(string name, SourceNode node, string what)
    {
        var problems = KubernetesNames.Dns1123LabelErrors(name).ToList();
        foreach (var problem in problems)
        {
            Error(DiagnosticCodes.IntentBadName, $"{what}: \"{name}\" is not a valid namespace name: {problem}", node,
                "use lower-case letters, digits and '-', starting and ending with a letter or digit");
        }

        return problems.Count == 0;
    }

    private PortRange? ParsePort(SourceNode node, string what)
    {
        var text = Text(node, what);
        if (text is null)
        {
            return null;
        }

        if (!PortRangeText.TryParse(text, out var range))
        {
            Error(DiagnosticCodes.IntentBadPort, $"{what}: \"{text}\" is not a port", node,
                "write N/PROTO or A-B/PROTO with ports 1-65535 and PROTO TCP, UDP or SCTP, e.g. 9090/TCP; a port name cannot be resolved for every pod of the cluster");
            return null;
        }

        return range;
    }

    private MappingNode? Map(SourceNode? node, string what, string[] allowed)
    {
        switch (node)
        {
            case null:
            case ScalarNode { IsNull: true }:
                return null;
            case MappingNode map:
                foreach (var (key, _) in map.Entries.Where(e => !allowed.Contains(e.Key.Value)))
                {
                    Error(DiagnosticCodes.IntentUnknownKey, $"{what}: unknown key \"{key.Value}\"", key,
                        NameSuggestions.Suggest(key.Value, allowed) ?? $"the keys here are: {string.Join(", ", allowed)}");
                }

                return map;
            default:
                Error(DiagnosticCodes.IntentWrongType, $"{what}: expected a mapping (key: value), found {IntentNodeReader.Describe(node)}", node,
                    "write key: value pairs here, one per line indented below, or as {key: value}");
                return null;
        }
    }

    /// <summary>Labels as everywhere in the intent: the intent reader's checks and messages.</summary>
    private ImmutableSortedDictionary<string, string> LabelMap(SourceNode node, string what) => nodes.LabelMap(node, what);
}
