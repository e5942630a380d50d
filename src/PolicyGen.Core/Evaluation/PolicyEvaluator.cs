using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// The core evaluator: answers "may A open a connection to B on port P?" by the rules of
/// docs networkpolicy-semantics (S1-S16), and explains the answer.
/// It is built once per cluster: endpoints are folded into identities, selectors are resolved
/// through inverted label indexes into identity bitsets, and each identity keeps the policies
/// that isolate it, so a query walks only the rules that apply to its two ends.
/// Policies must be valid (see PolicyValidator); invalid fields match nothing.
/// </summary>
public sealed partial class PolicyEvaluator
{
    private readonly Identity[] identities;
    private readonly int[] endpointIdentity;
    private readonly CompiledPolicy[] policies;
    private readonly int[][] ingressPolicies;
    private readonly int[][] egressPolicies;
    private EndpointLookup? lookup;
    private ClusterLayers layers = ClusterLayers.None;

    private PolicyEvaluator(Cluster cluster, EvaluationOptions options, Identity[] identities, int[] endpointIdentity,
        CompiledPolicy[] policies, int[][] ingressPolicies, int[][] egressPolicies, ImmutableArray<StageTiming> timings)
    {
        Cluster = cluster;
        Timings = timings;
        Options = options;
        this.identities = identities;
        this.endpointIdentity = endpointIdentity;
        this.policies = policies;
        this.ingressPolicies = ingressPolicies;
        this.egressPolicies = egressPolicies;
    }

    /// <summary>Endpoints by namespace/name and by address, built on the first lookup (a matrix needs neither).</summary>
    private sealed class EndpointLookup
    {
        public Dictionary<string, int> ById { get; } = new(StringComparer.Ordinal);
        public Dictionary<IPAddress, int> ByAddress { get; } = [];

        public EndpointLookup(Cluster cluster)
        {
            for (var i = 0; i < cluster.Endpoints.Length; i++)
            {
                var endpoint = cluster.Endpoints[i];
                ById.TryAdd(endpoint.Id, i);
                foreach (var address in endpoint.Addresses)
                {
                    // S11.3: an address of a pod-network pod is that pod. hostNetwork pods share their node's IP.
                    if (!endpoint.HostNetwork || !ByAddress.ContainsKey(address))
                    {
                        ByAddress[address] = i;
                    }
                }
            }
        }
    }

    private EndpointLookup Lookup => LazyInitializer.EnsureInitialized(ref lookup, () => new EndpointLookup(Cluster));

    public Cluster Cluster { get; }
    public EvaluationOptions Options { get; }

    /// <summary>How long each stage of <see cref="Create"/> took (identities, label index, compiling the policies, ...).</summary>
    public ImmutableArray<StageTiming> Timings { get; }

    /// <summary>How many groups of indistinguishable endpoints the cluster folds into.</summary>
    public int IdentityCount => identities.Length;

    internal IReadOnlyList<Identity> Identities => identities;
    internal int IdentityOf(int endpoint) => endpointIdentity[endpoint];
    internal IReadOnlyList<CompiledPolicy> Policies => policies;
    internal int[] PoliciesOf(int identity, PolicyDirection direction)
        => direction == PolicyDirection.Ingress ? ingressPolicies[identity] : egressPolicies[identity];

    public static PolicyEvaluator Create(Cluster cluster, EvaluationOptions? options = null)
    {
        options ??= EvaluationOptions.Default;
        var built = new EvaluatorBuilder(cluster, options).Build();
        var evaluator = new PolicyEvaluator(cluster, options, built.Identities, built.EndpointIdentity, built.Policies,
            built.IngressPolicies, built.EgressPolicies, built.Timings);
        evaluator.layers = built.Layers; // S18
        return evaluator;
    }

