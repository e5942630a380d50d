using System.Collections.Immutable;

namespace PolicyGen.Compile;

// The render model: what each generated NetworkPolicy must say, before any template turns it into
// YAML. Templates see exactly these fields (snake_case), and every string passes through the
// YAML quoting helper.

/// <summary>One NetworkPolicy to generate, and the template shape that renders it.</summary>
public sealed record PolicyPlan
{
    public required string Template { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required string Intent { get; init; }

    /// <summary>Where the policy comes from: <c>intents.yaml#/spec/apps/api</c>.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// The Argo CD sync wave (<c>argocd.argoproj.io/sync-wave</c>), an integer as text; null omits
    /// the annotation. Negative waves apply before the workloads of the same Application.
    /// </summary>
    public string? SyncWave { get; init; }

    /// <summary>The environment the build merged (<c>--env</c>); null for none. Annotated as <c>npgen.dev/environment</c>.</summary>
    public string? Environment { get; init; }

    /// <summary>The overlays merged after it, relative to the intent's directory. Annotated as <c>npgen.dev/overlays</c>.</summary>
    public ImmutableArray<string> Overlays { get; init; } = [];

    /// <summary>Empty: every pod of the namespace.</summary>
    public ImmutableSortedDictionary<string, string> PodSelector { get; init; } = Model.Labels.Empty;

    public ImmutableArray<string> PolicyTypes { get; init; } = [];
    public ImmutableArray<RulePlan> Ingress { get; init; } = [];
    public ImmutableArray<RulePlan> Egress { get; init; } = [];

    public string Id => $"{Namespace}/{Name}";
}

/// <summary>A rule: no peers means every peer; no ports means every port.</summary>
public sealed record RulePlan(ImmutableArray<PeerPlan> Peers, ImmutableArray<PortPlan> Ports, string Source, string Description);

/// <summary>A selector peer (pod labels, namespace labels, or both ANDed in one entry) or an ipBlock.</summary>
public sealed record PeerPlan(
    ImmutableSortedDictionary<string, string>? PodLabels,
    ImmutableSortedDictionary<string, string>? NamespaceLabels,
    string? Cidr,
    ImmutableArray<string> Except);

public sealed record PortPlan(string Protocol, int Port, int? EndPort);
