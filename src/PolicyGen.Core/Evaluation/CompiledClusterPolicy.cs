using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>A cluster policy with its subject resolved to identities and its rules compiled, in the order they are written (S18.4).</summary>
internal sealed class CompiledClusterPolicy(ClusterPolicy source, IdentitySet subject, CompiledClusterRule[] ingress, CompiledClusterRule[] egress)
{
    public ClusterPolicy Source { get; } = source;
    public IdentitySet Subject { get; } = subject;

    public CompiledClusterRule[] Rules(PolicyDirection direction) => direction == PolicyDirection.Ingress ? ingress : egress;

    public ClusterRuleRef Ref(PolicyDirection direction, CompiledClusterRule rule)
        => new(Source.Kind, Source.Name, Source.Tier, Source.Priority, direction, rule.Index, rule.Source.Name, rule.Action ?? ClusterPolicyAction.Deny);
}
