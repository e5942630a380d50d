using PolicyGen.Model;

namespace PolicyGen.Review.Lint;

/// <summary>One ingress or egress rule of a policy, with the field path the API server gives it (<c>spec.ingress[2]</c>).</summary>
public sealed record RuleSite(NetworkPolicy Policy, PolicyDirection Direction, int Index, PolicyRule Rule)
{
    public string Path => $"spec.{(Direction == PolicyDirection.Ingress ? "ingress" : "egress")}[{Index}]";

    /// <summary><c>from</c> for ingress, <c>to</c> for egress.</summary>
    public string PeerList => Direction == PolicyDirection.Ingress ? "from" : "to";

    public string PeerPath(int peer) => $"{Path}.{PeerList}[{peer}]";

    public string PortPath(int port) => $"{Path}.ports[{port}]";

    /// <summary>S3: a rule of a direction the policy's policyTypes leave out neither isolates nor allows.</summary>
    public bool InEffect => Policy.AppliesTo(Direction);
}
