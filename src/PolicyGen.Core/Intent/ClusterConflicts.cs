using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Intent;

/// <summary>
/// Where <c>spec.cluster</c> and the rest of the intent say opposite things. Admin-tier rules
/// decide before any NetworkPolicy, and the baseline decides for pods no NetworkPolicy isolates, so:
/// an app rule naming a protected namespace's pods from another namespace would never work (NPG331);
/// <c>egress: none</c>/<c>dns: false</c> cannot hold against the cluster-wide DNS allow (NPG332), nor
/// <c>ingress: none</c> against the monitoring allow (NPG333); and a declared app-to-app edge whose
/// other side no NetworkPolicy isolates is refused by the baseline deny (NPG334). Broad peers
/// (anywhere, every namespace, networks) are narrowed by the admin Deny, as docs/intent.md says.
/// </summary>
internal sealed class ClusterConflicts(NetworkIntent intent, ClusterIntent cluster, ImmutableArray<Diagnostic>.Builder diagnostics)
{
    private readonly HashSet<(string Code, SourceLocation Location)> reported = [];

    public void Check()
    {
        CheckProtected();
        CheckDns();
        CheckMonitoring();
        CheckBaseline();
    }

    private void Report(string code, string message, IntentSource source, string hint)
    {
        if (reported.Add((code, source.Location)))
        {
            diagnostics.Add(Diagnostic.Error(code, message, source.Location, hint));
        }
    }

    public bool Covers(string ns) => cluster.Covers(ns, intent.FindNamespace(ns)?.EffectiveLabels ?? Labels.Of((Namespace.NameLabel, ns)));

    /// <summary>The namespace a peer names outright (an app's, a namespace's, the ingress controller's); null for a broad peer.</summary>
    private string? NamedNamespace(Peer peer) => peer switch
    {
        AppPeer a => intent.FindApp(a.App)?.Namespace,
        NamespacePeer n => n.Namespace,
        IngressControllerPeer => intent.IngressController.Namespace,
        _ => null,
    };

    private void CheckProtected()
    {
        foreach (var isolated in cluster.Protected)
        {
            var ns = isolated.Namespace;
            var hint = $"namespace {ns} is in spec.cluster.protectedNamespaces: an admin Deny refuses every pod of another namespace before any NetworkPolicy is read; remove this rule, or remove {ns} from protectedNamespaces";
            foreach (var app in intent.Apps.Where(a => a.Namespace == ns))
            {
                foreach (var rule in app.Ingress)
                {
                    foreach (var peer in rule.From.Where(p => NamedNamespace(p) is { } other && other != ns))
                    {
                        Report(DiagnosticCodes.ClusterProtectedConflict, $"app \"{app.Name}\" accepts {peer.Display()}, a pod of another namespace, but namespace {ns} must never be reached from other namespaces", rule.Source, hint);
                    }
                }
            }

            foreach (var rule in intent.FindNamespace(ns)?.Ingress ?? [])
            {
                foreach (var peer in rule.From.Where(p => NamedNamespace(p) is { } other && other != ns))
                {
                    Report(DiagnosticCodes.ClusterProtectedConflict, $"namespace {ns} accepts {peer.Display()}, a pod of another namespace, but {ns} must never be reached from other namespaces", rule.Source, hint);
                }
            }

            var callers = intent.Apps.Where(a => a.Namespace != ns).Select(a => (What: $"app \"{a.Name}\"", a.Calls))
                .Concat(intent.Namespaces.Where(n => n.Name != ns).Select(n => (What: $"namespace {n.Name}", n.Calls)));
            foreach (var (what, calls) in callers)
            {
                foreach (var call in calls.Where(c => NamedNamespace(c.To) == ns))
                {
                    Report(DiagnosticCodes.ClusterProtectedConflict, $"{what} calls {call.To.Display()} in namespace {ns}, which must never be reached from other namespaces", call.Source, hint);
                }
            }

            if ((intent.Dns.Enabled || cluster.Dns) && intent.Dns.Peers.Any(p => NamedNamespace(p) == ns))
            {
                Report(DiagnosticCodes.ClusterProtectedConflict, $"the DNS servers (defaults.dns.peers) are in namespace {ns}, which must never be reached from other namespaces",
                    intent.Dns.Source ?? isolated.Source, $"every pod queries DNS; do not protect the DNS servers' namespace {ns}");
            }
        }
    }

