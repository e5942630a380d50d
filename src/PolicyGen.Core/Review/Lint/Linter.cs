using System.Collections.Immutable;
using PolicyGen.Model;
using PolicyGen.Review.Lint.Rules;

namespace PolicyGen.Review.Lint;

/// <summary>
/// <c>npgen lint</c>: runs every rule over the policies and the namespaces, pods and workloads of
/// the same inputs, and sorts the findings (file, line, column, code) so output is deterministic.
/// </summary>
public static class Linter
{
    public static ImmutableArray<ILintRule> AllRules { get; } =
    [
        new NotCheckedRule(),
        new SelectorMatchesNothingRule(),
        new NamespaceSelectorMatchesNothingRule(),
        new NoDnsPathRule(),
        new ShadowedRuleRule(),
        new IpBlockHoldsPodsRule(),
        new IpBlocksOverlapRule(),
        new ExceptOutsideCidrRule(),
        new NamedPortUndeclaredRule(),
        new NamespaceMissingRule(),
        new AllowAllDefeatsDefaultDenyRule(),
        new DeadRuleRule(),
    ];

    public static LintReport Lint(Cluster cluster)
    {
        var context = new LintContext(cluster);
        var findings = AllRules.SelectMany(r => r.Check(context))
            .OrderBy(f => f.Location?.File ?? "", StringComparer.Ordinal)
            .ThenBy(f => f.Location?.Line ?? 0).ThenBy(f => f.Location?.Column ?? 0)
            .ThenBy(f => f.Code, StringComparer.Ordinal)
            .ThenBy(f => f.Subject.ToString(), StringComparer.Ordinal)
            .ThenBy(f => f.Field, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal);
        return new LintReport([.. findings], cluster.Policies.Length, cluster.Endpoints.Length, cluster.Namespaces.Count(n => n.Location is not null));
    }
}
