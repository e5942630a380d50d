using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>S8.1: allowed = egress(source) AND ingress(destination), with both halves explained.</summary>
public sealed record Verdict(
    ConnectionEnd From,
    ConnectionEnd To,
    int Port,
    Protocol Protocol,
    bool Allowed,
    DirectionVerdict Egress,
    DirectionVerdict Ingress,
    bool SelfTraffic)
{
    /// <summary>Whether both ends are the same endpoint, and then whether that is a pod reaching itself or one replica reaching another.</summary>
    public SelfCase Self { get; init; }
}