    /// <summary>
    /// Finds a connection end from <c>namespace/name</c> or an IP address. An address that belongs to
    /// an endpoint is that endpoint (S11.3); any other address is external.
    /// </summary>
    public bool TryResolve(string text, out ConnectionEnd? end, out string? error)
    {
        end = null;
        error = null;
        if (Lookup.ById.TryGetValue(text, out var index))
        {
            end = ConnectionEnd.ForEndpoint(Cluster.Endpoints[index], index);
            return true;
        }

        if (IpAddressText.TryParse(text, out var address))
        {
            end = Lookup.ByAddress.TryGetValue(address, out index)
                ? ConnectionEnd.ForEndpoint(Cluster.Endpoints[index], index)
                : ConnectionEnd.External(address);
            return true;
        }

        if (!text.Contains('/', StringComparison.Ordinal))
        {
            error = $"\"{text}\" is neither namespace/name nor an IP address";
            return false;
        }

        var ns = text[..text.IndexOf('/', StringComparison.Ordinal)];
        // Names come from the manifests and the command line: one line each, control characters escaped.
        var nearby = Cluster.Endpoints.Where(e => e.Namespace == ns).Select(e => TextEscaping.ForLine(e.Id)).Take(5).ToList();
        error = nearby.Count == 0
            ? $"no pod or workload named {TextEscaping.ForLine(text)}: namespace {TextEscaping.ForLine(ns)} has none in the manifests"
            : $"no pod or workload named {TextEscaping.ForLine(text)}; in namespace {TextEscaping.ForLine(ns)} there are: {string.Join(", ", nearby)}";
        return false;
    }

    /// <summary>The verdict alone, without building an explanation: the hot path for bulk questions.</summary>
    public bool IsAllowed(ConnectionEnd from, ConnectionEnd to, int port, Protocol protocol)
    {
        if (Options.SelfTraffic == SelfTrafficMode.Allow && SameEndpoint(from, to) == SelfCase.PodToItself)
        {
            return true;
        }

        return HalfAllowed(PolicyDirection.Egress, from, to, port, protocol, null)
            && HalfAllowed(PolicyDirection.Ingress, to, from, port, protocol, null);
    }

