using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Intent;

// The bound intent: every name resolved, every value checked. Small records that only make sense
// together live in this one file so the whole language can be read in one place.

/// <summary>Where a piece of intent was written: file, JSON pointer (<c>#/spec/apps/api/calls/0</c>) and line.</summary>
public sealed record IntentSource(string File, string JsonPointer, SourceLocation Location)
{
    /// <summary><c>intents.yaml#/spec/apps/api/calls/0</c>: stable across edits that only move lines.</summary>
    public string Reference => $"{Path.GetFileName(File)}#{JsonPointer}";

    public override string ToString() => $"{Reference} ({Location})";
}

public sealed record NetworkIntent
{
    public required string Name { get; init; }
    public required IntentSource Source { get; init; }
    public bool DenyIngress { get; init; } = true;
    public bool DenyEgress { get; init; } = true;
    public required DnsSettings Dns { get; init; }
    public ImmutableArray<IntentNamespace> Namespaces { get; init; } = [];
    public ImmutableArray<IntentNetwork> Networks { get; init; } = [];

    /// <summary>
    /// <c>spec.podNetwork</c>: the addresses pods can have. A network's ipBlock matches pod
    /// addresses too (S6.2), so <c>expect:</c> judges a pod end at addresses across this range.
    /// </summary>
    public ImmutableArray<CidrBlock> PodNetwork { get; init; } = DefaultPodNetwork;

    /// <summary>The private IPv4 ranges (RFC 1918), where pod networks almost always live.</summary>
    public static readonly ImmutableArray<CidrBlock> DefaultPodNetwork =
        [.. new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16" }.Select(c => Cidr.TryParse(c, out var cidr, out _) ? new CidrBlock(cidr, []) : throw new InvalidOperationException(c))];

    /// <summary>Whether <c>spec.podNetwork</c> was written (the default is named in messages).</summary>
    public bool PodNetworkDeclared { get; init; }
    public required IngressControllerPreset IngressController { get; init; }
    public ApiServerPreset? ApiServer { get; init; }
    public ImmutableArray<App> Apps { get; init; } = [];
    public ImmutableArray<Expectation> Expectations { get; init; } = [];

    /// <summary><c>spec.cluster</c>: cluster-wide policies (docs/intent.md); null when the intent has no such section.</summary>
    public ClusterIntent? Cluster { get; init; }

    public App? FindApp(string name) => Index.Of(this).Apps.GetValueOrDefault(name);
    public IntentNetwork? FindNetwork(string name) => Index.Of(this).Networks.GetValueOrDefault(name);
    public IntentNamespace? FindNamespace(string name) => Index.Of(this).Namespaces.GetValueOrDefault(name);
    public bool IsManaged(string ns) => FindNamespace(ns)?.Managed ?? false;

    /// <summary>Whether namespace-wide rules (<c>spec.namespaces.&lt;ns&gt;.ingress</c>) isolate every pod of <paramref name="ns"/> for ingress.</summary>
    public bool IsNamespaceIngressIsolated(string ns) => FindNamespace(ns)?.IngressIsolated ?? false;

    /// <summary>Whether namespace-wide rules (<c>calls</c>, <c>egress: none</c>) isolate every pod of <paramref name="ns"/> for egress.</summary>
    public bool IsNamespaceEgressIsolated(string ns) => FindNamespace(ns)?.EgressIsolated ?? false;

    /// <summary>
    /// Lookups by name, built once per intent (kept outside the record, so equality and `with` are
    /// unaffected): an intent of 10,000 apps is looked up hundreds of thousands of times.
    /// The first item of a name wins, as a linear search would find it.
    /// </summary>
    private sealed class Index
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<NetworkIntent, Index> Cache = new();

        private Index(NetworkIntent intent)
        {
            Apps = First(intent.Apps, a => a.Name);
            Networks = First(intent.Networks, n => n.Name);
            Namespaces = First(intent.Namespaces, n => n.Name);
        }

        public Dictionary<string, App> Apps { get; }
        public Dictionary<string, IntentNetwork> Networks { get; }
        public Dictionary<string, IntentNamespace> Namespaces { get; }

        public static Index Of(NetworkIntent intent) => Cache.GetValue(intent, i => new Index(i));

        private static Dictionary<string, T> First<T>(ImmutableArray<T> items, Func<T, string> name)
        {
            var result = new Dictionary<string, T>(items.Length, StringComparer.Ordinal);
            foreach (var item in items)
            {
                result.TryAdd(name(item), item);
            }

            return result;
        }
    }
}

