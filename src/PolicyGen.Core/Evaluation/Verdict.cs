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
    bool SelfTraffic);
