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

    /// <param name="validate">
    /// Check instead of generate, whatever the functionConfig's kind (<c>npgen-plugin validate</c>, for a
    /// kpt validator whose config is the NetworkIntent itself). A NetworkIntentValidator config always checks.
    /// </param>
    public static PluginOutcome Run(string input, string workingDirectory, bool validate = false)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(input));
        }
        catch (YamlException ex)
        {
            return Fail(null, [], [Diagnostic.Error(DiagnosticCodes.ResourceListInvalid, $"stdin is not a ResourceList: {ex.Message}",
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
        if (validate || Scalar(functionConfig, "kind") == ValidatorConfig.Kind)
        {
            return KrmValidator.Run(items, functionConfig, configName, workingDirectory);
        }

        var run = GeneratorRun.Run(configName, Serialize(functionConfig), workingDirectory);
        if (!run.Succeeded)
        {
            return Fail(functionConfig, items, run.Build.Diagnostics) with { Timings = run.Build.FormatTimings() };
        }

        var intentName = run.Build.Intent!.Name;
        var output = items.Where(item => !IsOurs(item, intentName)).ToList();
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

    internal static YamlMappingNode Result(string message, string severity, SourceLocation? location, YamlMappingNode? functionConfig)
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
            result.Add("file", new YamlMappingNode { { "path", Quoted(location.File) } });
            result.Add("tags", new YamlMappingNode
            {
                { "line", location.Line.ToString(CultureInfo.InvariantCulture) },
                { "column", location.Column.ToString(CultureInfo.InvariantCulture) },
            });
        }

        return result;
    }

    internal static string Emit(List<YamlNode> items, YamlSequenceNode results)
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

    internal static string Serialize(YamlNode node)
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
