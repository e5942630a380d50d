using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Pipeline;

namespace PolicyGen.Kustomize;

/// <summary>What a kustomize or kpt generator call produced: the build (policies or diagnostics).</summary>
public sealed record GeneratorRun(BuildResult Build, string Description)
{
    /// <summary>The spec fields the legacy plugin's arguments may set (<see cref="PluginArguments"/>).</summary>
    private static readonly string[] ArgumentFields = ["environment", "overlays", "templates"];

    public bool Succeeded => Build.Succeeded;

    /// <summary>File names in diagnostics whose text was a tool's copy (<see cref="GeneratorInputs.PackageFiles"/>): their line numbers are not the file's.</summary>
    public ImmutableHashSet<string> CopiedFiles { get; init; } = [];

    /// <summary>
    /// Runs the generator a config describes. Two kinds serve every mode:
    /// <c>NetworkIntentGenerator</c> points at an intent file (relative to <paramref name="baseDirectory"/>,
    /// the kustomization directory) with an optional environment; a <c>NetworkIntent</c> is the intent
    /// itself, inline. Both run the same pipeline and verification as <c>npgen build</c>.
    /// <paramref name="loadRestrictor"/> is the value of <c>NPGEN_LOAD_RESTRICTOR</c> in the
    /// environment of whoever runs kustomize (see <see cref="LoadRestrictor"/>): every file the
    /// config names must be inside <paramref name="baseDirectory"/> unless it says LoadRestrictionsNone.
    /// </summary>
    public static GeneratorRun Run(string configName, string configText, string baseDirectory, string? loadRestrictor = null, GeneratorInputs? inputs = null)
    {
        inputs ??= GeneratorInputs.None;
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
        var argumentsAt = (config.Entries.FirstOrDefault(e => e.Key.Value is "argsOneLiner" or "argsFromFile").Key ?? (SourceNode)config).Location;
        if (kind == "NetworkIntent" && !inputs.Arguments.IsEmpty)
        {
            return Failed([Diagnostic.Error(DiagnosticCodes.PluginArgument, "a NetworkIntent used as the generator takes no arguments", argumentsAt,
                $"point a {GeneratorConfig.Kind} at the intent and set spec.environment, spec.overlays or spec.templates there")], configName);
        }

        if (kind == "NetworkIntent")
        {
            var (intent, diagnostics) = IntentLoader.LoadText(configName, configText);
            var build = intent is null ? new BuildResult(null, [], null, diagnostics) : BuildPipeline.Run(intent, new BuildOptions(), diagnostics);
            return new GeneratorRun(build, $"NetworkIntent {intent?.Name ?? "(invalid)"}");
        }

        var (parsed, configDiagnostics) = GeneratorConfig.Parse(config);
        if (parsed is null)
        {
            return Failed(configDiagnostics, configName);
        }

        var (withArguments, argumentProblems) = WithArguments(parsed, inputs.Arguments, argumentsAt);
        if (argumentProblems.Length > 0)
        {
            return Failed(argumentProblems, configName);
        }

        parsed = withArguments;

        var (restrictor, restrictorError) = LoadRestrictor.FromEnvironment(baseDirectory, loadRestrictor);
        if (restrictor is null)
        {
            return Failed([restrictorError!], configName);
        }

        var (options, intentPath, problems) = Resolve(parsed, restrictor, inputs.ConfigDirectory);
        if (problems.Length > 0)
        {
            return Failed(problems, configName);
        }

        var description = $"{TextEscaping.ForLine(parsed.Intent)}{(parsed.Environment is null ? "" : $" (env {parsed.Environment})")}";
        if ((inputs.PackageOnly || !File.Exists(intentPath)) && inputs.PackageFiles.TryGetValue(PackagePath(restrictor.Root, intentPath!), out var intentText))
        {
            return FromPackageFiles(restrictor.Root, intentPath!, intentText, options!, inputs, description, parsed.Locations);
        }

        if (inputs.PackageOnly)
        {
            return Failed([NotInPackage(PackagePath(restrictor.Root, intentPath!), "spec.intent", parsed.Locations.GetValueOrDefault("intent"))], configName);
        }

        var result = BuildPipeline.Run(intentPath!, options!);
        return new GeneratorRun(result, description);
    }

