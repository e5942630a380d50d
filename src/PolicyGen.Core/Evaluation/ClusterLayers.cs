using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// The admin and baseline tiers (S18.2): per tier the compiled cluster policies in evaluation order
/// (S18.4: priority, lower first; equal priorities by kind then name, which npgen warns about), and
/// per identity and direction the policies whose subject holds it and that have rules in that direction.
/// </summary>
internal sealed class ClusterLayers
{
    public static readonly ClusterLayers None = new([], [], 0);

    private readonly CompiledClusterPolicy[] admin;
    private readonly CompiledClusterPolicy[] baseline;
    private readonly int[][][] adminOf;
    private readonly int[][][] baselineOf;

    public ClusterLayers(CompiledClusterPolicy[] admin, CompiledClusterPolicy[] baseline, int identityCount)
    {
        this.admin = admin;
        this.baseline = baseline;
        adminOf = [Index(admin, PolicyDirection.Ingress, identityCount), Index(admin, PolicyDirection.Egress, identityCount)];
        baselineOf = [Index(baseline, PolicyDirection.Ingress, identityCount), Index(baseline, PolicyDirection.Egress, identityCount)];
    }

    public bool IsEmpty => admin.Length == 0 && baseline.Length == 0;

    public IReadOnlyList<CompiledClusterPolicy> Admin => admin;
    public IReadOnlyList<CompiledClusterPolicy> Baseline => baseline;

    public IEnumerable<CompiledClusterRule> AllRules
        => admin.Concat(baseline).SelectMany(p => p.Rules(PolicyDirection.Ingress).Concat(p.Rules(PolicyDirection.Egress)));

    /// <summary>Indexes into <see cref="Admin"/> or <see cref="Baseline"/>, in evaluation order, of the policies that govern an identity in a direction.</summary>
    public int[] PoliciesOf(ClusterPolicyTier tier, int identity, PolicyDirection direction)
        => IsEmpty ? [] : (tier == ClusterPolicyTier.Admin ? adminOf : baselineOf)[(int)direction][identity];

    public CompiledClusterPolicy Policy(ClusterPolicyTier tier, int index) => tier == ClusterPolicyTier.Admin ? admin[index] : baseline[index];

    /// <summary>S18.4: the first rule of the tier, policy by policy in order and rule by rule as written, that matches; null when none does.</summary>
    public ClusterLayerDecision? Decide(ClusterPolicyTier tier, int identity, PolicyDirection direction, in ClusterRuleProbe probe)
    {
        foreach (var p in PoliciesOf(tier, identity, direction))
        {
            var policy = Policy(tier, p);
            foreach (var rule in policy.Rules(direction))
            {
                if (rule.Matches(probe))
                {
                    return new ClusterLayerDecision(policy, rule);
                }
            }
        }

        return null;
    }

    private static int[][] Index(CompiledClusterPolicy[] policies, PolicyDirection direction, int identityCount)
    {
        var lists = new List<int>?[identityCount];
        for (var p = 0; p < policies.Length; p++)
        {
            if (policies[p].Rules(direction).Length == 0)
            {
                continue; // no rules in this direction: the policy does not touch it
            }

            foreach (var identity in policies[p].Subject.Ones())
            {
                (lists[identity] ??= []).Add(p);
            }
        }

        return [.. lists.Select(l => l?.ToArray() ?? [])];
    }
}
