using System.Collections.Immutable;
using PolicyGen.Model;

namespace PolicyGen.Workloads;

/// <summary>One app of the generated topology: the pods of one Deployment, StatefulSet or DaemonSet.</summary>
/// <param name="Name">The app label value, unique within its namespace.</param>
/// <param name="Labels">The pod template labels (no per-pod noise labels).</param>
/// <param name="Replicas">Pods after the replica scale.</param>
/// <param name="System">kube-dns, the node agent, Prometheus and the ingress controller: not part of the intent.</param>
public sealed record WorkloadApp(
    string Name,
    string Namespace,
    string Tier,
    string Kind,
    int Replicas,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableArray<ContainerPort> Ports,
    bool HostNetwork,
    bool System)
{
    public string Id => $"{Namespace}/{Name}";
}

/// <summary>A generated namespace; <see cref="DefaultDeny"/> namespaces are the intent's managed ones.</summary>
public sealed record WorkloadNamespace(string Name, ImmutableSortedDictionary<string, string> Labels, bool System, bool DefaultDeny);

/// <summary>An edge of the call graph: the client app calls the server app on the server's ports.</summary>
public sealed record WorkloadCall(int Client, int Server);

/// <summary>
/// A generated workload: the cluster (namespaces, pods or workloads, policies, all sorted), the
/// topology it was built from (apps and the calls between them), and the counts by policy kind.
/// </summary>
public sealed class Workload
{
    public required WorkloadParameters Parameters { get; init; }
    public required ulong Seed { get; init; }
    public required Cluster Cluster { get; init; }
    public required ImmutableArray<WorkloadNamespace> Namespaces { get; init; }
    public required ImmutableArray<WorkloadApp> Apps { get; init; }
    public required ImmutableArray<WorkloadCall> Calls { get; init; }

    /// <summary>Policies per kind (default-deny, upstream, cidr-egress, ...), in a fixed order.</summary>
    public required ImmutableSortedDictionary<string, int> PolicyKinds { get; init; }

    /// <summary>Pods the apps stand for (the replicas), whether the cluster holds Pod objects or workloads.</summary>
    public int PodCount => Apps.Sum(a => a.Replicas);
}
