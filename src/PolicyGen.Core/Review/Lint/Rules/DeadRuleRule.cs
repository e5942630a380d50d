using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Review.Lint.Rules;

/// <summary>
/// NPL011: a rule every connection of which the other end's stricter policies deny: an egress rule
/// to pods that are isolated for ingress and accept none of it, or an ingress rule from pods whose
/// egress allows none of it (S8.1: allowed = egress AND ingress). The rule reads as a permission
/// and grants nothing. Judged on the pods of the inputs, for rules whose peers are all selectors.
/// </summary>
public sealed class DeadRuleRule : ILintRule
{
    /// <summary>Pairs × ports above which a rule is not judged (the lint stays quick on a whole cluster).</summary>
    private const long Budget = 200_000;

    public IEnumerable<LintFinding> Check(LintContext context)
    {
        if (!context.HasEndpoints)
        {
            yield break;
        }

        foreach (var site in context.Rules.Where(s => s.InEffect && !s.Rule.Peers.IsEmpty && s.Rule.Peers.All(p => p.IpBlock is null)))
        {
            if (context.Rejected.Contains(site.Policy.Id))
            {
                continue;
            }

            var own = context.Selected(site.Policy).ToList();
            var peers = site.Rule.Peers.SelectMany(p => context.PeerPods(site.Policy, p)).Distinct().ToList();
            var ingress = site.Direction == PolicyDirection.Ingress;
            var (clients, servers) = ingress ? (peers, own) : (own, peers);
            var probes = Probes(context, site.Rule);
            if (clients.Count == 0 || servers.Count == 0 || (long)clients.Count * servers.Count * Math.Max(1, probes.Count) > Budget)
            {
                continue;
            }

            Verdict? sample = null;
            var alive = false;
            foreach (var client in clients)
            {
                foreach (var server in servers.Where(s => s != client))
                {
                    foreach (var (port, protocol) in PortsFor(site.Rule, probes, server))
                    {
                        var verdict = context.Evaluator.Evaluate(End(context, client), End(context, server), port, protocol);
                        alive |= ingress ? verdict.Egress.Allowed : verdict.Ingress.Allowed;
                        sample ??= verdict;
                    }

                    if (alive)
                    {
                        break;
                    }
                }

                if (alive)
                {
                    break;
                }
            }

            if (alive || sample is null)
            {
                continue;
            }

            var other = ingress ? sample.Egress : sample.Ingress;
            var side = ingress ? $"the clients' egress ({string.Join(", ", other.IsolatingPolicies)})" : $"the servers' ingress ({string.Join(", ", other.IsolatingPolicies)})";
            yield return LintContext.Finding(LintCodes.DeadRule, LintSeverity.Warning, site.Policy, site.Path,
                $"allows nothing in practice: {side} denies every connection it matches (e.g. {sample.From.Display} -> {sample.To.Display} {new PortProbe(sample.Port, sample.Protocol)})",
                ingress ? "allow the same flow in the clients' egress policies, or remove this rule" : "allow the same flow in the servers' ingress policies, or remove this rule");
        }
    }

    private static ConnectionEnd End(LintContext context, Endpoint endpoint)
        => context.Evaluator.TryResolve(endpoint.Id, out var end, out _) ? end! : throw new InvalidOperationException($"endpoint {endpoint.Id} is not in the evaluator");

    /// <summary>The ports to try: each entry's first port, and every port the inputs mention that an entry admits.</summary>
    private static List<PortProbe> Probes(LintContext context, PolicyRule rule)
    {
        var mentioned = context.Evaluator.MentionedPorts();
        if (rule.Ports.IsEmpty)
        {
            return [.. mentioned];
        }

        var probes = new List<PortProbe>();
        foreach (var entry in rule.Ports.Where(e => e.Port?.Name is null))
        {
            if (!Enum.TryParse<Protocol>(RuleCoverage.ProtocolOf(entry), out var protocol))
            {
                continue;
            }

            if (entry.Port?.Number is { } low)
            {
                probes.Add(new PortProbe(low, protocol));
                probes.AddRange(mentioned.Where(m => m.Protocol == protocol && m.Port > low && m.Port <= (entry.EndPort ?? low)));
            }
            else
            {
                probes.AddRange(mentioned.Where(m => m.Protocol == protocol).DefaultIfEmpty(new PortProbe(1, protocol)));
            }
        }

        return [.. probes.Distinct()];
    }

    /// <summary>The probes, plus the named ports of the rule resolved on this server (S7.4).</summary>
    private static IEnumerable<(int Port, Protocol Protocol)> PortsFor(PolicyRule rule, List<PortProbe> probes, Endpoint server)
    {
        foreach (var probe in probes)
        {
            yield return (probe.Port, probe.Protocol);
        }

        foreach (var entry in rule.Ports.Where(e => e.Port?.Name is not null))
        {
            foreach (var port in server.Ports.Where(c => c.Name == entry.Port!.Name && c.Protocol.ToString() == RuleCoverage.ProtocolOf(entry)))
            {
                yield return (port.Port, port.Protocol);
            }
        }
    }
}
