using System.Collections.Immutable;
using System.Globalization;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Compile;

/// <summary>
/// Lowers <c>spec.cluster</c> to cluster-scoped policy plans. Admin tier, in this order, each
/// object with its own priority counting up from <c>priority</c> (so no two objects of the intent
/// share one, and the API's undefined equal-priority case cannot arise among them): one
/// <c>&lt;intent&gt;-protect-&lt;ns&gt;</c> per protected namespace (Deny from every other
/// namespace), <c>&lt;intent&gt;-dns</c> and <c>&lt;intent&gt;-dns-servers</c> (DNS out of every
/// covered pod and into the DNS pods), <c>&lt;intent&gt;-monitoring</c> and
/// <c>&lt;intent&gt;-monitoring-scrapers</c>. Baseline tier: the default deny of every covered
/// namespace (BaselineAdminNetworkPolicy <c>default</c>, or ClusterNetworkPolicy
/// <c>&lt;intent&gt;-baseline</c> at <c>priority</c>).
/// </summary>
public static class ClusterPolicyCompiler
{
    public const string AdminTemplate = "admin-network-policy";
    public const string BaselineTemplate = "baseline-admin-network-policy";
    public const string ClusterTemplate = "cluster-network-policy";
    public const string GroupVersionV1Alpha1 = "policy.networking.k8s.io/v1alpha1";
    public const string GroupVersionV1Alpha2 = "policy.networking.k8s.io/v1alpha2";

    /// <summary>The API allows one BaselineAdminNetworkPolicy per cluster, and only under this name.</summary>
    public const string BaselineAdminName = "default";

    public const int MaxPriority = 1000;

    private static readonly ImmutableArray<PortPlan> DnsPorts = [new("UDP", 53, null), new("TCP", 53, null)];

