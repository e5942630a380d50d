using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Model;
using PolicyGen.Verify;

namespace PolicyGen.Pipeline;

/// <summary>A generated policy: its plan, the YAML its template rendered, and the policy parsed back from that YAML.</summary>
public sealed record GeneratedPolicy(PolicyPlan Plan, string Yaml, string TemplatePath, NetworkPolicy Parsed);

public sealed record BuildResult(
    NetworkIntent? Intent,
    ImmutableArray<GeneratedPolicy> Policies,
    VerificationReport? Verification,
    ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>No error: the intent was read and bound (so <see cref="Intent"/> is set), compiled, rendered and, unless switched off, proven.</summary>
    [MemberNotNullWhen(true, nameof(Intent))]
    public bool Succeeded => Intent is not null && !Diagnostics.HasErrors();

    public ImmutableArray<StageTiming> Timings { get; init; } = [];

    /// <summary>The cluster-scoped policies of <c>spec.cluster</c> (Pipeline/ClusterBuildStage.cs); empty without the section.</summary>
    public ImmutableArray<GeneratedClusterPolicy> ClusterPolicies { get; init; } = [];

    /// <summary>The environment built for (<c>--env</c>), null for none.</summary>
    public string? Environment { get; init; }

    /// <summary>The overlays merged, relative to the intent file's directory, in order.</summary>
    public ImmutableArray<string> Overlays { get; init; } = [];

    /// <summary>One line per stage, for the NPGEN_TIMINGS=1 switch of the CLI and the plugin.</summary>
    public string FormatTimings() => StageTiming.Format(Timings);
}
