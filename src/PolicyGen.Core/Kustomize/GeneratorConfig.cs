using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;

namespace PolicyGen.Kustomize;

/// <summary>
/// The kustomize/kpt generator config that points at an intent file:
/// <code>
/// apiVersion: npgen.dev/v1alpha1
/// kind: NetworkIntentGenerator
/// metadata: {name: shop-netpol}
/// spec:
///   intent: intents.yaml              # relative to the kustomization directory, inside it (see LoadRestrictor)
///   environment: prod                 # optional: environments/prod.yaml next to the intent; a DNS label
///   overlays: [extra.yaml]            # optional
///   templates: templates/             # optional, like npgen build --templates
/// </code>
/// <see cref="Locations"/> holds where each field was written, for the errors that refuse a path.
/// </summary>
public sealed record GeneratorConfig(string Name, string Intent, string? Environment, ImmutableArray<string> Overlays, string? Templates)
{
    public ImmutableDictionary<string, SourceLocation> Locations { get; init; } = ImmutableDictionary<string, SourceLocation>.Empty;

    public const string Kind = "NetworkIntentGenerator";

    // argsOneLiner and argsFromFile are kustomize's, for legacy exec plugins: kustomize turns them into arguments (PluginArguments).
    private static readonly string[] RootKeys = ["apiVersion", "kind", "metadata", "spec", "argsOneLiner", "argsFromFile"];
    private static readonly string[] SpecKeys = ["intent", "environment", "overlays", "templates"];

    public static (GeneratorConfig? Config, ImmutableArray<Diagnostic> Diagnostics) Parse(MappingNode root)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        void Error(string message, SourceNode node, string? hint = null)
            => diagnostics.Add(Diagnostic.Error(DiagnosticCodes.GeneratorConfig, message, node.Location, hint));

        if ((root["apiVersion"] as ScalarNode)?.Value != IntentBinder.ApiVersion || (root["kind"] as ScalarNode)?.Value != Kind)
        {
            Error($"expected apiVersion: {IntentBinder.ApiVersion} and kind: {Kind} (or kind: NetworkIntent with the intent inline)", root,
                "see kustomize-plugin/README.md for the generator config");
            return (null, diagnostics.ToImmutable());
        }

        foreach (var key in root.Entries.Select(e => e.Key).Where(k => !RootKeys.Contains(k.Value)))
        {
            Error($"unknown key \"{key.Value}\"", key, $"the keys are: {string.Join(", ", RootKeys)}");
        }

        var name = ((root["metadata"] as MappingNode)?["name"] as ScalarNode)?.Value ?? "npgen";
        if (root["spec"] is not MappingNode spec)
        {
            Error("spec is missing", root, "add spec: {intent: path/to/intents.yaml}");
            return (null, diagnostics.ToImmutable());
        }

        foreach (var key in spec.Entries.Select(e => e.Key).Where(k => !SpecKeys.Contains(k.Value)))
        {
            Error($"spec: unknown key \"{key.Value}\"", key, $"the keys are: {string.Join(", ", SpecKeys)}");
        }

        var intent = (spec["intent"] as ScalarNode)?.Value;
        if (string.IsNullOrEmpty(intent))
        {
            Error("spec.intent is missing", spec, "give the path of the intent file, relative to the kustomization directory");
        }

        var overlays = spec["overlays"] switch
        {
            null => [],
            SequenceNode s => s.Items.OfType<ScalarNode>().Select(n => n.Value).ToImmutableArray(),
            var other => ReportList(other),
        };

        var environment = (spec["environment"] as ScalarNode)?.Value;
        if (environment is not null && !Validation.KubernetesNames.IsDns1123Label(environment))
        {
            // The name becomes part of a path (environments/<name>.yaml): a plain name, never a path.
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.GeneratorBadEnvironment,
                $"spec.environment: {TextEscaping.Quote(environment)} is not an environment name", spec["environment"]!.Location,
                "an environment is a plain name (lower-case letters, digits and '-', like a namespace) whose overlay is environments/<name>.yaml next to the intent"));
        }

        var locations = spec.Entries.Where(e => SpecKeys.Contains(e.Key.Value))
            .ToImmutableDictionary(e => e.Key.Value, e => e.Value.Location);
        return diagnostics.Count > 0
            ? (null, diagnostics.ToImmutable())
            : (new GeneratorConfig(name, intent!, environment, overlays, (spec["templates"] as ScalarNode)?.Value) { Locations = locations },
                diagnostics.ToImmutable());

        ImmutableArray<string> ReportList(SourceNode node)
        {
            Error("spec.overlays must be a list of files", node);
            return [];
        }
    }
}
