namespace PolicyGen.Review.Lint.Rules;

/// <summary>
/// NPL000 (info): what the inputs do not allow to check, so that "no findings" is never read as
/// "checked and fine": selectors need pods, namespace checks need Namespace objects, and policies
/// the API server rejects are left out of the dead-rule check.
/// </summary>
public sealed class NotCheckedRule : ILintRule
{
    public IEnumerable<LintFinding> Check(LintContext context)
    {
        var inputs = new LintObject("Inputs", "", "");
        if (!context.HasEndpoints)
        {
            yield return new LintFinding(LintCodes.NotChecked, LintSeverity.Info, inputs, "", null,
                "no pods or workloads in the inputs: selectors that match nothing, DNS paths, named ports, ipBlocks holding pods and dead rules were not checked",
                "pass the workloads too: -f k8s/ or kubectl get ns,deploy,sts,ds,pods -A -o yaml | npgen lint -f - -f policies/");
        }

        if (!context.HasNamespaceObjects)
        {
            yield return new LintFinding(LintCodes.NotChecked, LintSeverity.Info, inputs, "", null,
                "no Namespace objects in the inputs: namespace selectors and the policies' namespaces were not checked",
                "pass the Namespace manifests too (kubectl get ns -o yaml)");
        }

        foreach (var policy in context.Cluster.Policies.Where(p => context.Rejected.Contains(p.Id)))
        {
            yield return LintContext.Finding(LintCodes.NotChecked, LintSeverity.Info, policy, "",
                "the API server would reject this policy: it is left out when judging which rules are dead",
                "npgen validate -f ... names every problem");
        }
    }
}