/// <summary>DNS egress added to every app whose egress is restricted (unless turned off or <c>egress: none</c>).</summary>
public sealed record DnsSettings(bool Enabled, ImmutableArray<Peer> Peers, IntentSource? Source);

public sealed record IntentNamespace(string Name, bool Managed, ImmutableSortedDictionary<string, string> Labels, IntentSource Source)
{
    /// <summary>
    /// Namespace-wide <c>ingress</c> rules: they apply to every pod of the namespace, pods no app
    /// selects included (a <c>podSelector: {}</c> policy). Port names have no app to resolve on.
    /// </summary>
    public ImmutableArray<IngressRule> Ingress { get; init; } = [];

    /// <summary>Namespace-wide <c>calls</c>: egress of every pod of the namespace.</summary>
    public ImmutableArray<Call> Calls { get; init; } = [];

    /// <summary>An <c>ingress:</c> list is present on the namespace, even empty: every pod is isolated for ingress.</summary>
    public bool IngressDeclared { get; init; }

    /// <summary><c>ingress: none</c> on the namespace: every pod isolated for ingress, nothing accepted by this rule set.</summary>
    public bool IngressNone { get; init; }

    /// <summary>A <c>calls:</c> list is present on the namespace, even empty: every pod is isolated for egress.</summary>
    public bool CallsDeclared { get; init; }

    /// <summary><c>egress: none</c> on the namespace: every pod isolated for egress, DNS included (recipe 12).</summary>
    public bool EgressNone { get; init; }

    /// <summary>The automatic DNS rule on the namespace-wide egress (<c>dns: false</c> leaves it out).</summary>
    public bool Dns { get; init; } = true;

    /// <summary>Whether the namespace-wide rules isolate every pod of the namespace for ingress.</summary>
    public bool IngressIsolated => IngressDeclared || IngressNone || !Ingress.IsEmpty;

    /// <summary>Whether the namespace-wide rules isolate every pod of the namespace for egress.</summary>
    public bool EgressIsolated => CallsDeclared || EgressNone || !Calls.IsEmpty;

    /// <summary>The labels the namespace carries, including the one the control plane adds (S5.4).</summary>
    public ImmutableSortedDictionary<string, string> EffectiveLabels
        => Labels.SetItem(Model.Namespace.NameLabel, Name);
}

public sealed record CidrBlock(Cidr Cidr, ImmutableArray<Cidr> Except)
{
    public bool Contains(System.Net.IPAddress address) => Cidr.Contains(address) && !Except.Any(e => e.Contains(address));

    public override string ToString() => Except.IsEmpty ? Cidr.ToString() : $"{Cidr} except {string.Join(", ", Except)}";
}

public sealed record IntentNetwork(string Name, ImmutableArray<CidrBlock> Blocks, IntentSource Source);

public sealed record IngressControllerPreset(string Namespace, ImmutableSortedDictionary<string, string> PodLabels, IntentSource? Source);

public sealed record ApiServerPreset(ImmutableArray<CidrBlock> Blocks, ImmutableArray<PortRange> Ports, IntentSource Source);

/// <summary>A port or range with its protocol: <c>8080/TCP</c>, <c>7000-7100/TCP</c>.</summary>
public sealed record PortRange(Protocol Protocol, int Low, int High)
{
    public bool Contains(Protocol protocol, int port) => protocol == Protocol && port >= Low && port <= High;

    public override string ToString() => Low == High ? $"{Low}/{Protocol.Name()}" : $"{Low}-{High}/{Protocol.Name()}";
}

public sealed record AppPort(string Name, PortRange Range);

