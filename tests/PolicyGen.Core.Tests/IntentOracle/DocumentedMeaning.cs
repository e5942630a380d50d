using System.Net;
using System.Numerics;

namespace PolicyGen.Core.Tests.IntentOracle;

/// <summary>One end of a connection in the witness cluster: a pod (namespace, labels, address) or an outside address.</summary>
internal sealed record OracleEnd(string? Namespace, string? Name, IReadOnlyDictionary<string, string> Labels, IPAddress Address)
{
    public bool IsPod => Namespace is not null;

    public override string ToString() => IsPod ? $"{Namespace}/{Name} ({Address})" : Address.ToString();
}

/// <summary>
/// The intent oracle: docs/intent.md read as deliberately simple code, sentence by sentence, over
/// the generator's model. No code is shared with npgen's Intent/, Compile/ or Verify/: it decides
/// which end may open which connection on which port straight from the documented rules.
/// Each rule is quoted (abridged) from docs/intent.md where it is applied. Split in two files:
/// apps and peers here, namespace-wide rules and everyApp in DocumentedMeaning.Namespaces.cs.
/// </summary>
internal sealed partial class DocumentedMeaning(GenIntent written)
{
    /// <summary>The intent with every <c>everyApp</c> rule copied into the apps it covers.</summary>
    private readonly GenIntent intent = EveryAppCopied(written);

    private static readonly PortSet DnsPorts = new([new("UDP", 53, 53), new("TCP", 53, 53)]);

