using System.Collections.Immutable;
using System.Globalization;
using PolicyGen.Diagnostics;
using PolicyGen.Pipeline;

namespace PolicyGen.Kustomize;

/// <summary>What a plugin run prints and how it exits.</summary>
public sealed record PluginOutcome(string StdOut, string StdErr, int ExitCode)
{
    /// <summary>Per-stage timings of the build, for NPGEN_TIMINGS=1.</summary>
    public string Timings { get; init; } = "";
}

/// <summary>
/// The KRM function protocol (kustomize with --enable-exec, kpt fn eval/render): a ResourceList
/// on stdin, a ResourceList on stdout. Input items pass through as they came (same nodes, every
/// annotation kept), except NetworkPolicies that this intent generated on an earlier run, which are
/// replaced. Generated items carry the path annotations kpt writes files by. On failure stdout is
/// still a valid ResourceList, with the problems in results, and the exit code is 1.
/// </summary>
public static class KrmFunction
{
    private const string PathAnnotation = "config.kubernetes.io/path";
    private const string InternalPathAnnotation = "internal.config.kubernetes.io/path";
    private const string IndexAnnotation = "config.kubernetes.io/index";
    private const string InternalIndexAnnotation = "internal.config.kubernetes.io/index";

    /// <summary>Reads the ResourceList from <paramref name="input"/> (stdin), bounded by <see cref="YamlLimits.ResourceList"/>.</summary>
    /// <param name="input">The ResourceList kustomize or kpt wrote to stdin.</param>
    /// <param name="workingDirectory">The kustomization root (kustomize starts the function there): paths in the config resolve against it.</param>
    /// <param name="loadRestrictor">NPGEN_LOAD_RESTRICTOR from the environment of whoever runs kustomize; see <see cref="LoadRestrictor"/>.</param>
    /// <param name="validate">
    /// Check instead of generate, whatever the functionConfig's kind (<c>npgen-plugin validate</c>, for a
    /// kpt validator whose config is the NetworkIntent itself). A NetworkIntentValidator config always checks.
    /// </param>
    public static PluginOutcome Run(TextReader input, string workingDirectory, string? loadRestrictor = null, bool validate = false)
    {
        var (text, tooLarge) = BoundedText.Read(input, "<stdin>", YamlLimits.ResourceList);
        return text is null ? Fail(null, [], [tooLarge!]) with { ExitCode = 2 } : Run(text, workingDirectory, loadRestrictor, validate);
    }

    /// <param name="input">The ResourceList kustomize or kpt wrote to stdin.</param>
    /// <param name="workingDirectory">The kustomization root (kustomize starts the function there): paths in the config resolve against it.</param>
    /// <param name="loadRestrictor">NPGEN_LOAD_RESTRICTOR from the environment of whoever runs kustomize; see <see cref="LoadRestrictor"/>.</param>
    public static PluginOutcome Run(string input, string workingDirectory, string? loadRestrictor = null, bool validate = false)
    {
        var (documents, error) = SourceNodeReader.Read("<stdin>", input, YamlLimits.ResourceList);
        if (error is not null)
        {
            var refused = error with { Code = error.Code == DiagnosticCodes.YamlSyntax ? DiagnosticCodes.ResourceListInvalid : error.Code, Message = $"stdin is not a ResourceList: {TextEscaping.Excerpt(error.Message)}" };
            return Fail(null, [], [refused]) with { ExitCode = 2 };
        }

        if (documents.IsEmpty || documents[0] is not MappingNode root || Scalar(root, "kind") != "ResourceList")
        {
            return Fail(null, [], [Diagnostic.Error(DiagnosticCodes.ResourceListInvalid, "stdin is not a ResourceList (kind: ResourceList)", null,
                "npgen krm is run by kustomize or kpt; to build by hand use npgen build intents.yaml")]);
        }

        var items = root["items"] is SequenceNode seq ? seq.Items.ToList() : [];
        var (functionConfig, missing) = SelectConfig(root["functionConfig"], items);
        if (functionConfig is null)
        {
            return Fail(null, items, [missing!]);
        }

        var source = Source(functionConfig, items, workingDirectory);
        var inputs = new GeneratorInputs(source.FilePath is null ? "" : Path.GetDirectoryName(source.FilePath) ?? "", PluginArguments.None, source.PackageFiles,
            PackageOnly: source.IsCopy && source.FilePath is not null);
        if (validate || Scalar(functionConfig, "kind") == ValidatorConfig.Kind)
        {
            return KrmValidator.Run(items, source, workingDirectory, loadRestrictor, inputs);
        }

        var run = GeneratorRun.Run(source.Name, source.Text, workingDirectory, loadRestrictor, inputs);
        var places = new KrmResultPlaces(Path.GetFullPath(workingDirectory), source, run.CopiedFiles);
        if (!run.Succeeded)
        {
            return Fail(places, items, run.Build.Diagnostics) with { Timings = run.Build.FormatTimings() };
        }

        var intentName = run.Build.Intent!.Name;
        var output = items.Where(item => !IsOurs(item, intentName)).ToList();
        var collisions = Collisions(output, run.Build.Policies, intentName).Concat(ClusterCollisions(output, run.Build.ClusterPolicies, intentName)).ToList();
        if (collisions.Count > 0)
        {
            return Fail(places, items, collisions) with { Timings = run.Build.FormatTimings() };
        }

        output.AddRange(run.Build.Policies.Select(p => Item(p.Yaml, $"netpol/{p.Plan.Namespace}/{p.Plan.Name}.yaml")));
        // spec.cluster: cluster-scoped, after the NetworkPolicies
        output.AddRange(run.Build.ClusterPolicies.Select(p => Item(p.Yaml, $"netpol/{p.Plan.FileName}")));

        var v = run.Build.Verification;
        var message = $"generated {run.Build.Policies.Length} NetworkPolicies"
            + (run.Build.ClusterPolicies.IsEmpty ? "" : $" and {run.Build.ClusterPolicies.Length} cluster-scoped policies")
            + $" from {run.Description}"
            + (v is null ? "" : $"; verified {v.FlowsChecked.ToString("N0", CultureInfo.InvariantCulture)} flows and {v.ExpectationsChecked} expectations");
        var results = new List<SourceNode> { KrmResultPlaces.Result(message, "info", null) };
        var warnings = run.Build.Diagnostics.Where(d => d.Severity == Severity.Warning).ToList();
        foreach (var warning in warnings)
        {
            results.Add(KrmResultPlaces.Result(warning.Message, "warning", places.For(warning)));
        }

        return new PluginOutcome(Emit(output, results), string.Concat(warnings.Select(w => places.ForStderr(w) + "\n")), 0) { Timings = run.Build.FormatTimings() };
    }

