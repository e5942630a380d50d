namespace PolicyGen.Evaluation;

/// <summary>
/// How long one stage of building the evaluator or the matrix took. The library only measures;
/// the CLI prints the stages under NPGEN_TIMINGS=1, as it does for npgen build.
/// </summary>
public sealed record EvaluationTiming(string Stage, TimeSpan Elapsed);
