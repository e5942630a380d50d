using PolicyGen.Model;

namespace PolicyGen.Review.Lint.Rules;

/// <summary>
/// NPL008: a named port that no destination pod declares with that protocol. Named ports resolve
/// on the destination (S7.4): for an ingress rule the policy's own pods, for an egress rule the
/// peer's pods. Judged only when some destination pod declares container ports at all.
/// </summary>
public sealed class NamedPortUndeclaredRule : ILintRule
{
    public IEnumerable<LintFinding> Check(LintContext context)
    {
        foreach (var site in context.Rules)
        {
            var destinations = (site.Direction == PolicyDirection.Ingress
                ? context.Selected(site.Policy)
                : site.Rule.Peers.IsEmpty ? context.Cluster.Endpoints : site.Rule.Peers.SelectMany(p => context.PeerPods(site.Policy, p)))
                .Distinct().ToList();
            if (!destinations.Any(d => d.Ports.Length > 0))
            {
                continue;
            }

            for (var i = 0; i < site.Rule.Ports.Length; i++)
            {
                var port = site.Rule.Ports[i];
                if (port.Port?.Name is not { } name || !Enum.TryParse<Protocol>(RuleCoverage.ProtocolOf(port), out var protocol))
                {
                    continue;
                }

                if (destinations.Any(d => d.Ports.Any(c => c.Name == name && c.Protocol == protocol)))
                {
                    continue;
                }

                var sameName = destinations.SelectMany(d => d.Ports.Where(c => c.Name == name).Select(c => $"{d.Id} has {name}={c.Port}/{c.Protocol}")).FirstOrDefault();
                var declared = string.Join(", ", destinations.SelectMany(d => d.Ports).Select(c => c.Name).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(8));
                yield return LintContext.Finding(LintCodes.NamedPortUndeclared, LintSeverity.Warning, site.Policy, site.PortPath(i) + ".port",
                    $"no {(site.Direction == PolicyDirection.Ingress ? "selected" : "destination")} pod declares a {protocol} port named {name}: this entry matches nothing",
                    sameName is not null
                        ? $"the protocol differs ({sameName}): set protocol to match (an omitted protocol is TCP)"
                        : $"use a name the pods declare ({(declared.Length == 0 ? "none is named" : declared)}) or a port number");
            }
        }
    }
}
