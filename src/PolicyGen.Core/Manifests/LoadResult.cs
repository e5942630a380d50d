using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Manifests;

public sealed record LoadResult(Cluster Cluster, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.HasErrors();

    /// <summary>Objects of kinds npgen does not use (also summed up in a warning among the diagnostics).</summary>
    public ImmutableArray<SkippedObject> Skipped { get; init; } = [];

    /// <summary>Policies of kinds the evaluator does not model (each kind named in a warning among the diagnostics).</summary>
    public ImmutableArray<SkippedObject> Unmodeled { get; init; } = [];
}
