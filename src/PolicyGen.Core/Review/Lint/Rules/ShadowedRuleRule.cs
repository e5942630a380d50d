using PolicyGen.Model;

namespace PolicyGen.Review.Lint.Rules;

/// <summary>
/// NPL004: a rule that a broader rule of the same policy set already allows (same namespace and
/// direction, a policy that selects at least the same pods, peers and ports that contain this
/// rule's): it changes nothing, and a reviewer who narrows it believes something was tightened.
/// Of two identical rules the later one is reported.
/// </summary>
public sealed class ShadowedRuleRule : ILintRule
{
    public IEnumerable<LintFinding> Check(LintContext context)
    {
        var sites = context.Rules.Where(s => s.InEffect).ToList();
        foreach (var group in sites.GroupBy(s => (s.Policy.Namespace, s.Direction)))
        {
            var list = group.ToList();
            for (var j = 0; j < list.Count; j++)
            {
                var inner = list[j];
                var broader = list.Where((outer, i) => i != j && Shadows(context, outer, inner)
                        && !(i > j && Shadows(context, inner, outer)))
                    .FirstOrDefault();
                if (broader is null)
                {
                    continue;
                }

                var where = broader.Policy == inner.Policy ? broader.Path : $"{broader.Policy.Id} {broader.Path}";
                yield return LintContext.Finding(LintCodes.ShadowedRule, LintSeverity.Warning, inner.Policy, inner.Path,
                    $"allows nothing that {where} does not already allow (it selects these pods too, with peers and ports that contain this rule's)",
                    "remove this rule, or narrow the broader one if this rule says what was meant");
            }
        }
    }

    private static bool Shadows(LintContext context, RuleSite outer, RuleSite inner)
        => RuleCoverage.Covers(outer.Policy.PodSelector, inner.Policy.PodSelector)
            && RuleCoverage.Covers(context, inner.Policy.Namespace, outer.Rule, inner.Rule);
}
