using System.Collections.Immutable;
using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Verify;

namespace PolicyGen.Pipeline;

/// <summary>
/// intent → compile → render → parse back → validate → verify. Nothing is written here: the caller
/// writes only a result whose every stage succeeded.
/// </summary>
public static class BuildPipeline
{
    public static BuildResult Run(string intentPath, BuildOptions options)
        => Run(options.Stage, () => IntentLoader.Load(intentPath, options.Environment, options.Overlays), options);

    /// <summary>An intent already read (a file, a directory's intents.yaml or standard input: <see cref="IntentResolver"/>).</summary>
    public static BuildResult Run(IntentInput input, BuildOptions options)
        => Run(options.Stage, () => IntentLoader.Load(input, options.Environment, options.Overlays), options);

    private static BuildResult Run(Action<string>? stage, Func<(NetworkIntent?, ImmutableArray<Diagnostic>)> load, BuildOptions options)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        stage?.Invoke("reading the intent");
        var (intent, diagnostics) = load();
        var loaded = new StageTiming("load intent", watch.Elapsed);
        if (intent is null)
        {
            return new BuildResult(null, [], null, diagnostics) { Timings = [loaded] };
        }

        var result = Run(intent, options, diagnostics);
        return result with { Timings = result.Timings.Insert(0, loaded) };
    }

    public static BuildResult Run(NetworkIntent intent, BuildOptions options, ImmutableArray<Diagnostic> earlier = default)
    {
        var timings = ImmutableArray.CreateBuilder<StageTiming>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        void Lap(string stage)
        {
            timings.Add(new StageTiming(stage, watch.Elapsed));
            watch.Restart();
        }

        var result = Stages(intent, options, earlier, Lap);
        return result with { Timings = timings.ToImmutable() };
    }

    private static BuildResult Stages(NetworkIntent intent, BuildOptions options, ImmutableArray<Diagnostic> earlier, Action<string> lap)
    {
        var diagnostics = earlier.IsDefault ? ImmutableArray.CreateBuilder<Diagnostic>() : earlier.ToBuilder();
        if (TemplatesProblem(options.TemplatesDirectory) is { } templatesProblem)
        {
            diagnostics.Add(templatesProblem);
            return new BuildResult(intent, [], null, diagnostics.ToImmutable());
        }

        var (apps, connectivityDiagnostics) = AppConnectivity.Of(intent);
        diagnostics.AddRange(connectivityDiagnostics);
        if (diagnostics.HasErrors())
        {
            return new BuildResult(intent, [], null, diagnostics.ToImmutable());
        }

        var overlays = RecordedOverlays(intent.Source.File, options.Overlays);
        options.Stage?.Invoke("compiling");
        var plans = IntentCompiler.Compile(intent, apps, options.SyncWave)
            .Select(p => p with { Environment = options.Environment, Overlays = overlays }).ToImmutableArray();
        lap("compile");
        options.Stage?.Invoke("rendering templates");
        var (rendered, renderDiagnostics) = PolicyRenderer.Render(plans, new TemplateSet(options.TemplatesDirectory));
        diagnostics.AddRange(renderDiagnostics);
        lap("render templates");
        options.Stage?.Invoke("checking the rendered policies");
        var policies = RenderedPolicyReader.Read(rendered, diagnostics);
        lap("parse back + validate");
        if (diagnostics.HasErrors())
        {
            return new BuildResult(intent, policies, null, diagnostics.ToImmutable()) { Environment = options.Environment, Overlays = overlays };
        }

        VerificationReport? report = null;
        if (options.Verify)
        {
            options.Stage?.Invoke("proving the policies against the intent");
            report = IntentVerifier.Verify(intent, apps, [.. policies.Select(p => p.Parsed)], TemplateOverrides(options.TemplatesDirectory));
            diagnostics.AddRange(report.Diagnostics);
            lap("verify");
        }

        var clusterPolicies = ClusterBuildStage.Run(intent, apps, [.. policies.Select(p => p.Parsed)], options, overlays, diagnostics); // spec.cluster
        return new BuildResult(intent, policies, report, diagnostics.ToImmutable()) { Environment = options.Environment, Overlays = overlays, ClusterPolicies = clusterPolicies };
    }

    /// <summary>
    /// Overlay paths as the output records them: relative to the intent file's directory and
    /// '/'-separated, so the record does not depend on the directory npgen ran in.
    /// </summary>
    private static ImmutableArray<string> RecordedOverlays(string intentFile, IReadOnlyList<string> overlays)
    {
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(intentFile)) ?? ".";
        return [.. overlays.Select(o => Path.GetRelativePath(baseDirectory, Path.GetFullPath(o)).Replace('\\', '/'))];
    }

    /// <summary>
    /// A templates directory that does not exist (a typo, a missing checkout) would otherwise render
    /// with the bundled templates and hide that the user's templates were never used.
    /// </summary>
    private static Diagnostic? TemplatesProblem(string? directory)
    {
        if (directory is null || Directory.Exists(directory))
        {
            return null;
        }

        var what = File.Exists(directory) ? "is a file, not a directory" : "does not exist";
        return Diagnostic.Error(DiagnosticCodes.TemplatesDirectoryNotFound, $"the templates directory {directory} {what}", null,
            "name the directory that holds your .sbn overrides (npgen uses the bundled templates for every file it does not find there), or leave out --templates");
    }

    /// <summary>The user's files that replace bundled templates with other text (an unchanged copy cannot be the cause), for the proof's hint.</summary>
    private static List<string> TemplateOverrides(string? directory)
        => directory is null ? [] : [.. TemplateSet.BundledNames
            .Where(n => File.Exists(Path.Join(directory, n)) && File.ReadAllText(Path.Join(directory, n)).ReplaceLineEndings("\n") != TemplateSet.Bundled(n))
            .Select(n => Path.Join(directory, n))];
}
