using System.Globalization;
using PolicyGen.Diagnostics;
using PolicyGen.Pipeline;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

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

    /// <param name="input">The ResourceList kustomize or kpt wrote to stdin.</param>
    /// <param name="workingDirectory">The kustomization root (kustomize starts the function there): paths in the config resolve against it.</param>
    /// <param name="loadRestrictor">NPGEN_LOAD_RESTRICTOR from the environment of whoever runs kustomize; see <see cref="LoadRestrictor"/>.</param>
    public static PluginOutcome Run(string input, string workingDirectory, string? loadRestrictor = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(input));
        }
        catch (YamlException ex)
        {
            return Fail(null, [], [Diagnostic.Error(DiagnosticCodes.ResourceListInvalid, $"stdin is not a ResourceList: {TextEscaping.Excerpt(ex.Message)}",
                new SourceLocation("<stdin>", checked((int)ex.Start.Line), checked((int)ex.Start.Column)))]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || Scalar(root, "kind") != "ResourceList")
        {
            return Fail(null, [], [Diagnostic.Error(DiagnosticCodes.ResourceListInvalid, "stdin is not a ResourceList (kind: ResourceList)", null,
                "npgen krm is run by kustomize or kpt; to build by hand use npgen build intents.yaml")]);
        }

        var items = root.Children.TryGetValue(new YamlScalarNode("items"), out var itemsNode) && itemsNode is YamlSequenceNode seq
            ? seq.Children.ToList()
            : [];
        if (!root.Children.TryGetValue(new YamlScalarNode("functionConfig"), out var configNode) || configNode is not YamlMappingNode functionConfig)
        {
            return Fail(null, items, [Diagnostic.Error(DiagnosticCodes.ResourceListInvalid, "the ResourceList has no functionConfig", null,
                "declare the generator config as the function's config (kustomize: list it under generators:; kpt: --fn-config or configPath)")]);
        }

        var configName = Annotation(functionConfig, InternalPathAnnotation) ?? Annotation(functionConfig, PathAnnotation) ?? "functionConfig";
        var run = GeneratorRun.Run(configName, Serialize(functionConfig), workingDirectory, loadRestrictor);
        if (!run.Succeeded)
        {
            return Fail(functionConfig, items, run.Build.Diagnostics) with { Timings = run.Build.FormatTimings() };
        }

        var intentName = run.Build.Intent!.Name;
        var output = items.Where(item => !IsOurs(item, intentName)).ToList();
        var collisions = Collisions(output, run.Build.Policies, intentName).ToList();
        if (collisions.Count > 0)
        {
            return Fail(functionConfig, items, collisions) with { Timings = run.Build.FormatTimings() };
        }

        foreach (var policy in run.Build.Policies)
        {
            var node = (YamlMappingNode)Parse(policy.Yaml);
            var path = $"netpol/{policy.Plan.Namespace}/{policy.Plan.Name}.yaml";
            SetAnnotation(node, PathAnnotation, path);
            SetAnnotation(node, InternalPathAnnotation, path);
            SetAnnotation(node, IndexAnnotation, "0");
            SetAnnotation(node, InternalIndexAnnotation, "0");
            output.Add(node);
        }

        var v = run.Build.Verification;
        var message = $"generated {run.Build.Policies.Length} NetworkPolicies from {run.Description}"
            + (v is null ? "" : $"; verified {v.FlowsChecked.ToString("N0", CultureInfo.InvariantCulture)} flows and {v.ExpectationsChecked} expectations");
        var results = new YamlSequenceNode(Result(message, "info", null, null));
        var warnings = run.Build.Diagnostics.Where(d => d.Severity == Severity.Warning).ToList();
        foreach (var warning in warnings)
        {
            results.Add(Result(warning.Message, "warning", warning.Location, functionConfig));
        }

        return new PluginOutcome(Emit(output, results), string.Concat(warnings.Select(w => w + "\n")), 0) { Timings = run.Build.FormatTimings() };
    }

    /// <summary>A NetworkPolicy that this intent generated before (its labels say so): replaced, not duplicated.</summary>
    private static bool IsOurs(YamlNode item, string intentName)
        => item is YamlMappingNode map && Scalar(map, "kind") == "NetworkPolicy"
            && map.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode m
            && m.Children.TryGetValue(new YamlScalarNode("labels"), out var labels) && labels is YamlMappingNode l
            && Scalar(l, "app.kubernetes.io/managed-by") == "npgen" && Scalar(l, "npgen.dev/intent") == intentName;

    /// <summary>
    /// A NetworkPolicy in the input that npgen did not generate but that has the namespace and name
    /// of one it generates: two objects with one identity, of which the API server keeps whichever
    /// is applied last. Refused, never replaced: npgen does not overwrite what someone wrote by hand.
    /// </summary>
    private static IEnumerable<Diagnostic> Collisions(List<YamlNode> items, IEnumerable<GeneratedPolicy> policies, string intentName)
    {
        var generated = policies.Select(p => (p.Plan.Namespace, p.Plan.Name)).ToHashSet();
        foreach (var item in items.OfType<YamlMappingNode>().Where(i => Scalar(i, "kind") == "NetworkPolicy"))
        {
            var metadata = item.Children.TryGetValue(new YamlScalarNode("metadata"), out var m) ? m as YamlMappingNode : null;
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

    private static PluginOutcome Fail(YamlMappingNode? functionConfig, List<YamlNode> items, IEnumerable<Diagnostic> diagnostics)
    {
        var list = diagnostics.ToList();
        var results = new YamlSequenceNode();
        foreach (var diagnostic in list)
        {
            var text = diagnostic.Hint is null ? $"{diagnostic.Code}: {diagnostic.Message}" : $"{diagnostic.Code}: {diagnostic.Message} (hint: {diagnostic.Hint})";
            results.Add(Result(text, diagnostic.Severity == Severity.Error ? "error" : "warning", diagnostic.Location, functionConfig));
        }

        var stderr = string.Concat(list.Select(d => d + "\n")) + "npgen: the NetworkPolicies were not generated\n";
        return new PluginOutcome(Emit(items, results), stderr, 1);
    }

    /// <summary>A ResourceList with no items and one error result, for a failure that left nothing else to say.</summary>
    public static string ErrorList(string message)
        => Emit([], new YamlSequenceNode(Result(TextEscaping.ForLine(message), "error", null, null)));

    private static YamlMappingNode Result(string message, string severity, SourceLocation? location, YamlMappingNode? functionConfig)
    {
        var result = new YamlMappingNode
        {
            { "message", Quoted(message) },
            { "severity", severity },
        };
        if (functionConfig is not null)
        {
            var reference = new YamlMappingNode();
            foreach (var key in new[] { "apiVersion", "kind" })
            {
                if (Scalar(functionConfig, key) is { } value)
                {
                    reference.Add(key, value);
                }
            }

            if (functionConfig.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode m
                && Scalar(m, "name") is { } name)
            {
                reference.Add("name", name);
            }

            result.Add("resourceRef", reference);
        }

        if (location is not null)
        {
            result.Add("file", new YamlMappingNode { { "path", Quoted(TextEscaping.ForLine(location.File)) } });
            result.Add("tags", new YamlMappingNode
            {
                { "line", location.Line.ToString(CultureInfo.InvariantCulture) },
                { "column", location.Column.ToString(CultureInfo.InvariantCulture) },
            });
        }

        return result;
    }

    private static string Emit(List<YamlNode> items, YamlSequenceNode results)
    {
        var root = new YamlMappingNode
        {
            { "apiVersion", "config.kubernetes.io/v1" },
            { "kind", "ResourceList" },
            { "items", new YamlSequenceNode(items) },
        };
        if (results.Children.Count > 0)
        {
            root.Add("results", results);
        }

        return Serialize(root);
    }

    private static string Serialize(YamlNode node)
    {
        var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }

    private static YamlScalarNode Quoted(string text) => new(text) { Style = ScalarStyle.DoubleQuoted };

    private static string? Scalar(YamlMappingNode map, string key)
        => map.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode s ? s.Value : null;

    private static string? Annotation(YamlMappingNode item, string key)
        => item.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode m
            && m.Children.TryGetValue(new YamlScalarNode("annotations"), out var annotations) && annotations is YamlMappingNode a
                ? Scalar(a, key)
                : null;

    private static void SetAnnotation(YamlMappingNode item, string key, string value)
    {
        var metadata = (YamlMappingNode)item.Children[new YamlScalarNode("metadata")];
        if (!metadata.Children.TryGetValue(new YamlScalarNode("annotations"), out var annotations))
        {
            annotations = new YamlMappingNode();
            metadata.Add("annotations", annotations);
        }

        ((YamlMappingNode)annotations).Children[new YamlScalarNode(key)] = Quoted(value);
    }
}
