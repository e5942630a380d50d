namespace PolicyGen.Evaluation;

/// <summary>Which layer decided one direction of a connection (S18.2).</summary>
public enum DecidingTier
{
    /// <summary>Nothing restricts it: no policy governs this end in this direction (default allow), or S11/S12 apply.</summary>
    None,

    /// <summary>An admin tier rule (AdminNetworkPolicy, ClusterNetworkPolicy tier Admin) allowed or denied it.</summary>
    Admin,

    /// <summary>NetworkPolicy isolates the pod in this direction and its rules decided.</summary>
    NetworkPolicy,

    /// <summary>No NetworkPolicy isolates the pod; a baseline rule (BaselineAdminNetworkPolicy, ClusterNetworkPolicy tier Baseline) decided.</summary>
    Baseline,
}
