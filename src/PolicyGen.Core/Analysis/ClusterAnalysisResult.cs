using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;

namespace PolicyGen.Analysis;

/// <summary>
/// The analysis, stage by stage, so a caller can print what went wrong in the order it happened:
/// the manifests (<see cref="Load"/>), the intent (<see cref="Intent"/>, when asked), the policies
/// the API server would reject (<see cref="PolicyErrors"/>), and the evaluator when all were usable.
/// </summary>
public sealed record ClusterAnalysisResult
{
    public required ClusterLoad Load { get; init; }

    public IntentSubstitution? Intent { get; init; }

    public ImmutableArray<PolicyError> PolicyErrors { get; init; } = [];

    /// <summary>What the API server would say about the cluster-scoped policies (S18.8), warnings included.</summary>
    public ImmutableArray<Diagnostic> ClusterPolicyProblems { get; init; } = [];

    /// <summary>Null when any stage failed.</summary>
    public PolicyEvaluator? Evaluator { get; init; }

    /// <summary>How long each stage took: reading, building the intent, checking the policies, then the evaluator's own.</summary>
    public ImmutableArray<StageTiming> Timings { get; init; } = [];
}
