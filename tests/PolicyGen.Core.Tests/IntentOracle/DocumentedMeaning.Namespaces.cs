namespace PolicyGen.Core.Tests.IntentOracle;

/// <summary>docs/intent.md's "Namespace-wide rules and everyApp", read as simply as the rest of the oracle.</summary>
internal sealed partial class DocumentedMeaning
{
    private GenNamespaceRules? RulesOf(string ns) => intent.Namespaces.FirstOrDefault(n => n.Name == ns)?.Rules;

    /// <summary>"ingress: [] or ingress: none isolates every pod and accepts nothing"; rules isolate too.</summary>
    private bool NamespaceIsolatesIngress(string ns) => RulesOf(ns) is { IngressForm: not ListForm.Absent };

    /// <summary>"calls: [] isolates every pod for egress with only the DNS rule"; "egress: none: every pod is isolated for egress".</summary>
    private bool NamespaceIsolatesEgress(string ns) => RulesOf(ns) is { } r && (r.CallsForm != ListForm.Absent || r.EgressNone);

    /// <summary>What namespace-ingress (podSelector: {}) allows into a pod of <paramref name="ns"/> from <paramref name="client"/>.</summary>
    private List<PortSet> NamespaceIngress(string ns, OracleEnd client)
    {
        var rules = RulesOf(ns)!;
        // "{podLabels: {...}} in from means pods of this namespace."
        return [.. rules.Ingress.Where(r => r.From.Any(p => Matches(p, client, null, ns))).Select(r => Ports(r.Ports))];
    }

    /// <summary>What namespace-egress allows out of a pod of <paramref name="ns"/> to <paramref name="server"/>.</summary>
    private List<PortSet> NamespaceEgress(string ns, OracleEnd server)
    {
        var rules = RulesOf(ns)!;
        if (rules.EgressNone)
        {
            return []; // "this policy allows nothing, DNS included."
        }

        var allowed = rules.Calls.Where(c => Matches(c.To, server, null, ns)).Select(CallPorts).ToList();

        if (NamespaceEgressCarriesDns(ns) && DnsPeers.Any(p => Matches(p, server, null)))
        {
            allowed.Add(DnsPorts);
        }

        return allowed;
    }

    /// <summary>
    /// "The automatic DNS rule is added to namespace-egress unless the namespace says dns: false,
    /// defaults.dns.enabled is false, or it says egress: none."
    /// </summary>
    private bool NamespaceEgressCarriesDns(string ns)
        => RulesOf(ns) is { EgressNone: false } rules && rules.CallsForm != ListForm.Absent && (intent.DnsEnabled ?? true) && (rules.Dns ?? true);

    /// <summary>
    /// "An edge between an app and a namespace's namespace-wide rules (ingress: [{from: [web]}] under a
    /// namespace) is written on the app's side too when it is isolated, with the namespace as {namespace: ns}":
    /// the client app's egress towards any pod of such a namespace.
    /// </summary>
    private IEnumerable<PortSet> NamespaceIngressNaming(GenApp client, OracleEnd server)
        => server.IsPod && RulesOf(server.Namespace!) is { } rules
            ? rules.Ingress.Where(r => r.From.Any(p => p is GenAppPeer a && a.App == client.Name)).Select(r => Ports(r.Ports))
            : [];

    /// <summary>The same for <c>calls: [api]</c> under a namespace: the server app's ingress from any pod of that namespace.</summary>
    private IEnumerable<PortSet> NamespaceCallsNaming(GenApp server, OracleEnd client)
        => client.IsPod && RulesOf(client.Namespace!) is { } rules
            ? rules.Calls.Where(c => c.To is GenAppPeer a && a.App == server.Name).Select(CallPorts)
            : [];

    /// <summary>
    /// "everyApp (under a namespace: its apps; under defaults: every app of the intent) holds ingress
    /// rules and calls that are appended to each app's own, as if written there ... a port name is
    /// resolved against each app's own ports ... {podLabels} means the app's namespace."
    /// </summary>
    private static GenIntent EveryAppCopied(GenIntent written)
    {
        var apps = written.Apps.Select(app =>
        {
            var copies = new[] { written.Namespaces.FirstOrDefault(n => n.Name == app.Namespace)?.EveryApp, written.EveryApp }.OfType<GenEveryApp>().ToList();
            var ingress = copies.SelectMany(e => e.Ingress).Select(r => r with { Ports = Resolved(r.Ports, app) }).ToList();
            var calls = copies.SelectMany(e => e.Calls).ToList();
            return app with
            {
                IngressForm = ingress.Count > 0 ? ListForm.Items : app.IngressForm,
                Ingress = [.. app.Ingress, .. ingress],
                CallsForm = calls.Count > 0 ? ListForm.Items : app.CallsForm,
                Calls = [.. app.Calls, .. calls],
            };
        }).ToList();
        return written with { Apps = apps };
    }

    private static List<GenPortRef>? Resolved(IReadOnlyList<GenPortRef>? ports, GenApp app)
        => ports?.Select(p => char.IsAsciiLetter(p.Written[0]) ? new GenPortRef(p.Written, app.Ports.Single(x => x.Name == p.Written).Range) : p).ToList();
}
