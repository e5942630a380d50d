namespace PolicyGen.Evaluation;

/// <summary>One cell of the reachability matrix: both halves and their conjunction (S8.1).</summary>
public readonly record struct PairVerdict(bool Allowed, bool Ingress, bool Egress);
