using PolicyGen.Cli.Output;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Pipeline;

namespace PolicyGen.Cli.Commands;

/// <summary>What build and verify share: the build with its progress bar, its diagnostics on stderr, and NPGEN_TIMINGS.</summary>
internal static class IntentBuildRun
{
    /// <summary>The intent's options shared by build and verify: --env, --overlay, --templates.</summary>
    public static BuildOptions Options(string? environment, string[]? overlays, string? templates) => new()
    {
        Environment = environment,
        Overlays = overlays ?? [],
        TemplatesDirectory = templates,
    };

    /// <summary>Builds (with progress), prints every diagnostic and, with NPGEN_TIMINGS=1, the stage timings.</summary>
    /// <param name="read">How long resolving and reading the intent took (it is parsed there: <see cref="IntentInput.Documents"/>), the first stage line.</param>
    public static BuildResult Run(string command, IntentInput input, BuildOptions options, CommandConsole console, TimeSpan? read = null)
    {
        BuildResult build;
        using (var progress = ProgressReporter.Start(command, console))
        {
            build = BuildPipeline.Run(input, options with { Stage = stage => progress.Stage(stage, StageWeight(stage)) });
        }

        foreach (var diagnostic in build.Diagnostics)
        {
            console.Error.WriteLine(diagnostic);
        }

        if (StageTimings.Enabled(console))
        {
            console.Error.Write(read is { } took ? StageTiming.Format([new StageTiming("read intent", took), .. build.Timings]) : build.FormatTimings());
        }

        return build;
    }

    /// <summary>How much of the bar each build stage takes: the proof dominates large intents.</summary>
    private static double StageWeight(string stage) => stage switch
    {
        "reading the intent" => 0.05,
        "compiling" => 0.1,
        "rendering templates" => 0.15,
        "checking the rendered policies" => 0.2,
        _ => 0.5,
    };
}
