using System.Globalization;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>A cluster policy rule that decided (or passed) one direction of a connection (S18).</summary>
/// <param name="Rule">The rule's index in its direction's list, counted from 0 like NetworkPolicy rules.</param>
public sealed record ClusterRuleRef(ClusterPolicyKind Kind, string Policy, ClusterPolicyTier Tier, int? Priority,
    PolicyDirection Direction, int Rule, string? RuleName, ClusterPolicyAction Action)
{
    /// <summary><c>AdminNetworkPolicy deny-monitoring (priority 10) egress rule 0 "no-scrape"</c>.</summary>
    public string Describe()
    {
        var tier = Kind == ClusterPolicyKind.ClusterNetworkPolicy ? $" tier {Tier}" : "";
        var priority = Priority is { } p ? $" (priority {p.ToString(CultureInfo.InvariantCulture)})" : "";
        var name = string.IsNullOrEmpty(RuleName) ? "" : $" \"{RuleName}\"";
        var direction = Direction == PolicyDirection.Ingress ? "ingress" : "egress";
        return $"{Kind} {Policy}{tier}{priority} {direction} rule {Rule.ToString(CultureInfo.InvariantCulture)}{name}";
    }
}
