namespace PolicyGen.Evaluation;

/// <summary>How a pod's traffic to itself is judged (S12, S16).</summary>
public enum SelfTrafficMode
{
    /// <summary>Always allowed: a pod cannot block itself (the documented behaviour, and the default).</summary>
    Allow,

    /// <summary>Evaluated like any other pair, as some CNIs do for traffic to the pod's own IP.</summary>
    Evaluate,
}

/// <summary>How hostNetwork pods are treated (S13, S16).</summary>
public enum HostNetworkMode
{
    /// <summary>Node traffic: never selected or isolated, matched only by ipBlock on the node IP (the default).</summary>
    Node,

    /// <summary>Ordinary pods.</summary>
    Pod,
}

public sealed record EvaluationOptions
{
    public static readonly EvaluationOptions Default = new();

    public SelfTrafficMode SelfTraffic { get; init; } = SelfTrafficMode.Allow;
    public HostNetworkMode HostNetwork { get; init; } = HostNetworkMode.Node;
}
