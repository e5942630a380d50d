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
    /// <paramref name="loadRestrictor"/> is the value of <c>NPGEN_LOAD_RESTRICTOR</c> in the
    /// environment of whoever runs kustomize (see <see cref="LoadRestrictor"/>): every file the
    /// config names must be inside <paramref name="baseDirectory"/> unless it says LoadRestrictionsNone.
    /// </summary>
    public static GeneratorRun Run(string configName, string configText, string baseDirectory, string? loadRestrictor = null)
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

        var (restrictor, restrictorError) = LoadRestrictor.FromEnvironment(baseDirectory, loadRestrictor);
        if (restrictor is null)
        {
            return Failed([restrictorError!], configName);
        }

        var (options, intentPath, problems) = Resolve(parsed, restrictor);
        if (problems.Length > 0)
        {
            return Failed(problems, configName);
        }

        var result = BuildPipeline.Run(intentPath!, options!);
        return new GeneratorRun(result, $"{TextEscaping.ForLine(parsed.Intent)}{(parsed.Environment is null ? "" : $" (env {parsed.Environment})")}");
    }

    /// <summary>
    /// Every path the config names, resolved under the restrictor before anything is read: the
    /// intent, its environment overlay (environments/&lt;env&gt;.yaml next to the intent), the
    /// overlays, the templates directory and each file in it.
    /// </summary>
    private static (BuildOptions? Options, string? IntentPath, ImmutableArray<Diagnostic> Problems) Resolve(GeneratorConfig config, LoadRestrictor restrictor)
    {
        var problems = ImmutableArray.CreateBuilder<Diagnostic>();
        SourceLocation? At(string field) => config.Locations.TryGetValue(field, out var location) ? location : null;
        string? Check(string written, string field, string key)
        {
            var (path, error) = restrictor.Resolve(written, field, At(key));
            if (error is not null)
            {
                problems.Add(error);
            }

            return path;
        }

        var intentPath = Check(config.Intent, "spec.intent", "intent");
        if (intentPath is not null && config.Environment is { } environment)
        {
            var envFile = Path.Combine(Path.GetDirectoryName(config.Intent) ?? "", "environments", environment + ".yaml");
            Check(envFile, "spec.environment", "environment");
        }

        var overlays = config.Overlays.Select((o, i) => Check(o, $"spec.overlays[{i}]", "overlays")).ToList();
        string? templates = null;
        if (config.Templates is not null && Check(config.Templates, "spec.templates", "templates") is { } directory)
        {
            templates = directory;
            if (restrictor.CheckEntries(directory, "spec.templates", At("templates")) is { } error)
            {
                problems.Add(error);
            }
        }

        return problems.Count > 0
            ? (null, null, problems.ToImmutable())
            : (new BuildOptions { Environment = config.Environment, Overlays = [.. overlays.OfType<string>()], TemplatesDirectory = templates }, intentPath, []);
    }

    private static GeneratorRun Failed(ImmutableArray<Diagnostic> diagnostics, string name)
        => new(new BuildResult(null, [], null, diagnostics), name);
}
