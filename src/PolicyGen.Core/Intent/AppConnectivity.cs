using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Intent;

/// <summary>One allowed edge seen from one app: the peer on the other side, the ports, and where it was declared.</summary>
public sealed record Edge(Peer Peer, ImmutableArray<PortRange> Ports, IntentSource Source, bool IsDns = false);

/// <summary>
/// What the intent means for one app, in each direction: whether the app is isolated and which
/// edges are allowed. This is the meaning that the verifier checks the generated policies against.
/// Isolation comes only from a managed namespace's default deny, from namespace-wide rules of its
/// namespace, or from the app's own declarations (an <c>ingress:</c> list, even empty / <c>ingress: none</c>;
/// a <c>calls:</c> list, even empty / <c>egress: none</c>); being called never isolates.
/// An app-to-app edge, declared once on either side, appears on every side that is isolated; so does
/// an edge between an app and a namespace's namespace-wide rules (the namespace as <c>{namespace: ns}</c>).
/// The namespace-wide edges themselves are in <see cref="NamespaceConnectivity"/>, not here.
/// </summary>
public sealed record AppConnectivity(App App, bool IngressIsolated, bool EgressIsolated,
    ImmutableArray<Edge> Inbound, ImmutableArray<Edge> Outbound)
{
    public static (ImmutableArray<AppConnectivity> Apps, ImmutableArray<Diagnostic> Diagnostics) Of(NetworkIntent intent)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var result = ImmutableArray.CreateBuilder<AppConnectivity>();

        // Who calls whom and who accepts whom, indexed once (apps in name order, as the edges are listed).
        var byName = intent.Apps.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        var (callsTo, acceptedBy) = IndexAppEdges(byName);
        var (namespaceCallsTo, namespaceAccepts) = IndexNamespaceEdges(intent);

        // DNS servers that are apps of this intent: each client's DNS rule is an app-to-app edge,
        // written on the server's isolated ingress side too, like a call.
        var dnsServers = intent.Dns.Peers.OfType<AppPeer>().Select(p => p.App).Distinct(StringComparer.Ordinal).ToList();
        var dnsSource = NamespaceConnectivity.DnsSource(intent);
        var dnsPorts = NamespaceConnectivity.DnsPorts;
        var dnsClients = intent.Dns.Enabled
            ? byName.Where(a => a.Dns && !a.EgressNone && IsEgressIsolated(intent, a)).ToList()
            : [];
        var dnsClientNamespaces = intent.Namespaces.Where(n => NamespaceConnectivity.HasDnsRule(intent, n)).ToList();
        var namespaceWide = NamespaceConnectivity.Of(intent).ToDictionary(n => n.Namespace.Name, StringComparer.Ordinal);

        foreach (var app in intent.Apps)
        {
            var managed = intent.IsManaged(app.Namespace);
            var ingressIsolated = (managed && intent.DenyIngress) || app.IngressDeclared || !app.Ingress.IsEmpty || app.IngressNone
                || intent.IsNamespaceIngressIsolated(app.Namespace);
            var egressIsolated = IsEgressIsolated(intent, app) || intent.IsNamespaceEgressIsolated(app.Namespace);
            if (namespaceWide.GetValueOrDefault(app.Namespace) is { } wide)
            {
                CheckNamespaceWideContradictions(app, wide, diagnostics);
            }

            var inbound = CallerEdges(app, callsTo, namespaceCallsTo, diagnostics);
            if (dnsServers.Contains(app.Name, StringComparer.Ordinal) && (dnsClients.Count > 0 || dnsClientNamespaces.Count > 0))
            {
                if (app.IngressNone)
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.IntentContradiction,
                        $"app \"{app.Name}\" is a DNS server (defaults.dns.peers) but has ingress: none", dnsSource.Location,
                        $"remove ingress: none from {app.Name} so the apps can resolve names, or name another DNS server"));
                }

                inbound.AddRange(dnsClients.Select(c => new Edge(new AppPeer(c.Name), dnsPorts, dnsSource, IsDns: true))); // itself too: its pods query each other
                inbound.AddRange(dnsClientNamespaces.Select(n => new Edge(new NamespacePeer(n.Name, null), dnsPorts, dnsSource, IsDns: true)));
            }

            var outbound = OutboundEdges(intent, app, acceptedBy, namespaceAccepts, diagnostics);
            result.Add(new AppConnectivity(app, ingressIsolated, egressIsolated, [.. inbound], [.. outbound]));
        }

        return (result.ToImmutable(), diagnostics.ToImmutable());
    }

    // The helpers below are split from Of to keep each under the complexity limit (CA1502); Of calls
    // them in the order it always worked in, so diagnostics come out in the same order.

    /// <summary>Per app name: the apps that call it, and the apps whose ingress rules accept it.</summary>
    private static (Dictionary<string, List<(App Caller, Call Call)>> CallsTo, Dictionary<string, List<(App Server, IngressRule Rule)>> AcceptedBy) IndexAppEdges(List<App> byName)
    {
        var callsTo = new Dictionary<string, List<(App Caller, Call Call)>>(StringComparer.Ordinal);
        var acceptedBy = new Dictionary<string, List<(App Server, IngressRule Rule)>>(StringComparer.Ordinal);
        foreach (var other in byName)
        {
            foreach (var call in other.Calls)
            {
                if (call.To is AppPeer p)
                {
                    Add(callsTo, p.App, (other, call));
                }
            }

            foreach (var rule in other.Ingress)
            {
                foreach (var client in rule.From.OfType<AppPeer>().Select(a => a.App).Distinct(StringComparer.Ordinal))
                {
                    Add(acceptedBy, client, (other, rule));
                }
            }
        }

        return (callsTo, acceptedBy);
    }

    /// <summary>
    /// Namespace-wide rules that name apps: a namespace calling an app, or accepting one, is an
    /// edge with every pod of that namespace, written on the app's side too when it is isolated.
    /// </summary>
    private static (Dictionary<string, List<(IntentNamespace Caller, Call Call)>> CallsTo, Dictionary<string, List<(IntentNamespace Server, IngressRule Rule)>> Accepts) IndexNamespaceEdges(NetworkIntent intent)
    {
        var namespaceCallsTo = new Dictionary<string, List<(IntentNamespace Caller, Call Call)>>(StringComparer.Ordinal);
        var namespaceAccepts = new Dictionary<string, List<(IntentNamespace Server, IngressRule Rule)>>(StringComparer.Ordinal);
        foreach (var ns in intent.Namespaces)
        {
            foreach (var call in ns.EgressNone ? [] : ns.Calls)
            {
                if (call.To is AppPeer p)
                {
                    Add(namespaceCallsTo, p.App, (ns, call));
                }
            }

            foreach (var rule in ns.Ingress)
            {
                foreach (var client in rule.From.OfType<AppPeer>().Select(a => a.App).Distinct(StringComparer.Ordinal))
                {
                    Add(namespaceAccepts, client, (ns, rule));
                }
            }
        }

        return (namespaceCallsTo, namespaceAccepts);
    }

    /// <summary>NetworkPolicy cannot subtract: what the namespace-wide rules open for every pod, none on an app cannot close.</summary>
    private static void CheckNamespaceWideContradictions(App app, NamespaceConnectivity wide, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        if (app.IngressNone && !wide.Inbound.IsEmpty)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NamespaceEdgeContradiction,
                $"app \"{app.Name}\" has ingress: none, but the namespace-wide ingress rules of namespace {app.Namespace} accept connections to every pod of it", app.Source.Location,
                $"policies only add up, so none cannot close what namespace {app.Namespace} opens: remove ingress: none from {app.Name}, or narrow the namespace's ingress rules and move them to everyApp or to the apps that need them"));
        }

        if (app.EgressNone && !wide.Outbound.IsEmpty)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NamespaceEdgeContradiction,
                $"app \"{app.Name}\" has egress: none, but the namespace-wide calls of namespace {app.Namespace} (or its DNS rule) let every pod of it connect", app.Source.Location,
                $"policies only add up, so none cannot close what namespace {app.Namespace} opens: remove egress: none from {app.Name}, or move the namespace's calls to everyApp or to the apps that need them (dns: false on the namespace drops its DNS rule)"));
        }
    }

    /// <summary>An app's inbound edges from its own ingress rules and from the apps and namespaces that call it.</summary>
    private static List<Edge> CallerEdges(App app, Dictionary<string, List<(App Caller, Call Call)>> callsTo,
        Dictionary<string, List<(IntentNamespace Caller, Call Call)>> namespaceCallsTo, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var inbound = new List<Edge>();
        foreach (var rule in app.Ingress)
        {
            inbound.AddRange(rule.From.Select(peer => new Edge(peer, rule.Ports, rule.Source)));
        }

        foreach (var (caller, call) in callsTo.GetValueOrDefault(app.Name, []))
        {
            if (app.IngressNone)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.IntentContradiction,
                    $"app \"{caller.Name}\" calls app \"{app.Name}\", which has ingress: none", call.Source.Location,
                    $"remove ingress: none from {app.Name} to accept the call, or remove the call"));
            }

            inbound.Add(new Edge(new AppPeer(caller.Name), call.Ports, call.Source));
        }

        foreach (var (caller, call) in namespaceCallsTo.GetValueOrDefault(app.Name, []))
        {
            if (app.IngressNone)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NamespaceEdgeContradiction,
                    $"namespace \"{caller.Name}\" calls app \"{app.Name}\" for every pod of the namespace, but {app.Name} has ingress: none", call.Source.Location,
                    $"remove ingress: none from {app.Name} to accept the call, or remove the call from namespace {caller.Name}"));
            }

            inbound.Add(new Edge(new NamespacePeer(caller.Name, null), call.Ports, call.Source));
        }

        return inbound;
    }

    /// <summary>
    /// An app's outbound edges: its calls, the apps and namespaces that accept it, and its DNS rule;
    /// none with egress: none, where an acceptance contradicts it.
    /// </summary>
    private static List<Edge> OutboundEdges(NetworkIntent intent, App app, Dictionary<string, List<(App Server, IngressRule Rule)>> acceptedBy,
        Dictionary<string, List<(IntentNamespace Server, IngressRule Rule)>> namespaceAccepts, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        if (app.EgressNone)
        {
            foreach (var (server, rule) in acceptedBy.GetValueOrDefault(app.Name, []))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.IntentContradiction,
                    $"app \"{server.Name}\" accepts app \"{app.Name}\", which has egress: none", rule.Source.Location,
                    $"remove egress: none from {app.Name} to let it connect, or remove {app.Name} from the ingress rule"));
            }

            foreach (var (server, rule) in namespaceAccepts.GetValueOrDefault(app.Name, []))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NamespaceEdgeContradiction,
                    $"namespace \"{server.Name}\" accepts app \"{app.Name}\" on every pod of the namespace, but {app.Name} has egress: none", rule.Source.Location,
                    $"remove egress: none from {app.Name} to let it connect, or remove {app.Name} from the namespace's ingress rule"));
            }
        }

        var outbound = new List<Edge>();
        if (!app.EgressNone)
        {
            outbound.AddRange(app.Calls.Select(c => new Edge(c.To, c.Ports, c.Source)));
            foreach (var (server, rule) in acceptedBy.GetValueOrDefault(app.Name, []))
            {
                outbound.Add(new Edge(new AppPeer(server.Name), rule.Ports, rule.Source));
            }

            foreach (var (server, rule) in namespaceAccepts.GetValueOrDefault(app.Name, []))
            {
                outbound.Add(new Edge(new NamespacePeer(server.Name, null), rule.Ports, rule.Source));
            }

            // The app's own DNS rule comes with its own egress isolation; pods isolated only by the
            // namespace-wide egress get DNS from the namespace's rule (unless dns: false or egress: none there).
            if (IsEgressIsolated(intent, app) && intent.Dns.Enabled && app.Dns)
            {
                var dnsSource = NamespaceConnectivity.DnsSource(intent);
                outbound.AddRange(intent.Dns.Peers.Select(peer => new Edge(peer, NamespaceConnectivity.DnsPorts, dnsSource, IsDns: true)));
            }
        }

        return outbound;
    }

    private static bool IsEgressIsolated(NetworkIntent intent, App app)
        => (intent.IsManaged(app.Namespace) && intent.DenyEgress) || app.CallsDeclared || !app.Calls.IsEmpty || app.EgressNone;

    private static void Add<T>(Dictionary<string, List<T>> index, string key, T value)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(value);
    }
}