    private void CheckDns()
    {
        if (!cluster.Dns)
        {
            return;
        }

        const string Hint = "spec.cluster.dns allows DNS to every covered pod at the admin tier, which no NetworkPolicy can take away; set spec.cluster.dns: false (and keep the per-app DNS rules), or exempt the namespace";
        foreach (var app in intent.Apps.Where(a => (a.EgressNone || !a.Dns) && Covers(a.Namespace)))
        {
            Report(DiagnosticCodes.ClusterDnsConflict, $"app \"{app.Name}\" says {(app.EgressNone ? "egress: none" : "dns: false")}, but spec.cluster.dns allows DNS to every pod of namespace {app.Namespace}", app.Source, Hint);
        }

        foreach (var ns in intent.Namespaces.Where(n => (n.EgressNone || !n.Dns) && Covers(n.Name)))
        {
            Report(DiagnosticCodes.ClusterDnsConflict, $"namespace {ns.Name} says {(ns.EgressNone ? "egress: none" : "dns: false")}, but spec.cluster.dns allows DNS to every pod of it", ns.Source, Hint);
        }
    }

    private void CheckMonitoring()
    {
        if (cluster.Monitoring is null)
        {
            return;
        }

        const string Hint = "spec.cluster.monitoring lets the monitoring pods reach every covered pod on its ports at the admin tier, which no NetworkPolicy can take away; exempt the namespace, or drop ingress: none";
        foreach (var app in intent.Apps.Where(a => a.IngressNone && Covers(a.Namespace) && !cluster.IsProtected(a.Namespace)))
        {
            Report(DiagnosticCodes.ClusterMonitoringConflict, $"app \"{app.Name}\" says ingress: none, but spec.cluster.monitoring lets monitoring reach every pod of namespace {app.Namespace}", app.Source, Hint);
        }

        foreach (var ns in intent.Namespaces.Where(n => n.IngressNone && Covers(n.Name) && !cluster.IsProtected(n.Name)))
        {
            Report(DiagnosticCodes.ClusterMonitoringConflict, $"namespace {ns.Name} says ingress: none, but spec.cluster.monitoring lets monitoring reach every pod of it", ns.Source, Hint);
        }
    }

    private void CheckBaseline()
    {
        foreach (var app in intent.Apps)
        {
            foreach (var call in app.Calls)
            {
                if (cluster.BaselineDenyIngress && call.To is AppPeer { App: var name } && intent.FindApp(name) is { } server
                    && !IngressIsolated(server) && Covers(server.Namespace) && !cluster.IsProtected(server.Namespace))
                {
                    Report(DiagnosticCodes.ClusterBaselineConflict,
                        $"app \"{app.Name}\" calls \"{server.Name}\", but no NetworkPolicy isolates \"{server.Name}\" for ingress, so the baseline deny of spec.cluster decides its ingress and refuses the call",
                        call.Source, $"give app \"{server.Name}\" ingress: [] (it then accepts the calls declared towards it), make namespace {server.Namespace} managed, or exempt it in spec.cluster.exempt");
                }
            }

            foreach (var rule in app.Ingress)
            {
                foreach (var client in rule.From.OfType<AppPeer>().Select(p => intent.FindApp(p.App)).OfType<App>())
                {
                    if (cluster.BaselineDenyEgress && !EgressIsolated(client) && Covers(client.Namespace))
                    {
                        Report(DiagnosticCodes.ClusterBaselineConflict,
                            $"app \"{app.Name}\" accepts \"{client.Name}\", but no NetworkPolicy isolates \"{client.Name}\" for egress, so the baseline deny of spec.cluster decides its egress and refuses the connection",
                            rule.Source, $"give app \"{client.Name}\" calls: [] (it then calls what other apps accept from it), make namespace {client.Namespace} managed, or exempt it in spec.cluster.exempt");
                    }
                }
            }
        }
    }

    // As AppConnectivity decides isolation (docs/intent.md "Isolation").
    private bool IngressIsolated(App app) => (intent.IsManaged(app.Namespace) && intent.DenyIngress) || app.IngressDeclared || !app.Ingress.IsEmpty || app.IngressNone
        || intent.IsNamespaceIngressIsolated(app.Namespace);

    private bool EgressIsolated(App app) => (intent.IsManaged(app.Namespace) && intent.DenyEgress) || app.CallsDeclared || !app.Calls.IsEmpty || app.EgressNone
        || intent.IsNamespaceEgressIsolated(app.Namespace);
}