    /// <summary>
    /// The function's config: <c>functionConfig</c> when the ResourceList has one; otherwise, as the
    /// KRM Functions Specification allows a function to be run ad hoc without it, the one
    /// NetworkIntent among the items (none, or several, is an error that names them).
    /// </summary>
    private static (MappingNode? Config, Diagnostic? Problem) SelectConfig(SourceNode? functionConfig, List<SourceNode> items)
    {
        // kpt fn eval without --fn-config sends an empty ConfigMap (function-input): no config either.
        var empty = functionConfig is MappingNode cm && Scalar(cm, "kind") == "ConfigMap" && Scalar(cm, "apiVersion") == "v1"
            && cm["data"] is null or MappingNode { Entries.IsEmpty: true } or ScalarNode { IsNull: true };
        if (functionConfig is MappingNode given && given["kind"] is ScalarNode && !empty)
        {
            return (given, null);
        }

        var intents = items.OfType<MappingNode>()
            .Where(i => Scalar(i, "kind") == "NetworkIntent" && Scalar(i, "apiVersion") == Intent.IntentBinder.ApiVersion).ToList();
        const string Hint = "give the function its config: kpt fn eval PKG --exec npgen-plugin --fn-config PKG/intents.yaml, or configPath: intents.yaml in the Kptfile's pipeline";
        return intents.Count switch
        {
            1 => (intents[0], null),
            0 => (null, Diagnostic.Error(DiagnosticCodes.KrmNoIntent,
                "the ResourceList has no functionConfig, and no NetworkIntent (apiVersion: npgen.dev/v1alpha1) among its items to take instead", null, Hint)),
            _ => (null, Diagnostic.Error(DiagnosticCodes.KrmNoIntent,
                $"the ResourceList has no functionConfig, and {intents.Count} NetworkIntents among its items ("
                + string.Join(", ", intents.Select(i => $"{KrmResultPlaces.Identity(i)} in {TextEscaping.Quote(PathOf(i).Path ?? "?")}"))
                + "); npgen does not guess which one to build", null, Hint)),
        };
    }

