namespace PolicyGen.Evaluation;

/// <summary>A connection from an endpoint to itself, told apart as S12 needs.</summary>
public enum SelfCase
{
    /// <summary>Two different endpoints (or an external end).</summary>
    None,

    /// <summary>A pod reaching itself: a Pod, or a workload that can only be one pod (<c>replicas: 1</c>). Always allowed by default (S12).</summary>
    PodToItself,

    /// <summary>One replica of a workload reaching another replica of the same workload: policies decide, like any pair.</summary>
    ReplicaToReplica,
}
