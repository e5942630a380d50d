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

    public string Id => $"{Namespace}/{Name}";
}
