using System.Text.RegularExpressions;
using PolicyGen.Yaml;

namespace PolicyGen.Kustomize;

/// <summary>
/// The kustomize/kpt validator config: the same spec as the generator's, so the validator builds
/// exactly the policies the generator builds and then checks the final stream against them:
/// <code>
/// apiVersion: npgen.dev/v1alpha1
/// kind: NetworkIntentValidator
/// metadata: {name: store-netpol-check}
/// spec:
///   intent: ../../base/intents.yaml   # relative to the kustomization directory, as for the generator
///   environment: prod                 # optional
///   overlays: [extra.yaml]            # optional
///   templates: templates/             # optional
/// </code>
/// The spec is read by <see cref="GeneratorConfig"/> (one set of keys and path rules for both).
/// </summary>
public static partial class ValidatorConfig
{
    public const string Kind = "NetworkIntentValidator";

    /// <summary>True when the first document of the config is a <c>NetworkIntentValidator</c>.</summary>
    public static bool IsValidator(string configText) => KindOf(configText) == Kind;

    /// <summary>The config's <c>kind</c>, or null when it is not a YAML mapping with one.</summary>
    public static string? KindOf(string configText)
    {
        var (documents, error) = SourceNodeReader.Read("<config>", configText, YamlLimits.GeneratorConfig);
        return error is null && !documents.IsEmpty && documents[0] is MappingNode map && map["kind"] is ScalarNode kind ? kind.Value : null;
    }

    /// <summary>
    /// The same config as a <c>NetworkIntentGenerator</c>: only the kind line changes, so line and
    /// column numbers in the generator's messages still point into the validator's file.
    /// </summary>
    public static string AsGeneratorConfig(string configText)
    {
        var replaced = KindLine().Replace(configText, $"kind: {GeneratorConfig.Kind}", 1);
        if (replaced != configText)
        {
            return replaced;
        }

        // Flow style or JSON: rewrite the node (positions may shift; the messages still name the keys).
        var (documents, error) = SourceNodeReader.Read("<config>", configText, YamlLimits.GeneratorConfig);
        return error is null && !documents.IsEmpty && documents[0] is MappingNode map
            ? YamlNodeWriter.Write(map.With(YamlNodeWriter.Text("kind"), YamlNodeWriter.Text(GeneratorConfig.Kind)))
            : configText;
    }

    /// <summary>Problems the shared config reader finds are the generator's (NPG700, its kind); for a validator config they are the validator's (NPG720).</summary>
    public static Diagnostics.Diagnostic ForValidator(Diagnostics.Diagnostic diagnostic)
        => diagnostic with
        {
            Code = diagnostic.Code == Diagnostics.DiagnosticCodes.GeneratorConfig ? Diagnostics.DiagnosticCodes.ValidatorConfig : diagnostic.Code,
            Message = diagnostic.Message.Replace(GeneratorConfig.Kind, Kind, StringComparison.Ordinal),
            Hint = diagnostic.Hint?.Replace(GeneratorConfig.Kind, Kind, StringComparison.Ordinal),
        };

    [GeneratedRegex("""^kind:[ \t]*["']?NetworkIntentValidator["']?[ \t]*(#.*)?$""", RegexOptions.Multiline)]
    private static partial Regex KindLine();
}
