using System.Diagnostics;
using PolicyGen.Diagnostics;

namespace PolicyGen.Cli.Output;

/// <summary>
/// Stage timings of eval and matrix for NPGEN_TIMINGS=1: one <c>npgen: stage  N ms</c> line per
/// stage on stderr, in the format npgen build uses. The CLI times what it does itself (reading
/// the manifests, checking the policies); the evaluator and the matrix report their own stages.
/// </summary>
internal sealed class StageTimings
{
    private readonly List<StageTiming> stages = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public const string Variable = "NPGEN_TIMINGS";

    public static bool Enabled(CommandConsole console) => console.Variable(Variable) == "1";

    /// <summary>Ends a stage the CLI ran itself: records the time since the previous lap.</summary>
    public void Lap(string stage)
    {
        stages.Add(new StageTiming(stage, clock.Elapsed));
        clock.Restart();
    }

    /// <summary>Adds the stages a library call measured, and restarts the CLI's own clock after it.</summary>
    public void Add(IEnumerable<StageTiming> timings)
    {
        stages.AddRange(timings);
        clock.Restart();
    }

    public string Format() => StageTiming.Format(stages);

    /// <summary>Prints the stages to stderr when NPGEN_TIMINGS=1.</summary>
    public void PrintIfEnabled(CommandConsole console)
    {
        if (Enabled(console))
        {
            console.Error.Write(Format());
        }
    }
}
