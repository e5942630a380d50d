using System.Collections.Immutable;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// One half of a connection (egress on the client, ingress on the server) judged two ways: as the
/// intent with <c>spec.cluster</c> means it, and as the layers decide it. Layers: admin-tier
/// policies by priority, first matching rule of each (Allow and Deny final, Pass goes to
/// NetworkPolicy); then NetworkPolicy, final for a pod it isolates; then the baseline tier; then allow.
/// An address end has no half of its own (S11).
/// </summary>
internal sealed class ClusterLayers(NetworkIntent intent, ClusterIntent cluster, WitnessWorld world, ImmutableArray<ClusterPolicyObject> objects)
{
    private readonly ImmutableArray<ClusterPolicyObject> admin = [.. objects.Where(o => o.Tier == ClusterTier.Admin)
        .OrderBy(o => o.Priority).ThenBy(o => o.Id, StringComparer.Ordinal)];

    private readonly ImmutableArray<ClusterPolicyObject> baseline = [.. objects.Where(o => o.Tier == ClusterTier.Baseline)
        .OrderBy(o => o.Priority).ThenBy(o => o.Id, StringComparer.Ordinal)];

    private bool Covers(string ns) => cluster.Covers(ns, world.NamespaceLabels[ns]);

    private bool IsDns(PortProbe probe) => cluster.Dns && probe.Port == 53 && probe.Protocol is Protocol.UDP or Protocol.TCP;

    private bool Matches(Peer peer, Witness witness) => PeerMatching.Matches(peer, witness, world);

    private bool Monitors(PortProbe probe) => cluster.Monitoring is { } m && m.Ports.Any(p => p.Contains(probe.Protocol, probe.Port));

    /// <summary>What the intent means for the server's side: protected, DNS servers, monitoring, its NetworkPolicy meaning, the baseline.</summary>
    public bool IntendedIngress(Witness server, Witness client, PortProbe probe, Bitset? row, int clientIndex)
    {
        if (!server.IsPod)
        {
            return true;
        }

        var ns = server.Pod!.Namespace;
        if (cluster.IsProtected(ns) && client.IsPod && client.Pod!.Namespace != ns)
        {
            return false;
        }

        if (IsDns(probe) && client.IsPod && Covers(client.Pod!.Namespace) && intent.Dns.Peers.Any(p => p is not NetworkPeer && Matches(p, server)))
        {
            return true;
        }

        if (Monitors(probe) && Covers(ns) && Matches(cluster.Monitoring!.From, client))
        {
            return true;
        }

        if (row is not null)
        {
            return row[clientIndex];
        }

        return !(cluster.BaselineDenyIngress && Covers(ns) && client.IsPod);
    }

    /// <summary>What the intent means for the client's side: DNS, monitoring, its NetworkPolicy meaning, the baseline.</summary>
    public bool IntendedEgress(Witness client, Witness server, PortProbe probe, Bitset? row, int serverIndex)
    {
        if (!client.IsPod)
        {
            return true;
        }

        var ns = client.Pod!.Namespace;
        if (IsDns(probe) && Covers(ns) && intent.Dns.Peers.Any(p => Matches(p, server)))
        {
            return true;
        }

        if (Monitors(probe) && server.IsPod && Covers(server.Pod!.Namespace) && Matches(cluster.Monitoring!.From, client))
        {
            return true;
        }

        if (row is not null)
        {
            return row[serverIndex];
        }

        return !(cluster.BaselineDenyEgress && Covers(ns));
    }

    /// <summary>What the layers decide for <paramref name="subject"/>'s half, and which layer decided, in words.</summary>
    public (bool Allowed, string Why) Actual(PolicyDirection direction, Witness subject, Witness other, PortProbe probe, DirectionVerdict networkPolicy)
    {
        if (!subject.IsPod)
        {
            return (true, "an address has no side of its own");
        }

        switch (Decide(admin, direction, subject, other, probe))
        {
            case ({ } allowed, var why):
                return (allowed, why);
            default:
                break; // no admin rule matched, or a Pass: NetworkPolicy decides next
        }

        if (networkPolicy.Isolated)
        {
            return (networkPolicy.Allowed, $"NetworkPolicy: {networkPolicy.Reason}");
        }

        return Decide(baseline, direction, subject, other, probe) is ({ } decided, var reason)
            ? (decided, reason)
            : (true, $"no policy of any tier decides the {direction.ToString().ToLowerInvariant()} of {subject.FullDisplay}");
    }

    private (bool? Allowed, string Why) Decide(ImmutableArray<ClusterPolicyObject> tier, PolicyDirection direction, Witness subject, Witness other, PortProbe probe)
    {
        var labels = world.NamespaceLabels[subject.Pod!.Namespace];
        foreach (var policy in tier.Where(p => p.Subject.MatchesPod(labels, subject.Pod!)))
        {
            var rule = (direction == PolicyDirection.Ingress ? policy.Ingress : policy.Egress)
                .FirstOrDefault(r => r.MatchesPort(probe.Port, probe.Protocol) && r.Peers.Any(p => PeerMatches(p, other)));
            if (rule is null)
            {
                continue;
            }

            var why = $"{policy.Tier.ToString().ToLowerInvariant()} tier: {policy.Id} {direction.ToString().ToLowerInvariant()} rule {rule.Name} says {rule.Action}";
            return rule.Action switch
            {
                ClusterAction.Allow => (true, why),
                ClusterAction.Deny => (false, why),
                _ => (null, why),
            };
        }

        return (null, "");
    }

    private bool PeerMatches(ClusterSelection peer, Witness other)
        => other.IsPod ? peer.MatchesPod(world.NamespaceLabels[other.Pod!.Namespace], other.Pod!) : peer.MatchesAddress(other.Address!);
}
