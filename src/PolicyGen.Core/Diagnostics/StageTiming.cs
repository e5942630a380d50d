using System.Globalization;
using System.Text;

namespace PolicyGen.Diagnostics;

/// <summary>
/// How long one stage of a run took: of a build (load, compile, render, verify), of the evaluator
/// or of the matrix. The library only measures; the CLI and the plugin print the stages under
/// NPGEN_TIMINGS=1, all in the one format of <see cref="Format"/>.
/// </summary>
public sealed record StageTiming(string Stage, TimeSpan Elapsed)
{
    /// <summary>One <c>npgen: STAGE  N.N ms</c> line per stage, for stderr.</summary>
    public static string Format(IEnumerable<StageTiming> timings)
    {
        var text = new StringBuilder();
        foreach (var (stage, elapsed) in timings)
        {
            text.Append(CultureInfo.InvariantCulture, $"npgen: {stage,-22} {elapsed.TotalMilliseconds,8:F1} ms\n");
        }

        return text.ToString();
    }
}
