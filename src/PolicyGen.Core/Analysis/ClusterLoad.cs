using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Analysis;

/// <summary>
/// The manifests read for a command: the cluster, or null when any input had an error; and every
/// problem found, in input order (files that do not exist, documents npgen cannot use, bad objects).
/// </summary>
public sealed record ClusterLoad(Cluster? Cluster, ImmutableArray<Diagnostic> Diagnostics)
{
    public int ErrorCount => Diagnostics.Count(d => d.Severity == Severity.Error);
}
