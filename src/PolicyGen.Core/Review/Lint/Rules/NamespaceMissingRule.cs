namespace PolicyGen.Review.Lint.Rules;

/// <summary>
/// NPL009: a policy in a namespace that no Namespace object of the inputs declares: applying it
/// fails (the namespace is not found), or it lands in a namespace nobody meant. Judged only when
/// the inputs hold Namespace objects.
/// </summary>
public sealed class NamespaceMissingRule : ILintRule
{
    public IEnumerable<LintFinding> Check(LintContext context)
    {
        if (!context.HasNamespaceObjects)
        {
            yield break;
        }

        foreach (var policy in context.Cluster.Policies.Where(p => !context.IsDeclared(p.Namespace)))
        {
            var closest = context.Cluster.Namespaces.Where(n => n.Location is not null)
                .MinBy(n => Diagnostics.EditDistance.Between(policy.Namespace, n.Name));
            yield return LintContext.Finding(LintCodes.NamespaceMissing, LintSeverity.Warning, policy, "metadata.namespace",
                $"namespace {policy.Namespace} is not among the inputs' Namespace objects: applying the policy fails, or it protects nothing",
                closest is null ? "create the namespace, or correct metadata.namespace" : $"correct metadata.namespace (did you mean {closest.Name}?), or pass the Namespace manifest with -f");
        }
    }
}
