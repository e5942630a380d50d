using System.Collections.Immutable;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Compile;

/// <summary>
/// Lowers an intent to policy plans: a default deny per managed namespace, a <c>namespace-ingress</c>
/// and <c>namespace-egress</c> policy (<c>podSelector: {}</c>) per namespace with namespace-wide
/// rules, and per app an <c>&lt;app&gt;-ingress</c> and <c>&lt;app&gt;-egress</c> policy on each
/// isolated side that needs rules.
/// Peers always take the safe form: another namespace's pods are one peer holding both the
/// namespace and the pod selector (AND), never two entries (OR).
/// </summary>
public static class IntentCompiler
{
    public const string DefaultDenyTemplate = "namespace-default-deny";
    public const string AppIngressTemplate = "app-ingress";
    public const string AppEgressTemplate = "app-egress";
    public const string NamespaceIngressTemplate = "namespace-ingress";
    public const string NamespaceEgressTemplate = "namespace-egress";

    /// <summary>The namespace-wide policies' names; an app named <c>namespace</c> there is refused (NPG319), so no app policy has them.</summary>
    public const string NamespaceIngressName = "namespace-ingress";
    public const string NamespaceEgressName = "namespace-egress";

    /// <summary>Policies land one wave before the workloads (wave 0), so pods never start without them.</summary>
    public const string DefaultSyncWave = "-1";

    public static ImmutableArray<PolicyPlan> Compile(NetworkIntent intent, ImmutableArray<AppConnectivity> apps, string? syncWave = DefaultSyncWave)
        => [.. Plans(intent, apps).Select(p => p with { SyncWave = syncWave })];