    /// <summary>
    /// Where the user keeps the config, and the text npgen reads. kpt annotates the functionConfig with
    /// its file under <c>kpt fn render</c>; under <c>kpt fn eval --fn-config</c> it does not, but the
    /// same object is among the items, with its path. When the root (the working directory) holds that
    /// file with the same data, npgen reads the file, so every line number is the user's.
    /// </summary>
    private static KrmConfigSource Source(MappingNode config, List<SourceNode> items, string workingDirectory)
    {
        var files = items.OfType<MappingNode>()
            .Select(i => (Item: i, Where: PathOf(i)))
            .Where(x => x.Where.Path is not null)
            .GroupBy(x => x.Where.Path!, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => string.Concat(g.OrderBy(x => x.Where.Index).Select(x => "---\n" + YamlNodeWriter.Write(x.Item))), StringComparer.Ordinal);

        var (path, index) = PathOf(config);
        if (path is null && items.OfType<MappingNode>().Where(i => ConfigDocument.SameConfig(i, config)).Select(PathOf).Where(w => w.Path is not null).ToList() is [var only])
        {
            (path, index) = only;
        }

        if (path is null || path.Length == 0)
        {
            // kustomize build --enable-exec starts the function in the kustomization directory: the
            // config is then one of the files its kustomization lists (found as for a legacy plugin).
            var root = Path.GetFullPath(workingDirectory);
            return KustomizationConfigFinder.Find(root, config, loadRestrictor: null) is { } listed
                ? new KrmConfigSource(config, GeneratorRun.PackagePath(root, listed.Name), listed.Text, GeneratorRun.PackagePath(root, listed.Name), listed.Index, IsCopy: false, files)
                : new KrmConfigSource(config, "<functionConfig>", YamlNodeWriter.Write(config), null, 0, IsCopy: true, files);
        }

        var (full, refused) = new LoadRestrictor(Path.GetFullPath(workingDirectory), RootOnly: true).Resolve(path, "config.kubernetes.io/path", null);
        var document = refused is null && full is not null ? ConfigDocument.AtIndex(full, path, index, config) : null;
        return document is null
            ? new KrmConfigSource(config, path, YamlNodeWriter.Write(config), path, index, IsCopy: true, files)
            : new KrmConfigSource(config, path, document.Text, path, index, IsCopy: false, files);
    }