    /// <summary>
    /// One half for an identity facing an external address (S11): its egress towards the address
    /// or its ingress from it. The address is given as a number, so bulk checks allocate nothing.
    /// </summary>
    internal bool AllowsExternal(int identity, PolicyDirection direction, AddressFamily family, UInt128 address, int port, Protocol protocol)
    {
        var applicable = PoliciesOf(identity, direction);
        if (!layers.IsEmpty)
        {
            var probe = new ClusterRuleProbe(-1, family, address, protocol, port, direction == PolicyDirection.Ingress ? identities[identity] : null);
            if (LayeredHalf(identity, direction, probe, applicable.Length > 0) is { } decided)
            {
                return decided; // S18: an admin rule, or the baseline for a pod no NetworkPolicy isolates
            }
        }

        if (applicable.Length == 0)
        {
            return true;
        }

        // A named port resolves on the destination: the identity for ingress, nothing for an address (S7.4).
        var destination = direction == PolicyDirection.Ingress ? identities[identity] : null;
        foreach (var p in applicable)
        {
            foreach (var rule in policies[p].Rules(direction))
            {
                if (rule.MatchesExternal(family, address) && rule.Ports.Matches(protocol, port, destination))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The verdict with both halves explained (S8.2).</summary>
    public Verdict Evaluate(ConnectionEnd from, ConnectionEnd to, int port, Protocol protocol)
    {
        var probe = new PortProbe(port, protocol);
        var same = SameEndpoint(from, to);
        if (same == SelfCase.PodToItself && Options.SelfTraffic == SelfTrafficMode.Allow)
        {
            var endpoint = from.Endpoint!;
            var reason = endpoint.Kind == "Pod"
                ? $"{from.Display} connects to itself, which a pod cannot block (S12)"
                : $"{from.Display} ({endpoint.Kind}, replicas: 1) is one pod, which connects to itself: a pod cannot block that (S12)";
            var egressSelf = new DirectionVerdict(PolicyDirection.Egress, true, true, IsIsolated(from, PolicyDirection.Egress), IsolatingPolicies(from, PolicyDirection.Egress), [], reason);
            var ingressSelf = new DirectionVerdict(PolicyDirection.Ingress, true, true, IsIsolated(to, PolicyDirection.Ingress), IsolatingPolicies(to, PolicyDirection.Ingress), [], reason);
            return new Verdict(from, to, port, protocol, true, egressSelf, ingressSelf, SelfTraffic: true) { Self = same };
        }

        var egress = Explain(PolicyDirection.Egress, from, to, probe);
        var ingress = Explain(PolicyDirection.Ingress, to, from, probe);
        return new Verdict(from, to, port, protocol, egress.Allowed && ingress.Allowed, egress, ingress, SelfTraffic: false) { Self = same };
    }

    /// <summary>
    /// S12 applies to a pod reaching itself: a Pod, or a workload that can only be one pod
    /// (<c>replicas: 1</c>). Any other workload to itself is one replica reaching another, which
    /// policies do govern, so it is evaluated like any pair.
    /// </summary>
    private static SelfCase SameEndpoint(ConnectionEnd from, ConnectionEnd to)
        => from.IsExternal || to.IsExternal || from.EndpointIndex != to.EndpointIndex ? SelfCase.None
            : from.Endpoint!.SinglePod ? SelfCase.PodToItself : SelfCase.ReplicaToReplica;

    private bool IsIsolated(ConnectionEnd end, PolicyDirection direction)
        => !end.IsExternal && PoliciesOf(endpointIdentity[end.EndpointIndex], direction).Length > 0;

    private ImmutableArray<string> IsolatingPolicies(ConnectionEnd end, PolicyDirection direction)
        => end.IsExternal ? [] : [.. PoliciesOf(endpointIdentity[end.EndpointIndex], direction).Select(p => policies[p].Id)];

    /// <summary>
    /// One half of S8.1. <paramref name="subject"/> is the end the direction is judged on (source for
    /// egress, destination for ingress); <paramref name="peer"/> is the other end.
    /// </summary>
    private bool HalfAllowed(PolicyDirection direction, ConnectionEnd subject, ConnectionEnd peer, int port, Protocol protocol,
        List<RuleRef>? allowing)
    {
        if (subject.IsExternal)
        {
            return true; // S11: no pod on this side, so no policy governs it.
        }

        var applicable = PoliciesOf(endpointIdentity[subject.EndpointIndex], direction);
        if (applicable.Length == 0 && layers.IsEmpty)
        {
            return true; // S2.2: not isolated in this direction.
        }

        // The port is resolved on the destination (S7.4): the subject for ingress, the peer for egress.
        var destination = direction == PolicyDirection.Ingress ? subject : peer;
        var destinationIdentity = destination.IsExternal ? null : identities[endpointIdentity[destination.EndpointIndex]];
        var peerIdentity = peer.IsExternal ? -1 : endpointIdentity[peer.EndpointIndex];
        (AddressFamily Family, UInt128 Value) peerAddress = peer.IsExternal ? Cidr.ToNumber(peer.Address!) : default;
        if (!layers.IsEmpty && allowing is null
            && LayeredHalf(endpointIdentity[subject.EndpointIndex], direction,
                new ClusterRuleProbe(peerIdentity, peerAddress.Family, peerAddress.Value, protocol, port, destinationIdentity), applicable.Length > 0) is { } decided)
        {
            return decided; // S18: an admin rule, or the baseline for a pod no NetworkPolicy isolates
        }

        if (applicable.Length == 0)
        {
            return true; // S2.2: not isolated in this direction.
        }

        var allowed = false;
        foreach (var p in applicable)
        {
            foreach (var rule in policies[p].Rules(direction))
            {
                var peerMatches = peerIdentity >= 0
                    ? rule.AllPeers || rule.PeerIdentities.Contains(peerIdentity)
                    : rule.MatchesExternal(peerAddress.Family, peerAddress.Value);
                if (peerMatches && rule.Ports.Matches(protocol, port, destinationIdentity))
                {
                    if (allowing is null)
                    {
                        return true;
                    }

                    allowed = true;
                    allowing.Add(new RuleRef(policies[p].Id, rule.Index));
                }
            }
        }

        return allowed;
    }

    private DirectionVerdict Explain(PolicyDirection direction, ConnectionEnd subject, ConnectionEnd peer, PortProbe probe)
    {
        var word = direction == PolicyDirection.Ingress ? "ingress" : "egress";
        if (subject.IsExternal)
        {
            var side = direction == PolicyDirection.Ingress ? "destination" : "source";
            return new DirectionVerdict(direction, true, false, false, [], [],
                $"{subject.Display} is an external {side}: no NetworkPolicy governs its {word} (S11)");
        }

        var endpoint = subject.Endpoint!;
        var isolating = IsolatingPolicies(subject, direction);
        var layered = layers.IsEmpty ? default : ExplainLayers(direction, subject, peer, probe, !isolating.IsEmpty);
        if (layered.Verdict is { } decided)
        {
            return decided; // S18: decided by an admin or baseline rule
        }

        var passed = layered.PassedBy;
        if (isolating.IsEmpty)
        {
            var why = endpoint.HostNetwork && Options.HostNetwork == HostNetworkMode.Node
                ? $"{endpoint.Id} uses the host network, so no policy selects it (S13)"
                : $"{endpoint.Id} is not isolated for {word}: no NetworkPolicy in namespace {endpoint.Namespace} selects it for {direction} (S2.2)";
            return new DirectionVerdict(direction, true, true, false, [], [], PassedPrefix(passed) + why) { PassedBy = passed };
        }

        var allowing = new List<RuleRef>();
        var allowed = HalfAllowed(direction, subject, peer, probe.Port, probe.Protocol, allowing);
        var text = new StringBuilder(PassedPrefix(passed));
        text.Append(CultureInfo.InvariantCulture, $"{endpoint.Id} is isolated for {word} by {string.Join(", ", isolating)}; ");
        if (allowed)
        {
            text.Append(CultureInfo.InvariantCulture, $"allowed by {string.Join(", ", allowing.Select(r => $"{r.Policy} {word} rule {r.Rule}"))}");
        }
        else
        {
            var other = direction == PolicyDirection.Ingress ? "from " + peer.Display : "to " + peer.Display;
            text.Append(CultureInfo.InvariantCulture, $"no {word} rule of these policies allows {other} on {probe}");
        }

        return new DirectionVerdict(direction, allowed, true, true, isolating, [.. allowing], text.ToString())
        {
            Tier = DecidingTier.NetworkPolicy,
            PassedBy = passed,
        };
    }

    /// <summary>
    /// The ports worth probing by default: every port number the policies name (port and endPort)
    /// and every container port, with their protocols, sorted TCP, UDP, SCTP then by number.
    /// </summary>
    public IReadOnlyList<PortProbe> MentionedPorts()
    {
        var probes = new SortedSet<PortProbe>(PortProbe.Order);
        foreach (var port in Cluster.Endpoints.SelectMany(e => e.Ports))
        {
            probes.Add(new PortProbe(port.Port, port.Protocol));
        }

        foreach (var entry in Cluster.Policies.SelectMany(p => p.Ingress.Concat(p.Egress)).SelectMany(r => r.Ports))
        {
            if (entry.Port?.Number is { } number && ProtocolNames.TryParse(entry.Protocol ?? "TCP", out var protocol))
            {
                probes.Add(new PortProbe(number, protocol));
                if (entry.EndPort is { } end && end != number)
                {
                    probes.Add(new PortProbe(end, protocol));
                }
            }
        }

        AddClusterPolicyPorts(probes);
        return probes.Count > 0 ? [.. probes] : [new PortProbe(80, Protocol.TCP)];
    }
}
