using System.Net.Sockets;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>The layered order of S18 on one direction of a connection: admin tier, NetworkPolicy, baseline, default allow.</summary>
public sealed partial class PolicyEvaluator
{
    internal ClusterLayers Layers => layers;

    /// <summary>
    /// S18.2-S18.4 for one direction: true or false when an admin rule (Allow/Deny) or, for a pod no
    /// NetworkPolicy isolates in this direction, a baseline rule decides; null when NetworkPolicy
    /// decides (the pod is isolated) or nothing does (default allow).
    /// </summary>
    private bool? LayeredHalf(int identity, PolicyDirection direction, in ClusterRuleProbe probe, bool isolated)
    {
        var admin = layers.Decide(ClusterPolicyTier.Admin, identity, direction, probe);
        if (admin is { Action: not ClusterPolicyAction.Pass } final)
        {
            return final.Action == ClusterPolicyAction.Allow;
        }

        if (isolated)
        {
            return null;
        }

        // S18.5: Pass in the baseline tier hands over to the default, which allows.
        return layers.Decide(ClusterPolicyTier.Baseline, identity, direction, probe) is { } baseline
            ? baseline.Action != ClusterPolicyAction.Deny
            : null;
    }

    /// <summary>The explained form of <see cref="LayeredHalf"/>: a verdict when a cluster rule decided, otherwise the admin rule that passed, if any.</summary>
    private (DirectionVerdict? Verdict, ClusterRuleRef? PassedBy) ExplainLayers(PolicyDirection direction, ConnectionEnd subject, ConnectionEnd peer,
        PortProbe port, bool isolated)
    {
        var identity = endpointIdentity[subject.EndpointIndex];
        var destination = direction == PolicyDirection.Ingress ? subject : peer;
        var (family, address) = peer.IsExternal ? Cidr.ToNumber(peer.Address!) : (AddressFamily.Unspecified, UInt128.Zero);
        var probe = new ClusterRuleProbe(peer.IsExternal ? -1 : endpointIdentity[peer.EndpointIndex], family, address, port.Protocol, port.Port,
            destination.IsExternal ? null : identities[endpointIdentity[destination.EndpointIndex]]);
        var word = direction == PolicyDirection.Ingress ? "ingress" : "egress";
        var other = direction == PolicyDirection.Ingress ? "from " + peer.Display : "to " + peer.Display;
        var admin = layers.Decide(ClusterPolicyTier.Admin, identity, direction, probe);
        if (admin is { Action: not ClusterPolicyAction.Pass } final)
        {
            var rule = final.Policy.Ref(direction, final.Rule);
            var reason = final.Action == ClusterPolicyAction.Allow
                ? $"{subject.Display} {word} {other} on {port} allowed by {rule.Describe()}, before any NetworkPolicy (S18.3)"
                : $"{subject.Display} {word} {other} on {port} denied by {rule.Describe()}, which no NetworkPolicy can override (S18.3)";
            return (LayerVerdict(direction, final.Action == ClusterPolicyAction.Allow, isolated, subject, reason, DecidingTier.Admin, rule, null), null);
        }

        var passed = admin is { } pass ? pass.Policy.Ref(direction, pass.Rule) : null;
        if (isolated)
        {
            return (null, passed);
        }

        if (layers.Decide(ClusterPolicyTier.Baseline, identity, direction, probe) is not { } baseline)
        {
            return (null, passed);
        }

        var baseRule = baseline.Policy.Ref(direction, baseline.Rule);
        var outcome = baseline.Action switch
        {
            ClusterPolicyAction.Allow => $"allowed by {baseRule.Describe()}",
            ClusterPolicyAction.Deny => $"denied by {baseRule.Describe()}",
            _ => $"{baseRule.Describe()} passes it on, so the default allows it",
        };
        var text = $"{PassedPrefix(passed)}no NetworkPolicy isolates {subject.Display} for {word}, so the baseline applies: {word} {other} on {port} {outcome} (S18.5)";
        return (LayerVerdict(direction, baseline.Action != ClusterPolicyAction.Deny, false, subject, text, DecidingTier.Baseline, baseRule, passed), passed);
    }

    private DirectionVerdict LayerVerdict(PolicyDirection direction, bool allowed, bool isolated, ConnectionEnd subject, string reason,
        DecidingTier tier, ClusterRuleRef rule, ClusterRuleRef? passed)
        => new(direction, allowed, true, isolated, IsolatingPolicies(subject, direction), [], reason)
        {
            Tier = tier,
            ClusterRule = rule,
            PassedBy = passed,
        };

    private static string PassedPrefix(ClusterRuleRef? passed)
        => passed is null ? "" : $"{passed.Describe()} passes it to NetworkPolicy (S18.3); ";

    /// <summary>Port numbers the cluster policies name are worth probing too.</summary>
    private void AddClusterPolicyPorts(SortedSet<PortProbe> probes)
    {
        foreach (var rule in layers.AllRules)
        {
            foreach (var (protocol, low, high) in rule.Ports.Ranges)
            {
                if (low == 1 && high == 65535)
                {
                    continue;
                }

                probes.Add(new PortProbe(low, protocol));
                if (high != low)
                {
                    probes.Add(new PortProbe(high, protocol));
                }
            }
        }
    }
}
