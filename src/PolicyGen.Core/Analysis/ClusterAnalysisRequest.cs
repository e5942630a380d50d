using System.Collections.Immutable;
using PolicyGen.Evaluation;

namespace PolicyGen.Analysis;

/// <summary>What eval and matrix analyse: manifests (-f), optionally under an intent's policies, with the evaluator's options.</summary>
public sealed record ClusterAnalysisRequest
{
    /// <summary>Files, directories, or - for standard input.</summary>
    public required ImmutableArray<string> Files { get; init; }

    /// <summary>Standard input, read at most once, only when a file is - (or the intent is -).</summary>
    public required Func<TextReader> StandardInput { get; init; }

    /// <summary>Standard input as bytes, when the process has them: manifests (-f -) are then read from its bytes, never decoded into one string.</summary>
    public Func<Stream>? StandardInputBytes { get; init; }

    public EvaluationOptions Options { get; init; } = new();

    public AnalysisIntent? Intent { get; init; }

    /// <summary>Called when a stage starts, with the share of the whole work it takes (for a progress bar).</summary>
    public Action<string, double>? Stage { get; init; }

    /// <summary>Progress within reading the manifests, 0 to 1.</summary>
    public IProgress<double>? Progress { get; init; }
}
