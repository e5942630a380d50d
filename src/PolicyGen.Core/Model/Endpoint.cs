using System.Collections.Immutable;
using System.Net;
using PolicyGen.Diagnostics;

namespace PolicyGen.Model;

/// <summary>
/// Something that opens or accepts connections: a Pod, or a workload (Deployment, StatefulSet, ...)
/// standing for the pods of its template. Named <c>namespace/name</c>.
/// </summary>
public sealed record Endpoint
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }

    /// <summary>The manifest kind it came from: Pod, Deployment, StatefulSet, ...</summary>
    public required string Kind { get; init; }

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = Model.Labels.Empty;
    public ImmutableArray<IPAddress> Addresses { get; init; } = [];
    public ImmutableArray<ContainerPort> Ports { get; init; } = [];

    /// <summary>hostNetwork pods are node traffic by default (S13).</summary>
    public bool HostNetwork { get; init; }

    public SourceLocation? Location { get; init; }

    /// <summary>
    /// <c>spec.replicas</c> of a Deployment, StatefulSet, ReplicaSet or ReplicationController, as
    /// written; null when absent (an autoscaler may then set it) or for other kinds.
    /// </summary>
    public int? Replicas { get; init; }

    /// <summary>
    /// Whether this endpoint can only ever be one pod: a Pod, or a workload with <c>replicas: 1</c>.
    /// Its connection to itself is then a pod reaching itself (S12); for other workloads it is one
    /// replica reaching another, which policies decide.
    /// </summary>
    public bool SinglePod => Kind == "Pod" || (Replicas == 1 && Kind is "Deployment" or "StatefulSet" or "ReplicaSet" or "ReplicationController");

    public string Id => $"{Namespace}/{Name}";
}
