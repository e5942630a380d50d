using System.Collections.Immutable;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// The verdict of one half of a connection (S8.1): egress is judged on the source, ingress on the
/// destination, and each says why.
/// </summary>
/// <param name="Applies">False when that end is an external address, which no policy governs (S11).</param>
/// <param name="Isolated">Whether some policy isolates the pod in this direction (S2.1).</param>
/// <param name="IsolatingPolicies">The policies that select the pod for this direction, sorted.</param>
/// <param name="AllowingRules">Every rule of those policies that matches the connection (S4.1).</param>
/// <param name="Reason">One sentence a person can read.</param>
public sealed record DirectionVerdict(
    PolicyDirection Direction,
    bool Allowed,
    bool Applies,
    bool Isolated,
    ImmutableArray<string> IsolatingPolicies,
    ImmutableArray<RuleRef> AllowingRules,
    string Reason)
{
    /// <summary>Which layer decided (S18.2): an admin rule, NetworkPolicy, a baseline rule, or nothing (default allow).</summary>
    public DecidingTier Tier { get; init; }

    /// <summary>The admin or baseline rule that decided, when <see cref="Tier"/> is Admin or Baseline.</summary>
    public ClusterRuleRef? ClusterRule { get; init; }

    /// <summary>The admin rule whose Pass handed the decision to NetworkPolicy and the baseline (S18.3), if one did.</summary>
    public ClusterRuleRef? PassedBy { get; init; }
}