    /// <summary>"These are the defaults: leaving defaults out means exactly this."</summary>
    private static readonly GenPeer[] DefaultDnsPeers = [new GenNamespacePeer("kube-system", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" })];

    private static readonly GenPort[] DefaultApiServerPorts = [new("TCP", 443, 443), new("TCP", 6443, 6443)];

    private bool DenyIngress => intent.DenyIngress ?? true;
    private bool DenyEgress => intent.DenyEgress ?? true;
    private IReadOnlyList<GenPeer> DnsPeers => intent.DnsPeers ?? DefaultDnsPeers;
    private GenController Controller => intent.Controller ?? new GenController("ingress-nginx", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ingress-nginx" });

    /// <summary>S8.1 as the doc's Isolation section uses it: allowed = the client's egress side AND the server's ingress side; an address has no side.</summary>
    public bool Allowed(OracleEnd from, OracleEnd to, string protocol, int port) => Between(from, to).Carries(protocol, port);

    /// <summary>The ports on which <paramref name="from"/> may open a connection to <paramref name="to"/>, both halves decided once for every port.</summary>
    public Flow Between(OracleEnd from, OracleEnd to)
        => new(from.IsPod ? EgressPorts(from, to) : null, to.IsPod ? IngressPorts(to, from) : null);

    /// <summary>"A pod with an app's labels in the app's namespace": the app whose selector the pod's labels contain (apps cannot overlap).</summary>
    public GenApp? AppOf(OracleEnd pod)
    {
        if (!appOf.TryGetValue(pod, out var app))
        {
            appOf[pod] = app = pod.IsPod ? intent.Apps.FirstOrDefault(a => a.Namespace == pod.Namespace && Contains(pod.Labels, a.Selector)) : null;
        }

        return app;
    }

    /// <summary>Remembered per end (by reference): a pod's labels do not change while it is asked about.</summary>
    private readonly Dictionary<OracleEnd, GenApp?> appOf = new(ReferenceEqualityComparer.Instance);

    private bool Managed(string ns) => intent.Namespaces.Any(n => n.Name == ns && n.Managed);

    /// <summary>"isolated for ingress when its namespace is managed with defaultDeny.ingress, or it declares ingress in any form: rules, an empty list, or ingress: none."</summary>
    private bool IngressIsolated(GenApp app) => (Managed(app.Namespace) && DenyIngress) || app.IngressForm != ListForm.Absent
        || NamespaceIsolatesIngress(app.Namespace); // "... or its namespace has namespace-wide ingress (in any form)."

    /// <summary>"isolated for egress when its namespace is managed with defaultDeny.egress, or it declares calls in any form, or it says egress: none."</summary>
    private bool EgressIsolated(GenApp app) => OwnEgressIsolation(app) || NamespaceIsolatesEgress(app.Namespace); // "... or its namespace has namespace-wide calls or egress: none."

    /// <summary>"The app's own DNS rule comes with its own egress isolation (managed namespace, calls, everyApp.calls)."</summary>
    private bool OwnEgressIsolation(GenApp app) => (Managed(app.Namespace) && DenyEgress) || app.CallsForm != ListForm.Absent || app.EgressNone;

    /// <summary>"Every app isolated for egress gets a rule to each DNS peer on 53/UDP and 53/TCP, unless dns.enabled is false, the app says dns: false, or egress: none."</summary>
    private bool GetsDns(GenApp app) => OwnEgressIsolation(app) && (intent.DnsEnabled ?? true) && (app.Dns ?? true) && !app.EgressNone;

    /// <summary>The client's egress side towards the server: null when it is not isolated (every port), else the port sets of every edge that matches.</summary>
    private List<PortSet>? EgressPorts(OracleEnd client, OracleEnd server)
    {
        var app = AppOf(client);
        if (app is null)
        {
            // "Pods of a managed namespace that no app selects get only the default-deny"; "unmanaged ... are not touched,
            // unless the namespace has namespace-wide rules: then they get exactly those".
            return NamespaceIsolatesEgress(client.Namespace!) ? NamespaceEgress(client.Namespace!, server)
                : Managed(client.Namespace!) && DenyEgress ? [] : null;
        }

        if (!EgressIsolated(app))
        {
            return null;
        }

        // "Pods of the namespace get the union of the namespace-wide rules and their app's rules."
        var allowed = NamespaceIsolatesEgress(app.Namespace) ? NamespaceEgress(app.Namespace, server) : [];
        allowed.AddRange(NamespaceIngressNaming(app, server));
        if (app.EgressNone)
        {
            return allowed; // "egress: none means the app may connect nowhere, DNS included."
        }

        foreach (var call in app.Calls)
        {
            if (Matches(call.To, server, app))
            {
                allowed.Add(CallPorts(call));
            }
        }

        // "An edge between two apps is declared once, on either side ... npgen writes it on every side that is isolated."
        foreach (var other in intent.Apps)
        {
            foreach (var rule in other.Ingress)
            {
                if (rule.From.Any(p => p is GenAppPeer a && a.App == app.Name) && IsPodOf(server, other))
                {
                    allowed.Add(Ports(rule.Ports));
                }
            }
        }

        if (GetsDns(app) && DnsPeers.Any(p => Matches(p, server, null)))
        {
            allowed.Add(DnsPorts);
        }

        return allowed;
    }

    /// <summary>The server's ingress side towards the client: null when it is not isolated, else the port sets of every edge that matches.</summary>
    private List<PortSet>? IngressPorts(OracleEnd server, OracleEnd client)
    {
        var app = AppOf(server);
        if (app is null)
        {
            return NamespaceIsolatesIngress(server.Namespace!) ? NamespaceIngress(server.Namespace!, client)
                : Managed(server.Namespace!) && DenyIngress ? [] : null;
        }

        if (!IngressIsolated(app))
        {
            return null;
        }

        var allowed = NamespaceIsolatesIngress(app.Namespace) ? NamespaceIngress(app.Namespace, client) : [];
        allowed.AddRange(NamespaceCallsNaming(app, client));
        if (app.IngressForm == ListForm.None)
        {
            return allowed; // "ingress: none accepts nothing."
        }

        foreach (var rule in app.Ingress)
        {
            if (rule.From.Any(p => Matches(p, client, app)))
            {
                allowed.Add(Ports(rule.Ports));
            }
        }

        foreach (var other in intent.Apps)
        {
            // "calls: [b] (app): the client's egress rule to b and b's ingress rule from the client."
            foreach (var call in other.Calls)
            {
                if (call.To is GenAppPeer a && a.App == app.Name && IsPodOf(client, other))
                {
                    allowed.Add(CallPorts(call));
                }
            }

            // "when a DNS peer is an app of the intent ... the server's <app>-ingress accepts every app that gets the DNS rule."
            if (DnsPeers.Any(p => p is GenAppPeer d && d.App == app.Name) && GetsDns(other) && IsPodOf(client, other))
            {
                allowed.Add(DnsPorts);
            }
        }

        // "... and every namespace whose namespace-egress carries it (as {namespace: ns})."
        if (DnsPeers.Any(p => p is GenAppPeer d && d.App == app.Name) && client.IsPod && NamespaceEgressCarriesDns(client.Namespace!))
        {
            allowed.Add(DnsPorts);
        }

        return allowed;
    }

    private static bool IsPodOf(OracleEnd end, GenApp app) => end.IsPod && end.Namespace == app.Namespace && Contains(end.Labels, app.Selector);

    /// <summary>
    /// "For a call to an app, ports default to all its declared ports (every port when the app
    /// declares none); for the apiServer preset they default to the preset's ports; for anything else to all ports."
    /// </summary>
    private PortSet CallPorts(GenCall call)
    {
        if (call.Ports is not null)
        {
            return Ports(call.Ports);
        }

        return call.To switch
        {
            GenAppPeer a => intent.Apps.Single(x => x.Name == a.App).Ports is { Count: > 0 } declared ? new PortSet([.. declared.Select(p => p.Range)]) : PortSet.All,
            GenApiServerPeer => new PortSet(intent.ApiServer!.Ports ?? DefaultApiServerPorts),
            _ => PortSet.All,
        };
    }

    /// <summary>"ports left out means all ports."</summary>
    private static PortSet Ports(IReadOnlyList<GenPortRef>? ports) => ports is null ? PortSet.All : new PortSet([.. ports.Select(p => p.Means)]);

    /// <summary>
    /// The Peers table of docs/intent.md, one row per case. <paramref name="owner"/>: the app the peer
    /// is written in, or <paramref name="ownerNamespace"/>: the namespace whose namespace-wide rule it is (for {podLabels}).
    /// </summary>
    private bool Matches(GenPeer peer, OracleEnd end, GenApp? owner, string? ownerNamespace = null)
    {
        switch (peer)
        {
            case GenAnywherePeer:
                return true; // "every pod of every namespace and every address"
            case GenAppPeer a:
                return IsPodOf(end, intent.Apps.Single(x => x.Name == a.App)); // "the pods of app web, wherever it runs"
            case GenNamespacePeer n:
                return end.IsPod && end.Namespace == n.Namespace && (n.PodLabels is null || Contains(end.Labels, n.PodLabels));
            case GenNamespaceLabelsPeer l:
                return end.IsPod && Contains(NamespaceLabels(end.Namespace!), l.Labels) && (l.PodLabels is null || Contains(end.Labels, l.PodLabels));
            case GenPodLabelsPeer p:
                return end.IsPod && end.Namespace == (owner?.Namespace ?? ownerNamespace) && Contains(end.Labels, p.PodLabels);
            case GenNetworkPeer net:
                // "the addresses of a named network, a pod's address included when it lies inside"
                return intent.Networks.Single(n => n.Name == net.Network).Blocks.Any(b => InBlock(b, end.Address));
            case GenControllerPeer:
                return end.IsPod && end.Namespace == Controller.Namespace && Contains(end.Labels, Controller.PodLabels);
            case GenApiServerPeer:
                return intent.ApiServer!.Blocks.Any(b => InBlock(b, end.Address));
            default:
                throw new InvalidOperationException(peer.ToString());
        }
    }

    /// <summary>"labels: the labels the namespace carries"; every namespace also carries kubernetes.io/metadata.name.</summary>
    public Dictionary<string, string> NamespaceLabels(string ns)
    {
        var labels = new Dictionary<string, string>(intent.Namespaces.FirstOrDefault(n => n.Name == ns)?.Labels ?? WitnessNamespaceLabels.GetValueOrDefault(ns) ?? new Dictionary<string, string>())
        {
            ["kubernetes.io/metadata.name"] = ns,
        };
        return labels;
    }

    /// <summary>Labels of namespaces the witness cluster adds (not in the intent).</summary>
    public Dictionary<string, IReadOnlyDictionary<string, string>> WitnessNamespaceLabels { get; } = [];

    private static bool Contains(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> required)
        => required.All(r => labels.TryGetValue(r.Key, out var v) && v == r.Value);

    public static bool InBlock(GenBlock block, IPAddress address) => InCidr(block.Cidr, address) && !block.Except.Any(e => InCidr(e, address));

    /// <summary>A CIDR as a number range, written here again on purpose (not npgen's Cidr).</summary>
    public static bool InCidr(string cidr, IPAddress address)
    {
        var (first, last, family) = Range(cidr);
        if (family != address.AddressFamily)
        {
            return false;
        }

        var value = Number(address);
        return value >= first && value <= last;
    }

    public static (BigInteger First, BigInteger Last, System.Net.Sockets.AddressFamily Family) Range(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var network = IPAddress.Parse(cidr[..slash]);
        var prefix = int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var bits = network.GetAddressBytes().Length * 8;
        var size = BigInteger.One << (bits - prefix);
        var first = Number(network) / size * size;
        return (first, first + size - 1, network.AddressFamily);
    }

    public static BigInteger Number(IPAddress address) => new(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    public static IPAddress Address(BigInteger value, System.Net.Sockets.AddressFamily family)
    {
        var length = family == System.Net.Sockets.AddressFamily.InterNetwork ? 4 : 16;
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[length];
        bytes.CopyTo(padded, length - bytes.Length);
        return new IPAddress(padded);
    }

    /// <summary>Ports as a set: null ranges = every port of every protocol.</summary>
    internal sealed class PortSet(IReadOnlyList<GenPort>? ranges)
    {
        public static readonly PortSet All = new(null);

        public bool Carries(string protocol, int port) => ranges is null || ranges.Any(r => r.Carries(protocol, port));
    }

    /// <summary>Both halves of one ordered pair: each null (no side, or not isolated: every port) or the port sets its matching edges allow.</summary>
    internal sealed record Flow(List<PortSet>? Egress, List<PortSet>? Ingress)
    {
        public bool Carries(string protocol, int port)
            => (Egress is null || Egress.Any(p => p.Carries(protocol, port))) && (Ingress is null || Ingress.Any(p => p.Carries(protocol, port)));
    }
}