/// <summary>One pod group ("tier"): the pods its selector matches in its namespace.</summary>
public sealed record App
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required ImmutableSortedDictionary<string, string> Selector { get; init; }
    public ImmutableArray<AppPort> Ports { get; init; } = [];
    public ImmutableArray<IngressRule> Ingress { get; init; } = [];
    public ImmutableArray<Call> Calls { get; init; } = [];

    /// <summary><c>ingress: none</c>: isolated for ingress with no rule (recipe "deny all traffic to an app").</summary>
    public bool IngressNone { get; init; }

    /// <summary>
    /// An <c>ingress:</c> list is present, even empty: the app's ingress is an allow-list, so it is
    /// isolated for ingress (<c>ingress: []</c> accepts only the edges other apps declare as calls).
    /// </summary>
    public bool IngressDeclared { get; init; }

    /// <summary>
    /// A <c>calls:</c> list is present, even empty: the app's egress is an allow-list, so it is
    /// isolated for egress (<c>calls: []</c> leaves only the automatic DNS rule).
    /// </summary>
    public bool CallsDeclared { get; init; }

    /// <summary><c>egress: none</c>: isolated for egress with no rule, DNS included.</summary>
    public bool EgressNone { get; init; }

    /// <summary>Per-app switch for the automatic DNS rule.</summary>
    public bool Dns { get; init; } = true;

    public required IntentSource Source { get; init; }

    public AppPort? FindPort(string name) => Ports.FirstOrDefault(p => p.Name == name);
}

/// <summary>Who may connect to an app: any of the peers, on any of the ports (all ports when empty).</summary>
public sealed record IngressRule(ImmutableArray<Peer> From, ImmutableArray<PortRange> Ports, IntentSource Source);

/// <summary>An outbound edge declared on the client.</summary>
public sealed record Call(Peer To, ImmutableArray<PortRange> Ports, IntentSource Source);

/// <summary>The other end of an edge. Every form maps to NetworkPolicy v1 without widening.</summary>
public abstract record Peer
{
    /// <summary>The peer in a few words for messages and policy comments: <c>web</c>, <c>monitoring/*</c>, <c>network office</c>.</summary>
    public string Display() => this switch
    {
        AppPeer a => a.App,
        NamespacePeer n => n.PodLabels is null ? $"{n.Namespace}/*" : $"{n.Namespace}/{{{Labels.Format(n.PodLabels)}}}",
        NamespaceLabelsPeer l => $"{(l.Labels.IsEmpty ? "*" : $"{{{Labels.Format(l.Labels)}}}")}/{(l.PodLabels is null ? "*" : $"{{{Labels.Format(l.PodLabels)}}}")}",
        NetworkPeer n => $"network {n.Network}",
        IngressControllerPeer => "the ingress controller",
        ApiServerPeer => "the API server",
        _ => "anywhere",
    };
}

/// <summary>Another app: same namespace → podSelector; other namespace → namespace AND pod selector in one peer.</summary>
public sealed record AppPeer(string App) : Peer;

/// <summary>Pods of a namespace by name, optionally only those with <see cref="PodLabels"/> (AND).</summary>
public sealed record NamespacePeer(string Namespace, ImmutableSortedDictionary<string, string>? PodLabels) : Peer;

/// <summary>
/// Pods of every namespace with these labels (every namespace when empty), optionally only those
/// with <see cref="PodLabels"/> (AND). Never an outside address.
/// </summary>
public sealed record NamespaceLabelsPeer(ImmutableSortedDictionary<string, string> Labels, ImmutableSortedDictionary<string, string>? PodLabels) : Peer;

/// <summary>Addresses of a named network (ipBlock with except).</summary>
public sealed record NetworkPeer(string Network) : Peer;

public sealed record IngressControllerPeer : Peer;

public sealed record ApiServerPeer : Peer;

/// <summary>Every pod and every address (a rule without from/to).</summary>
public sealed record AnywherePeer : Peer;

/// <summary>One end of an <c>expect:</c> assertion: an app, pods by namespace/labels, a network, or an address.</summary>
public sealed record ExpectationEnd(Peer Peer, System.Net.IPAddress? Address, string Display);

/// <summary>An assertion checked against the generated policies on every build.</summary>
public sealed record Expectation(ExpectationEnd From, ExpectationEnd To, PortRange Port, bool Allowed, IntentSource Source);
