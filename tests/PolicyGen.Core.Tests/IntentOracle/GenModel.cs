namespace PolicyGen.Core.Tests.IntentOracle;

// The generator's own model of an intent: what it decided to write, in the terms of
// docs/intent.md, before any YAML. The oracle reads this model, never npgen's bound intent, so a
// misreading in npgen's binder or compiler cannot be shared by the oracle. Small records that only
// make sense together live in this one file so the whole generated language reads in one place.

/// <summary>A port or range with its protocol ("TCP", "UDP", "SCTP").</summary>
internal sealed record GenPort(string Protocol, int Low, int High)
{
    public bool Carries(string protocol, int port) => protocol == Protocol && port >= Low && port <= High;

    public string Text => Low == High ? $"{Low}/{Protocol}" : $"{Low}-{High}/{Protocol}";
}

/// <summary>How a port is written (a name, <c>N</c>, <c>n/udp</c>, <c>A-B/SCTP</c>) and the range the doc says it means.</summary>
internal sealed record GenPortRef(string Written, GenPort Means);

internal sealed record GenAppPort(string Name, GenPort Range);

internal sealed record GenBlock(string Cidr, IReadOnlyList<string> Except);

/// <summary>How a network's value is written: one CIDR, a list of CIDRs, one {cidr, except}, or a mixed list.</summary>
internal enum NetworkForm { Scalar, List, Block, Mixed }

internal sealed record GenNetwork(string Name, IReadOnlyList<GenBlock> Blocks, NetworkForm Form);

/// <summary>A namespace; <see cref="Rules"/>: its namespace-wide rules, <see cref="EveryApp"/>: rules copied into each of its apps (null: key left out).</summary>
internal sealed record GenNamespace(string Name, bool Managed, IReadOnlyDictionary<string, string> Labels)
{
    public GenNamespaceRules? Rules { get; init; }

    public GenEveryApp? EveryApp { get; init; }
}

/// <summary>
/// Namespace-wide rules (docs/intent.md "Namespace-wide rules and everyApp"): <c>ingress</c> (Absent,
/// Items, Empty or None), <c>calls</c> (Absent, Items or Empty), <c>egress: none</c>, <c>dns</c>.
/// </summary>
internal sealed record GenNamespaceRules(ListForm IngressForm, IReadOnlyList<GenRule> Ingress, ListForm CallsForm, IReadOnlyList<GenCall> Calls, bool EgressNone, bool? Dns);

/// <summary>
/// <c>everyApp</c>: ingress rules and calls appended to each covered app's own. A port written as a
/// name is resolved against each app's own ports (<see cref="GenPortRef.Means"/> is then unused).
/// </summary>
internal sealed record GenEveryApp(IReadOnlyList<GenRule> Ingress, IReadOnlyList<GenCall> Calls);

internal abstract record GenPeer;

/// <summary>An app of the intent; <see cref="Bare"/>: written as its name alone.</summary>
internal sealed record GenAppPeer(string App, bool Bare) : GenPeer;

internal sealed record GenNamespacePeer(string Namespace, IReadOnlyDictionary<string, string>? PodLabels) : GenPeer;

internal sealed record GenNamespaceLabelsPeer(IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string>? PodLabels) : GenPeer;

/// <summary><c>{podLabels}</c> alone: pods of the owning app's namespace.</summary>
internal sealed record GenPodLabelsPeer(IReadOnlyDictionary<string, string> PodLabels) : GenPeer;

internal sealed record GenNetworkPeer(string Network) : GenPeer;

internal sealed record GenControllerPeer : GenPeer;

internal sealed record GenApiServerPeer : GenPeer;

internal sealed record GenAnywherePeer : GenPeer;

/// <summary>An ingress rule; <see cref="Ports"/> null: left out (all ports).</summary>
internal sealed record GenRule(IReadOnlyList<GenPeer> From, IReadOnlyList<GenPortRef>? Ports);

/// <summary>A call; <see cref="Ports"/> null: left out (the doc's default for the peer).</summary>
internal sealed record GenCall(GenPeer To, IReadOnlyList<GenPortRef>? Ports);

/// <summary>How <c>ingress:</c> or <c>calls:</c> is written.</summary>
internal enum ListForm { Absent, Empty, NullValue, Items, None }

internal sealed record GenApp(
    string Name,
    string Namespace,
    IReadOnlyDictionary<string, string> Selector,
    IReadOnlyList<GenAppPort> Ports,
    ListForm IngressForm,
    IReadOnlyList<GenRule> Ingress,
    ListForm CallsForm,
    IReadOnlyList<GenCall> Calls,
    bool EgressNone,
    bool? Dns);

internal sealed record GenController(string Namespace, IReadOnlyDictionary<string, string> PodLabels);

/// <summary>The API server preset; <see cref="Ports"/> null: left out (443/TCP and 6443/TCP).</summary>
internal sealed record GenApiServer(IReadOnlyList<GenBlock> Blocks, IReadOnlyList<GenPort>? Ports);

/// <summary>
/// A whole intent. Null defaults mean the key is left out. <see cref="Controller"/> null: the
/// preset is left out (ingress-nginx). <see cref="DnsPeers"/> null: the default kube-dns peer.
/// </summary>
internal sealed record GenIntent(
    string Name,
    bool? DenyIngress,
    bool? DenyEgress,
    bool? DnsEnabled,
    IReadOnlyList<GenPeer>? DnsPeers,
    IReadOnlyList<GenNamespace> Namespaces,
    IReadOnlyList<GenNetwork> Networks,
    GenController? Controller,
    GenApiServer? ApiServer,
    IReadOnlyList<GenApp> Apps)
{
    /// <summary><c>defaults.everyApp</c>: rules copied into every app of the intent (null: left out).</summary>
    public GenEveryApp? EveryApp { get; init; }
}
