using PolicyGen.Model;

namespace PolicyGen.Evaluation;

internal sealed class CompiledPolicy(NetworkPolicy source, CompiledRule[] ingress, CompiledRule[] egress)
{
    public NetworkPolicy Source { get; } = source;
    public string Id { get; } = source.Id;

    /// <summary>Rules of a direction the policy applies to (S3); empty otherwise.</summary>
    public CompiledRule[] Rules(PolicyDirection direction) => direction == PolicyDirection.Ingress ? ingress : egress;
}