    /// <param name="output">The output kind (the <c>--cluster-output</c> flag's, or the intent's <c>output</c>).</param>
    public static (ImmutableArray<ClusterPolicyPlan> Plans, ImmutableArray<Diagnostic> Diagnostics) Compile(
        NetworkIntent intent, ClusterOutputKind output, string? syncWave = IntentCompiler.DefaultSyncWave)
    {
        if (intent.Cluster is not { } cluster)
        {
            return ([], []);
        }

        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var covered = Covered(cluster);
        var admin = new List<ClusterPolicyPlan>();
        var v2 = output == ClusterOutputKind.ClusterNetworkPolicy;
        var allow = v2 ? "Accept" : "Allow";
        ClusterPolicyPlan Admin(string name, string source, ClusterPeerPlan subject) => new()
        {
            Template = v2 ? ClusterTemplate : AdminTemplate,
            ApiVersion = v2 ? GroupVersionV1Alpha2 : GroupVersionV1Alpha1,
            Kind = v2 ? "ClusterNetworkPolicy" : "AdminNetworkPolicy",
            Name = $"{intent.Name}-{name}",
            Tier = "Admin",
            Intent = intent.Name,
            Source = source,
            SyncWave = syncWave,
            Subject = subject,
        };

        foreach (var isolated in cluster.Protected)
        {
            admin.Add(Admin($"protect-{isolated.Namespace}", isolated.Source.Reference, ClusterPeerPlan.OfNamespaces(NameSelector(isolated.Namespace))) with
            {
                Ingress = [new ClusterRulePlan("deny-from-other-namespaces", "Deny",
                    [ClusterPeerPlan.OfNamespaces(new SelectorPlan(Labels.Empty, [new ExpressionPlan(Namespace.NameLabel, "NotIn", [isolated.Namespace])]))], [], isolated.Source.Reference)],
            });
        }

        if (cluster.Dns && !intent.Dns.Peers.IsEmpty)
        {
            var source = (cluster.DnsSource ?? intent.Dns.Source ?? cluster.Source).Reference;
            var peers = intent.Dns.Peers.Select(p => Peer(p, intent, egress: true, "defaults.dns.peers", intent.Dns.Source ?? cluster.Source, diagnostics)).OfType<ClusterPeerPlan>().ToImmutableArray();
            admin.Add(Admin("dns", source, covered) with { Egress = [new ClusterRulePlan("allow-dns", allow, peers, DnsPorts, source)] });
            var servers = peers.Where(p => p.Networks.IsEmpty).ToList();
            for (var i = 0; i < servers.Count; i++)
            {
                admin.Add(Admin(servers.Count == 1 ? "dns-servers" : $"dns-servers-{(i + 1).ToString(CultureInfo.InvariantCulture)}", source, servers[i]) with
                {
                    Ingress = [new ClusterRulePlan("allow-dns-queries", allow, [covered], DnsPorts, source)],
                });
            }
        }

        if (cluster.Monitoring is { } monitoring && Peer(monitoring.From, intent, egress: false, "spec.cluster.monitoring.from", monitoring.Source, diagnostics) is { } scrapers)
        {
            var ports = monitoring.Ports.Select(p => new PortPlan(p.Protocol.Name(), p.Low, p.High == p.Low ? null : p.High)).ToImmutableArray();
            var source = monitoring.Source.Reference;
            admin.Add(Admin("monitoring", source, covered) with { Ingress = [new ClusterRulePlan("allow-monitoring", allow, [scrapers], ports, source)] });
            admin.Add(Admin("monitoring-scrapers", source, scrapers) with { Egress = [new ClusterRulePlan("allow-scraping", allow, [covered], ports, source)] });
        }

        var plans = admin.Select((p, i) => p with { Priority = cluster.Priority + i }).ToList();
        if (plans.Count > 0 && cluster.Priority + plans.Count - 1 > MaxPriority)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ClusterPriority,
                $"spec.cluster.priority: {cluster.Priority.ToString(CultureInfo.InvariantCulture)} leaves no room for the {plans.Count.ToString(CultureInfo.InvariantCulture)} admin-tier policies, which take one priority each up to {(cluster.Priority + plans.Count - 1).ToString(CultureInfo.InvariantCulture)} (at most {MaxPriority.ToString(CultureInfo.InvariantCulture)})",
                (cluster.PrioritySource ?? cluster.Source).Location, $"lower spec.cluster.priority to {(MaxPriority - plans.Count + 1).ToString(CultureInfo.InvariantCulture)} or less"));
        }

        if (Baseline(intent, cluster, covered, v2, syncWave) is { } baseline)
        {
            plans.Add(baseline);
        }

        return ([.. plans], diagnostics.ToImmutable());
    }

    private static ClusterPolicyPlan? Baseline(NetworkIntent intent, ClusterIntent cluster, ClusterPeerPlan covered, bool v2, string? syncWave)
    {
        if (!cluster.BaselineDenyIngress && !cluster.BaselineDenyEgress)
        {
            return null;
        }

        var source = cluster.Source.Reference;
        return new ClusterPolicyPlan
        {
            Template = v2 ? ClusterTemplate : BaselineTemplate,
            ApiVersion = v2 ? GroupVersionV1Alpha2 : GroupVersionV1Alpha1,
            Kind = v2 ? "ClusterNetworkPolicy" : "BaselineAdminNetworkPolicy",
            Name = v2 ? $"{intent.Name}-baseline" : BaselineAdminName,
            Tier = "Baseline",
            Priority = v2 ? cluster.Priority : null,
            Intent = intent.Name,
            Source = source,
            SyncWave = syncWave,
            Subject = covered,
            // Ingress peers can only be pods (the API has no networks for ingress), so outside addresses are left to NetworkPolicy.
            Ingress = cluster.BaselineDenyIngress ? [new ClusterRulePlan("deny-from-pods", "Deny", [ClusterPeerPlan.OfNamespaces(SelectorPlan.Everything)], [], source)] : [],
            Egress = cluster.BaselineDenyEgress
                ? [new ClusterRulePlan("deny-all", "Deny", [ClusterPeerPlan.OfNamespaces(SelectorPlan.Everything), ClusterPeerPlan.OfNetworks(["0.0.0.0/0", "::/0"])], [], source)]
                : [],
        };
    }

    /// <summary>Every namespace but the exempt ones: by name, and by any one of the exempting labels.</summary>
    public static ClusterPeerPlan Covered(ClusterIntent cluster)
    {
        var expressions = new List<ExpressionPlan>();
        if (!cluster.ExemptNamespaces.IsEmpty)
        {
            expressions.Add(new ExpressionPlan(Namespace.NameLabel, "NotIn", [.. cluster.ExemptNamespaces.Order(StringComparer.Ordinal)]));
        }

        expressions.AddRange(cluster.ExemptLabels.Select(l => new ExpressionPlan(l.Key, "NotIn", [l.Value])));
        return ClusterPeerPlan.OfNamespaces(new SelectorPlan(Labels.Empty, [.. expressions]));
    }

    private static ClusterPeerPlan? Peer(Peer peer, NetworkIntent intent, bool egress, string what, IntentSource source, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        switch (peer)
        {
            case AppPeer a when intent.FindApp(a.App) is { } app:
                return ClusterPeerPlan.OfPods(NameSelector(app.Namespace), SelectorPlan.Of(app.Selector));
            case NamespacePeer { PodLabels: null } n:
                return ClusterPeerPlan.OfNamespaces(NameSelector(n.Namespace));
            case NamespacePeer n:
                return ClusterPeerPlan.OfPods(NameSelector(n.Namespace), SelectorPlan.Of(n.PodLabels));
            case NamespaceLabelsPeer { PodLabels: null } l:
                return ClusterPeerPlan.OfNamespaces(SelectorPlan.Of(l.Labels));
            case NamespaceLabelsPeer l:
                return ClusterPeerPlan.OfPods(SelectorPlan.Of(l.Labels), SelectorPlan.Of(l.PodLabels));
            case NetworkPeer net when egress && intent.FindNetwork(net.Network) is { } network && network.Blocks.All(b => b.Except.IsEmpty):
                return ClusterPeerPlan.OfNetworks([.. network.Blocks.Select(b => b.Cidr.ToString())]);
            default:
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ClusterSectionInvalid,
                    $"{what}: {peer.Display()} cannot be written as a cluster-wide peer", source.Location,
                    "cluster-wide policies name pods by namespace and labels ({namespace: NS, podLabels: {...}}, an app), or networks without except (egress only); write the peer that way, or set spec.cluster.dns: false"));
                return null;
        }
    }

    private static SelectorPlan NameSelector(string ns) => SelectorPlan.Of(Labels.Of((Namespace.NameLabel, ns)));
}
