using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Pipeline;

namespace PolicyGen.Kustomize;

/// <summary>What a kustomize or kpt generator call produced: the build (policies or diagnostics).</summary>
public sealed record GeneratorRun(BuildResult Build, string Description)
{
    public bool Succeeded => Build.Succeeded;

    /// <summary>
    /// Runs the generator a config describes. Two kinds serve every mode:
    /// <c>NetworkIntentGenerator</c> points at an intent file (relative to <paramref name="baseDirectory"/>,
    /// the kustomization directory) with an optional environment; a <c>NetworkIntent</c> is the intent
    /// itself, inline. Both run the same pipeline and verification as <c>npgen build</c>.
    /// </summary>
    public static GeneratorRun Run(string configName, string configText, string baseDirectory)
    {
        var (documents, error) = SourceNodeReader.Read(configName, configText, YamlLimits.GeneratorConfig);
        if (error is not null)
        {
            return Failed([error], configName);
        }

        if (documents.FirstOrDefault() is not MappingNode config)
        {
            return Failed([Diagnostic.Error(DiagnosticCodes.GeneratorConfig, "the generator config is empty", new SourceLocation(configName, 1, 1),
                $"write a {GeneratorConfig.Kind} (spec.intent: path) or a NetworkIntent")], configName);
        }

        var kind = (config["kind"] as ScalarNode)?.Value;
        if (kind == "NetworkIntent")
        {
            var (intent, diagnostics) = IntentLoader.LoadText(configName, configText);
            var build = intent is null ? new BuildResult(null, [], null, diagnostics) : BuildPipeline.Run(intent, new BuildOptions(), diagnostics);
            return new GeneratorRun(build, $"NetworkIntent {intent?.Name ?? "(invalid)"}");
        }

        var (parsed, configDiagnostics) = GeneratorConfig.Parse(config, configName);
        if (parsed is null)
        {
            return Failed(configDiagnostics, configName);
        }

        var intentPath = Path.GetFullPath(Path.Combine(baseDirectory, parsed.Intent));
        var result = BuildPipeline.Run(intentPath, new BuildOptions
        {
            Environment = parsed.Environment,
            Overlays = [.. parsed.Overlays.Select(o => Path.GetFullPath(Path.Combine(baseDirectory, o)))],
            TemplatesDirectory = parsed.Templates is null ? null : Path.GetFullPath(Path.Combine(baseDirectory, parsed.Templates)),
        });
        return new GeneratorRun(result, $"{parsed.Intent}{(parsed.Environment is null ? "" : $" (env {parsed.Environment})")}");
    }

    private static GeneratorRun Failed(ImmutableArray<Diagnostic> diagnostics, string name)
        => new(new BuildResult(null, [], null, diagnostics), name);
}
