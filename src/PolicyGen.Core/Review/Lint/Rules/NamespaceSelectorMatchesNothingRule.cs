using PolicyGen.Model;

namespace PolicyGen.Review.Lint.Rules;

/// <summary>
/// NPL002: a peer's namespaceSelector that matches no namespace of the inputs (a label no namespace
/// carries, a misspelt name). Judged only when the inputs hold Namespace objects.
/// </summary>
public sealed class NamespaceSelectorMatchesNothingRule : ILintRule
{
    public IEnumerable<LintFinding> Check(LintContext context)
    {
        if (!context.HasNamespaceObjects)
        {
            yield break;
        }

        foreach (var site in context.Rules)
        {
            for (var i = 0; i < site.Rule.Peers.Length; i++)
            {
                if (site.Rule.Peers[i].NamespaceSelector is not { IsEmpty: false } selector
                    || context.Cluster.Namespaces.Any(n => selector.Matches(n.Labels)))
                {
                    continue;
                }

                var closest = context.Cluster.Namespaces.Where(n => n.Location is not null)
                    .MinBy(n => Diagnostics.EditDistance.Between(selector.CanonicalText(), Labels.Format(n.Labels)));
                yield return LintContext.Finding(LintCodes.NamespaceSelectorMatchesNothing, LintSeverity.Warning, site.Policy, site.PeerPath(i) + ".namespaceSelector",
                    $"matches no namespace of the inputs ({selector.CanonicalText()}): this peer allows nothing",
                    "select the namespace by the labels it really carries (kubernetes.io/metadata.name=NAME always exists), or pass its Namespace manifest with -f"
                        + (closest is null ? "" : $"; closest: namespace {closest.Name} has {Labels.Format(closest.Labels)}"));
            }
        }
    }
}
