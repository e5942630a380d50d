using PolicyGen.Model;

namespace PolicyGen.Review.Lint.Rules;

/// <summary>
/// NPL003: a pod isolated for egress whose policies allow some egress but no DNS query (53/UDP to
/// any peer): every name lookup times out, which looks like the called service being down. A pod
/// whose egress is denied entirely is left alone: that is a deliberate lockdown, DNS included.
/// </summary>
public sealed class NoDnsPathRule : ILintRule
{
    private const int DnsPort = 53;

    public IEnumerable<LintFinding> Check(LintContext context)
    {
        foreach (var endpoint in context.Cluster.Endpoints)
        {
            var policies = context.PoliciesIsolating(endpoint, PolicyDirection.Egress).ToList();
            var rules = policies.SelectMany(p => p.Egress).ToList();
            if (rules.Count == 0 || rules.Any(r => AllowsDns(context, r)))
            {
                continue;
            }

            yield return LintContext.Finding(LintCodes.NoDnsPath, LintSeverity.Warning, endpoint,
                $"isolated for egress by {string.Join(", ", policies.Select(p => p.Id))}, which allow some egress but no DNS (53/UDP): name lookups fail",
                "add an egress rule to the DNS pods on 53/UDP and 53/TCP, e.g. to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]");
        }
    }

    /// <summary>The rule reaches some peer on 53/UDP (S4.2: no ports means every port; S7.4: a named port resolving to 53/UDP on some pod).</summary>
    private static bool AllowsDns(LintContext context, PolicyRule rule)
        => rule.Ports.IsEmpty || rule.Ports.Any(p => RuleCoverage.ProtocolOf(p) == "UDP" && p.Port switch
        {
            null => true,
            { Number: { } low } => low <= DnsPort && DnsPort <= (p.EndPort ?? low),
            { Name: { } name } => context.Cluster.Endpoints.Any(e => e.Ports.Any(c => c.Name == name && c.Port == DnsPort && c.Protocol == Protocol.UDP)),
            _ => false,
        });
}
