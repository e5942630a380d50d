using System.Text;
using System.Text.RegularExpressions;
using PolicyGen.Diagnostics;

namespace PolicyGen.Kustomize;

/// <summary>
/// The legacy exec generator plugin (the only style <c>kubectl kustomize --enable-alpha-plugins</c>
/// runs): argv[1] is a temporary file holding the generator config, any further arguments come from
/// the config's <c>argsOneLiner</c> / <c>argsFromFile</c> (<see cref="PluginArguments"/>), relative
/// paths resolve against <c>KUSTOMIZE_PLUGIN_CONFIG_ROOT</c> (the kustomization directory), and
/// stdout is a plain YAML stream.
/// </summary>
public static class LegacyExecPlugin
{
    public const string ConfigRootVariable = "KUSTOMIZE_PLUGIN_CONFIG_ROOT";

    /// <summary>The prefix of the temporary config file kustomize passes (execplugin.go tmpConfigFilePrefix).</summary>
    private const string TemporaryConfigPrefix = "kust-plugin-config-";

    /// <summary>Before each document of the YAML stream kustomize reads.</summary>
    private const string Separator = "---\n";

    /// <summary>
    /// Kustomize calls a legacy plugin with an existing config file first and sets the config root;
    /// with extra arguments (argsOneLiner, argsFromFile) only kustomize's own temporary file counts.
    /// </summary>
    public static bool IsInvocation(IReadOnlyList<string> args, string? configRoot)
        => args.Count >= 1 && !string.IsNullOrEmpty(configRoot) && File.Exists(args[0])
            && (args.Count == 1 || Path.GetFileName(args[0]).StartsWith(TemporaryConfigPrefix, StringComparison.Ordinal));

    /// <summary>
    /// A generator or a validator call, told apart by the config's kind: kustomize runs both the same
    /// way, a validator with the resource stream on stdin.
    /// </summary>
    /// <param name="loadRestrictor">NPGEN_LOAD_RESTRICTOR from the environment of whoever runs kustomize; see <see cref="LoadRestrictor"/>.</param>
    /// <param name="arguments">The arguments after the config file.</param>
    public static PluginOutcome Run(string configFile, string configRoot, string? loadRestrictor, TextReader standardInput, IReadOnlyList<string>? arguments = null)
    {
        var (configText, tooLarge) = BoundedText.ReadFile(configFile, YamlLimits.GeneratorConfig);
        if (configText is null)
        {
            return new PluginOutcome("", tooLarge + "\nnpgen: the NetworkPolicies were not generated\n", 2);
        }

        // Name the user's file, not kustomize's temporary copy, wherever it can be found.
        var (documents, error) = SourceNodeReader.Read(configFile, configText, YamlLimits.GeneratorConfig);
        var copy = error is null ? documents.FirstOrDefault() as MappingNode : null;
        var user = copy is null ? null : KustomizationConfigFinder.Find(configRoot, copy, loadRestrictor);
        var (name, text) = user is null ? (configFile, configText) : (user.Name, user.Text);
        var inputs = GeneratorInputs.None with { Arguments = PluginArguments.Parse(arguments ?? []) };

        PluginOutcome outcome;
        if (ValidatorConfig.IsValidator(text))
        {
            var (stream, streamTooLarge) = BoundedText.Read(standardInput, "<kustomize stream>", YamlLimits.ResourceList);
            outcome = stream is null
                ? new PluginOutcome("", streamTooLarge + "\nnpgen: the stream was not checked\n", 2)
                : ValidatorRun.RunLegacy(name, text, configRoot, stream, loadRestrictor, inputs);
        }
        else
        {
            outcome = Generate(name, text, configRoot, loadRestrictor, inputs);
        }

        // Nothing on stderr names the copy: skip building the pattern (the plugin's start-up counts).
        return user is null && copy is not null && outcome.StdErr.Length > 0
            ? outcome with { StdErr = NameHiddenConfig(outcome.StdErr, configFile, copy, configRoot) }
            : outcome;
    }

    private static PluginOutcome Generate(string configFile, string configText, string configRoot, string? loadRestrictor, GeneratorInputs inputs)
    {
        var run = GeneratorRun.Run(configFile, configText, configRoot, loadRestrictor, inputs);
        var stderr = string.Concat(run.Build.Diagnostics.Select(d => d + "\n"));
        if (!run.Succeeded)
        {
            return new PluginOutcome("", stderr + "npgen: the NetworkPolicies were not generated\n", 1) { Timings = run.Build.FormatTimings() };
        }

        var yaml = run.Build.Policies.Select(p => p.Yaml).Concat(run.Build.ClusterPolicies.Select(p => p.Yaml)).ToList();
        var stream = new StringBuilder(yaml.Sum(y => y.Length + Separator.Length));
        foreach (var document in yaml)
        {
            stream.Append(Separator).Append(document);
        }

        return new PluginOutcome(stream.ToString(), stderr, 0) { Timings = run.Build.FormatTimings() };
    }

    /// <summary>
    /// Where the user's file stays unknown, a position in kustomize's copy helps no one: say which
    /// generator it was (kind and name) and which field, instead of the temporary file's line.
    /// </summary>
    private static string NameHiddenConfig(string stderr, string configFile, MappingNode copy, string configRoot)
    {
        var hidden = KustomizationConfigFinder.Hidden(copy, configRoot);
        var shown = TextEscaping.ForLine(configFile);
        var located = new Regex(Regex.Escape(shown) + @":(?<line>\d+):(?<column>\d+): ", RegexOptions.None, TimeSpan.FromSeconds(1));
        return located.Replace(stderr, m =>
        {
            var field = YamlFieldPath.At(copy, int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture));
            return $"{hidden}{(field is null ? "" : ", " + field)}: ";
        }).Replace(shown, hidden, StringComparison.Ordinal);
    }
}
