using PolicyGen.Diagnostics;

namespace PolicyGen.Kustomize;

/// <summary>
/// Finds the user's file behind the temporary copy kustomize gives a legacy exec plugin. Facts from
/// kustomize v5.5.0 (api/internal/plugins/execplugin/execplugin.go invokePlugin), checked with
/// kubectl v1.32 on this machine: the plugin's one required argument is a file kustomize writes to
/// the system's temporary folder (<c>kust-plugin-config-NNN</c>) holding the config re-serialized
/// (keys sorted, comments and blank lines gone), and KUSTOMIZE_PLUGIN_CONFIG_ROOT is the directory of
/// the kustomization that lists it. Nothing names the original file, so npgen looks in that
/// kustomization's <c>generators:</c>, <c>transformers:</c> and <c>validators:</c> for the one document
/// with the same apiVersion, kind, name and data, reading only inside the root the load restrictor allows.
/// </summary>
public static class KustomizationConfigFinder
{
    private static readonly string[] KustomizationNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
    private static readonly string[] PluginFields = ["generators", "transformers", "validators"];

    /// <summary>The kustomization file in <paramref name="root"/>, or null.</summary>
    public static string? KustomizationFile(string root)
        => KustomizationNames.Select(n => Path.Combine(root, n)).FirstOrDefault(File.Exists);

    /// <summary>The user's document that <paramref name="copy"/> was made from, or null when none (or more than one) matches.</summary>
    public static ConfigDocument? Find(string root, MappingNode copy, string? loadRestrictor)
    {
        var (restrictor, _) = LoadRestrictor.FromEnvironment(root, loadRestrictor);
        if (restrictor is null || KustomizationFile(root) is not { } kustomization)
        {
            return null;
        }

        var (documents, _, error) = SourceNodeReader.ReadFile(kustomization, YamlLimits.GeneratorConfig);
        if (error is not null || documents.FirstOrDefault() is not MappingNode map)
        {
            return null;
        }

        var matches = new List<ConfigDocument>();
        foreach (var entry in PluginFields.Select(f => map[f]).OfType<SequenceNode>().SelectMany(s => s.Items).OfType<ScalarNode>())
        {
            var (full, refused) = restrictor.Resolve(entry.Value, "generators", null);
            if (refused is null && full is not null && File.Exists(full) && ConfigDocument.Matching(full, full, copy) is { } match)
            {
                matches.Add(match);
            }
        }

        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>What to call the config when its file stays hidden: kind and name, and why no file is named.</summary>
    public static string Hidden(MappingNode copy, string root)
        => $"kustomize's temporary copy of {KrmResultPlaces.Identity(copy)} (kustomize passes a copy and hides the file it came from; no file listed under generators:, transformers: or validators: of {TextEscaping.ForLine(KustomizationFile(root) ?? Path.Combine(root, "kustomization.yaml"))} holds it unchanged)";
}
