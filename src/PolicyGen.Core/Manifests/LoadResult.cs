using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Manifests;

public sealed record LoadResult(Cluster Cluster, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}
