using PolicyGen.Model;

namespace PolicyGen.Review.Lint.Rules;

/// <summary>
/// NPL010: a namespace has a default deny in a direction (podSelector {} and no rules), and a
/// policy of the same namespace has an allow-all rule (<c>{}</c>: no peers, no ports) in that
/// direction: policies are a union (S9), so the deny is void for the pods that policy selects.
/// </summary>
public sealed class AllowAllDefeatsDefaultDenyRule : ILintRule
{
    public IEnumerable<LintFinding> Check(LintContext context)
    {
        foreach (var site in context.Rules.Where(s => s.InEffect && s.Rule.Peers.IsEmpty && s.Rule.Ports.IsEmpty))
        {
            var deny = context.Cluster.Policies.FirstOrDefault(p => p.Namespace == site.Policy.Namespace && p != site.Policy
                && p.PodSelector.IsEmpty && p.AppliesTo(site.Direction) && p.Rules(site.Direction).IsEmpty);
            if (deny is null)
            {
                continue;
            }

            var direction = site.Direction == PolicyDirection.Ingress ? "ingress" : "egress";
            var scope = site.Policy.PodSelector.IsEmpty ? "every pod of the namespace" : $"the pods it selects ({site.Policy.PodSelector.CanonicalText()})";
            yield return LintContext.Finding(LintCodes.AllowAllDefeatsDefaultDeny, LintSeverity.Warning, site.Policy, site.Path,
                $"allows all {direction} (an empty rule) for {scope}, which voids the default deny {deny.Id}",
                $"list the peers and ports this {direction} needs instead of {{}}");
        }
    }
}