    /// <summary>The item's file and document index as kpt annotates them (internal.config.kubernetes.io/* first, then the legacy names).</summary>
    private static (string? Path, int Index) PathOf(MappingNode item)
    {
        var path = Annotation(item, InternalPathAnnotation) ?? Annotation(item, PathAnnotation);
        var index = int.TryParse(Annotation(item, InternalIndexAnnotation) ?? Annotation(item, IndexAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : 0;
        return (path?.Replace('\\', '/'), index);
    }

    /// <summary>A NetworkPolicy that this intent generated before (its labels say so): replaced, not duplicated.</summary>
    private static bool IsOurs(SourceNode item, string intentName)
        => item is MappingNode map && Scalar(map, "kind") is "NetworkPolicy" or "AdminNetworkPolicy" or "BaselineAdminNetworkPolicy" or "ClusterNetworkPolicy"
            && map["metadata"] is MappingNode m && m["labels"] is MappingNode l
            && Scalar(l, "app.kubernetes.io/managed-by") == "npgen" && Scalar(l, "npgen.dev/intent") == intentName;

    /// <summary>
    /// A NetworkPolicy in the input that npgen did not generate but that has the namespace and name
    /// of one it generates: two objects with one identity, of which the API server keeps whichever
    /// is applied last. Refused, never replaced: npgen does not overwrite what someone wrote by hand.
    /// </summary>
    private static IEnumerable<Diagnostic> Collisions(List<SourceNode> items, IEnumerable<GeneratedPolicy> policies, string intentName)
    {
        var generated = policies.Select(p => (p.Plan.Namespace, p.Plan.Name)).ToHashSet();
        foreach (var item in items.OfType<MappingNode>().Where(i => Scalar(i, "kind") == "NetworkPolicy"))
        {
            var metadata = item["metadata"] as MappingNode;
            var name = metadata is null ? null : Scalar(metadata, "name");
            var ns = metadata is null ? null : Scalar(metadata, "namespace");
            if (name is not null && ns is not null && generated.Contains((ns, name)))
            {
                var file = Annotation(item, InternalPathAnnotation) ?? Annotation(item, PathAnnotation);
                yield return Diagnostic.Error(DiagnosticCodes.KrmForeignPolicy,
                    $"the input already has a NetworkPolicy {TextEscaping.Quote($"{ns}/{name}")}{(file is null ? "" : $" (from {TextEscaping.Quote(file)})")} "
                    + "that this intent did not generate, and the intent generates one with the same namespace and name",
                    null,
                    "rename or remove the hand-written policy, or express what it allows in the intent; npgen replaces only the policies it generated "
                    + $"(labels app.kubernetes.io/managed-by: npgen and npgen.dev/intent: {intentName})");
            }
        }
    }

    /// <summary>A generated object as a ResourceList item, with the path kustomize and kpt write it to.</summary>
    private static MappingNode Item(string yaml, string path)
    {
        var node = (MappingNode)Parse(yaml);
        node = SetAnnotation(node, PathAnnotation, path);
        node = SetAnnotation(node, InternalPathAnnotation, path);
        node = SetAnnotation(node, IndexAnnotation, "0");
        return SetAnnotation(node, InternalIndexAnnotation, "0");
    }

    /// <summary>A cluster-scoped policy of the same kind and name that this intent did not generate: replacing it would drop someone else's rules.</summary>
    private static IEnumerable<Diagnostic> ClusterCollisions(List<SourceNode> items, IEnumerable<GeneratedClusterPolicy> policies, string intentName)
    {
        var generated = policies.Select(p => (p.Plan.Kind, p.Plan.Name)).ToHashSet();
        foreach (var item in items.OfType<MappingNode>())
        {
            var kind = Scalar(item, "kind");
            var name = item["metadata"] is MappingNode metadata ? Scalar(metadata, "name") : null;
            if (kind is not null && name is not null && generated.Contains((kind, name)))
            {
                var file = Annotation(item, InternalPathAnnotation) ?? Annotation(item, PathAnnotation);
                yield return Diagnostic.Error(DiagnosticCodes.KrmForeignPolicy,
                    $"the input already has a {TextEscaping.Quote(kind)} {TextEscaping.Quote(name)}{(file is null ? "" : $" (from {TextEscaping.Quote(file)})")} "
                    + "that this intent did not generate, and the intent's spec.cluster generates one with the same kind and name",
                    null,
                    "remove the hand-written cluster policy or express it in spec.cluster (only one BaselineAdminNetworkPolicy, named default, can exist); npgen replaces only the policies it generated "
                    + $"(labels app.kubernetes.io/managed-by: npgen and npgen.dev/intent: {intentName})");
            }
        }
    }

    private static PluginOutcome Fail(KrmResultPlaces? places, List<SourceNode> items, IEnumerable<Diagnostic> diagnostics)
    {
        var list = diagnostics.ToList();
        var results = new List<SourceNode>();
        foreach (var diagnostic in list)
        {
            var text = diagnostic.Hint is null ? $"{diagnostic.Code}: {diagnostic.Message}" : $"{diagnostic.Code}: {diagnostic.Message} (hint: {diagnostic.Hint})";
            var place = places?.For(diagnostic) ?? new KrmResultPlace(null, null, null, null, null, null, diagnostic.Code);
            results.Add(KrmResultPlaces.Result(text, diagnostic.Severity == Severity.Error ? "error" : "warning", place));
        }

        var stderr = string.Concat(list.Select(d => (places?.ForStderr(d) ?? d.ToString()) + "\n")) + "npgen: the NetworkPolicies were not generated\n";
        return new PluginOutcome(Emit(items, results), stderr, 1);
    }

    /// <summary>A ResourceList with no items and one error result, for a failure that left nothing else to say.</summary>
    public static string ErrorList(string message)
        => Emit([], [KrmResultPlaces.Result(TextEscaping.ForLine(message), "error", null)]);

    internal static string Emit(List<SourceNode> items, List<SourceNode> results)
    {
        var root = new List<(string, SourceNode)>
        {
            ("apiVersion", YamlNodeWriter.Text("config.kubernetes.io/v1")),
            ("kind", YamlNodeWriter.Text("ResourceList")),
            ("items", YamlNodeWriter.Sequence(items)),
        };
        if (results.Count > 0)
        {
            root.Add(("results", YamlNodeWriter.Sequence(results)));
        }

        return YamlNodeWriter.Write(YamlNodeWriter.Mapping(root));
    }

    private static SourceNode Parse(string yaml)
    {
        var (documents, error) = SourceNodeReader.Read("<generated>", yaml, YamlLimits.Manifest);
        return error is null ? documents[0] : throw new InvalidOperationException($"a generated policy did not read back: {error}");
    }

    private static string? Scalar(MappingNode map, string key) => map[key] is ScalarNode s ? s.Value : null;

    private static string? Annotation(MappingNode item, string key)
        => item["metadata"] is MappingNode m && m["annotations"] is MappingNode a ? Scalar(a, key) : null;

    private static MappingNode SetAnnotation(MappingNode item, string key, string value)
    {
        var metadata = (MappingNode)item["metadata"]!;
        var annotations = metadata["annotations"] as MappingNode ?? YamlNodeWriter.Mapping();
        annotations = annotations.With(YamlNodeWriter.Text(key), YamlNodeWriter.Text(value, quoted: true));
        return item.With(YamlNodeWriter.Text("metadata"), metadata.With(YamlNodeWriter.Text("annotations"), annotations));
    }
}