    private static IEnumerable<PolicyPlan> Plans(NetworkIntent intent, IEnumerable<AppConnectivity> apps)
    {
        var plans = new List<PolicyPlan>();
        AddDefaultDenies(intent, plans);
        AddNamespaceWide(intent, plans);
        AddApps(intent, apps, plans);
        return plans.OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal);
    }

    private static void AddDefaultDenies(NetworkIntent intent, List<PolicyPlan> plans)
    {
        if (!intent.DenyIngress && !intent.DenyEgress)
        {
            return;
        }

        foreach (var ns in intent.Namespaces.Where(n => n.Managed))
        {
            plans.Add(new PolicyPlan
            {
                Template = DefaultDenyTemplate,
                Namespace = ns.Name,
                Name = "default-deny",
                Intent = intent.Name,
                Source = ns.Source.Reference,
                PolicyTypes = [.. (intent.DenyIngress ? ["Ingress"] : Array.Empty<string>()).Concat(intent.DenyEgress ? ["Egress"] : [])],
            });
        }
    }

    private static void AddNamespaceWide(NetworkIntent intent, List<PolicyPlan> plans)
    {
        foreach (var wide in NamespaceConnectivity.Of(intent))
        {
            var ns = wide.Namespace;
            // As for an app: written when it has rules, is closed on purpose (none), or no default deny closes the namespace already.
            if (wide.IngressIsolated && (!wide.Inbound.IsEmpty || ns.IngressNone || !(ns.Managed && intent.DenyIngress)))
            {
                plans.Add(NamespacePlan(intent, ns, PolicyDirection.Ingress, wide.Inbound));
            }

            if (wide.EgressIsolated && (!wide.Outbound.IsEmpty || ns.EgressNone || !(ns.Managed && intent.DenyEgress)))
            {
                plans.Add(NamespacePlan(intent, ns, PolicyDirection.Egress, wide.Outbound));
            }
        }
    }

    private static void AddApps(NetworkIntent intent, IEnumerable<AppConnectivity> apps, List<PolicyPlan> plans)
    {
        foreach (var connectivity in apps)
        {
            var app = connectivity.App;
            // Closed already, without rules of the app's own: by the default deny or by the namespace-wide rules.
            var coveredIngress = (intent.IsManaged(app.Namespace) && intent.DenyIngress) || intent.IsNamespaceIngressIsolated(app.Namespace);
            var coveredEgress = (intent.IsManaged(app.Namespace) && intent.DenyEgress) || intent.IsNamespaceEgressIsolated(app.Namespace);
            // A side needs its own policy when it is isolated and has rules, is closed on purpose (none),
            // or is not already closed by the namespace's default deny.
            if (connectivity.IngressIsolated && (!connectivity.Inbound.IsEmpty || app.IngressNone || !coveredIngress))
            {
                plans.Add(AppPlan(intent, app, PolicyDirection.Ingress, connectivity.Inbound));
            }

            if (connectivity.EgressIsolated && (!connectivity.Outbound.IsEmpty || app.EgressNone || !coveredEgress))
            {
                plans.Add(AppPlan(intent, app, PolicyDirection.Egress, connectivity.Outbound));
            }
        }
    }

    /// <summary><c>&lt;app&gt;-ingress</c> or <c>&lt;app&gt;-egress</c>: the app's pods, one direction, one rule per edge.</summary>
    private static PolicyPlan AppPlan(NetworkIntent intent, App app, PolicyDirection direction, ImmutableArray<Edge> edges)
    {
        var rules = edges.Select(e => Rule(e, app.Namespace, intent)).ToImmutableArray();
        var ingress = direction == PolicyDirection.Ingress;
        return new PolicyPlan
        {
            Template = ingress ? AppIngressTemplate : AppEgressTemplate,
            Namespace = app.Namespace,
            Name = $"{app.Name}-{(ingress ? "ingress" : "egress")}",
            Intent = intent.Name,
            Source = app.Source.Reference,
            PodSelector = app.Selector,
            PolicyTypes = [direction.ToString()],
            Ingress = ingress ? rules : [],
            Egress = ingress ? [] : rules,
        };
    }

    /// <summary><c>namespace-ingress</c> or <c>namespace-egress</c>: every pod of the namespace (<c>podSelector: {}</c>), one direction.</summary>
    private static PolicyPlan NamespacePlan(NetworkIntent intent, IntentNamespace ns, PolicyDirection direction, ImmutableArray<Edge> edges)
    {
        var rules = edges.Select(e => Rule(e, ns.Name, intent)).ToImmutableArray();
        var ingress = direction == PolicyDirection.Ingress;
        return new PolicyPlan
        {
            Template = ingress ? NamespaceIngressTemplate : NamespaceEgressTemplate,
            Namespace = ns.Name,
            Name = ingress ? NamespaceIngressName : NamespaceEgressName,
            Intent = intent.Name,
            Source = ns.Source.Reference,
            PodSelector = Labels.Empty,
            PolicyTypes = [direction.ToString()],
            Ingress = ingress ? rules : [],
            Egress = ingress ? [] : rules,
        };
    }

    private static RulePlan Rule(Edge edge, string owner, NetworkIntent intent)
    {
        var peers = Peers(edge.Peer, owner, intent);
        var ports = edge.Ports.Select(p => new PortPlan(p.Protocol.Name(), p.Low, p.High == p.Low ? null : p.High)).ToImmutableArray();
        var description = edge.IsDns ? "DNS" : edge.Peer.Display();
        return new RulePlan(peers, ports, edge.Source.Reference, description);
    }

    /// <summary>The peers for one intent peer, seen from a policy in namespace <paramref name="owner"/>. Empty = every peer.</summary>
    private static ImmutableArray<PeerPlan> Peers(Peer peer, string owner, NetworkIntent intent)
    {
        switch (peer)
        {
            case AppPeer a:
                var other = intent.FindApp(a.App)!;
                return other.Namespace == owner
                    ? [new PeerPlan(other.Selector, null, null, [])]
                    : [new PeerPlan(other.Selector, NameSelector(other.Namespace), null, [])];
            case NamespacePeer { PodLabels: { } podLabels } n when n.Namespace == owner:
                return [new PeerPlan(podLabels, null, null, [])]; // pods of the policy's own namespace
            case NamespacePeer n:
                return [new PeerPlan(n.PodLabels, NameSelector(n.Namespace), null, [])];
            case NamespaceLabelsPeer l:
                return [new PeerPlan(l.PodLabels, l.Labels, null, [])];
            case IngressControllerPeer:
                return [new PeerPlan(intent.IngressController.PodLabels, NameSelector(intent.IngressController.Namespace), null, [])];
            case NetworkPeer net:
                return Blocks(intent.FindNetwork(net.Network)!.Blocks);
            case ApiServerPeer:
                return Blocks(intent.ApiServer!.Blocks);
            default:
                return [];
        }
    }

    private static ImmutableArray<PeerPlan> Blocks(ImmutableArray<CidrBlock> blocks)
        => [.. blocks.Select(b => new PeerPlan(null, null, b.Cidr.ToString(), [.. b.Except.Select(e => e.ToString())]))];

    /// <summary>A namespace by name, through the label the control plane sets on every namespace (S5.4).</summary>
    private static ImmutableSortedDictionary<string, string> NameSelector(string ns) => Labels.Of((Namespace.NameLabel, ns));
}