    /// <summary>
    /// kpt run from outside the package: the intent (and its overlays) come from the ResourceList's
    /// items, found by the path kpt gave each. Their texts are copies, so their names are remembered.
    /// </summary>
    private static GeneratorRun FromPackageFiles(string root, string intentPath, string intentText, BuildOptions options, GeneratorInputs inputs,
        string description, ImmutableDictionary<string, SourceLocation> locations)
    {
        var intentName = PackagePath(root, intentPath);
        var copies = ImmutableHashSet.CreateBuilder<string>();
        copies.Add(intentName);
        var problems = new List<Diagnostic>();
        if (inputs.PackageOnly && options.TemplatesDirectory is { } templates)
        {
            problems.Add(NotInPackage(PackagePath(root, templates), "spec.templates", locations.GetValueOrDefault("templates")));
        }

        var overlayPaths = new List<(string Path, string Field)>();
        if (options.Environment is { } environment)
        {
            overlayPaths.Add((Path.Combine(Path.GetDirectoryName(intentPath) ?? root, "environments", environment + ".yaml"), "environment"));
        }

        overlayPaths.AddRange(options.Overlays.Select(o => (o, "overlays")));
        var overlays = new List<(string Path, string? Text)>();
        foreach (var (overlay, field) in overlayPaths)
        {
            var name = PackagePath(root, overlay);
            if (PackageFile(name) is { } text && (inputs.PackageOnly || !File.Exists(overlay)))
            {
                copies.Add(name);
                overlays.Add((name, text));
            }
            else if (inputs.PackageOnly)
            {
                problems.Add(NotInPackage(name, "spec." + field, locations.GetValueOrDefault(field)));
            }
            else
            {
                var (fileText, _) = File.Exists(overlay) ? BoundedText.ReadFile(overlay, YamlLimits.Overlay) : (null, null);
                overlays.Add((fileText is null ? name : overlay, fileText));
            }
        }

        if (problems.Count > 0)
        {
            return Failed([.. problems], intentName);
        }

        var (intent, diagnostics) = IntentLoader.LoadText(intentName, intentText, overlays);
        var build = intent is null ? new BuildResult(null, [], null, diagnostics) : BuildPipeline.Run(intent, options, diagnostics);
        return new GeneratorRun(build, description) { CopiedFiles = copies.ToImmutable() };

        string? PackageFile(string name) => inputs.PackageFiles.GetValueOrDefault(name);
    }

    private static Diagnostic NotInPackage(string path, string field, SourceLocation? location)
        => Diagnostic.Error(DiagnosticCodes.KrmFileNotInPackage,
            $"{field}: {TextEscaping.Quote(path)} is not among the package's resources kpt passed, and kpt was started outside the package, so npgen cannot read it from disk",
            location,
            "run kpt from the package directory (cd PKG && kpt fn render . --allow-exec), or keep the file in the package as a resource");

    /// <summary>A full path under the root as kpt's path annotations write it: relative, '/'-separated.</summary>
    public static string PackagePath(string root, string fullPath)
        => Path.GetRelativePath(root, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>The legacy plugin's arguments merged into the config: they may add to spec, never contradict it.</summary>
    private static (GeneratorConfig Config, ImmutableArray<Diagnostic> Problems) WithArguments(GeneratorConfig config, PluginArguments arguments, SourceLocation at)
    {
        if (arguments.IsEmpty)
        {
            return (config, []);
        }

        const string Hint = "npgen takes --env NAME, --overlay FILE and --templates DIR (the same as spec.environment, spec.overlays, spec.templates); set them in spec rather than in argsOneLiner or argsFromFile";
        var problems = arguments.Problems.Select(p => Diagnostic.Error(DiagnosticCodes.PluginArgument, $"argsOneLiner/argsFromFile: {p}", at, Hint)).ToList();
        if (arguments.Environment is { } env && config.Environment is not null && config.Environment != env)
        {
            problems.Add(Diagnostic.Error(DiagnosticCodes.PluginArgument,
                $"argsOneLiner/argsFromFile: --env {TextEscaping.Quote(env)} contradicts spec.environment {TextEscaping.Quote(config.Environment)}", at, Hint));
        }

        if (arguments.Templates is { } templates && config.Templates is not null && config.Templates != templates)
        {
            problems.Add(Diagnostic.Error(DiagnosticCodes.PluginArgument,
                $"argsOneLiner/argsFromFile: --templates {TextEscaping.Quote(templates)} contradicts spec.templates {TextEscaping.Quote(config.Templates)}", at, Hint));
        }

        if (arguments.Environment is { } name && !Validation.KubernetesNames.IsDns1123Label(name))
        {
            problems.Add(Diagnostic.Error(DiagnosticCodes.GeneratorBadEnvironment, $"argsOneLiner/argsFromFile: --env {TextEscaping.Quote(name)} is not an environment name", at,
                "an environment is a plain name (lower-case letters, digits and '-', like a namespace) whose overlay is environments/<name>.yaml next to the intent"));
        }

        var locations = config.Locations;
        foreach (var key in ArgumentFields.Where(k => !locations.ContainsKey(k)))
        {
            locations = locations.SetItem(key, at);
        }

        return problems.Count > 0
            ? (config, [.. problems])
            : (config with
            {
                Environment = config.Environment ?? arguments.Environment,
                Overlays = config.Overlays.AddRange(arguments.Overlays),
                Templates = config.Templates ?? arguments.Templates,
                Locations = locations,
            }, []);
    }

    /// <summary>
    /// Every path the config names, resolved under the restrictor before anything is read: the
    /// intent, its environment overlay (environments/&lt;env&gt;.yaml next to the intent), the
    /// overlays, the templates directory and each file in it.
    /// </summary>
    private static (BuildOptions? Options, string? IntentPath, ImmutableArray<Diagnostic> Problems) Resolve(GeneratorConfig config, LoadRestrictor restrictor, string configDirectory)
    {
        var problems = ImmutableArray.CreateBuilder<Diagnostic>();
        SourceLocation? At(string field) => config.Locations.TryGetValue(field, out var location) ? location : null;
        string? Check(string written, string field, string key)
        {
            // Relative to the config's own directory (kpt: its path annotation), judged against the root.
            var relative = configDirectory.Length == 0 || written.Length == 0 || Path.IsPathRooted(written) ? written : Path.Join(configDirectory, written);
            var (path, error) = restrictor.Resolve(relative, field, At(key));
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
