namespace PolicyGen.Model;

/// <summary>A <c>pods</c> subject or peer: pods matching <see cref="PodSelector"/> in namespaces matching <see cref="NamespaceSelector"/> (both required, <c>{}</c> is everything).</summary>
public sealed record NamespacedPods(LabelSelector NamespaceSelector, LabelSelector PodSelector)
{
    /// <summary>Stands for a selector that was not written: it matches nothing, so a policy missing one does not widen (validation reports it).</summary>
    public static readonly LabelSelector MissingSelector = new()
    {
        MatchExpressions = [new LabelSelectorRequirement("npgen.dev/missing-selector", LabelOperators.Exists, [])],
    };
}
