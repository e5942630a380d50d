using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>The first cluster policy rule of a tier that matched a connection, and what it does.</summary>
internal readonly record struct ClusterLayerDecision(CompiledClusterPolicy Policy, CompiledClusterRule Rule)
{
    public ClusterPolicyAction Action => Rule.Action!.Value;
}
