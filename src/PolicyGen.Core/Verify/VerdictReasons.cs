using PolicyGen.Evaluation;

namespace PolicyGen.Verify;

/// <summary>Why the evaluator allowed or denied a flow, in the words messages use (rule numbers, isolation reasons).</summary>
internal static class VerdictReasons
{
    /// <summary>The rules that allow the flow, or why nothing needed to.</summary>
    public static string Allowing(Verdict verdict)
    {
        var rules = verdict.Ingress.AllowingRules.Select(r => $"policy {r.Policy} ingress rule {r.Rule}")
            .Concat(verdict.Egress.AllowingRules.Select(r => $"policy {r.Policy} egress rule {r.Rule}")).ToList();
        if (rules.Count > 0)
        {
            return string.Join(", ", rules);
        }

        return !verdict.Ingress.Isolated && !verdict.Egress.Isolated ? "no policy isolates either end" : verdict.Ingress.Isolated ? verdict.Egress.Reason : verdict.Ingress.Reason;
    }

    /// <summary>The side that denies the flow, egress first.</summary>
    public static string Denying(Verdict verdict) => !verdict.Egress.Allowed ? verdict.Egress.Reason : verdict.Ingress.Reason;
}
