namespace PolicyGen.Kustomize;

/// <summary>
/// The legacy exec generator plugin (the only style <c>kubectl kustomize --enable-alpha-plugins</c>
/// runs): argv[1] is a file holding the generator config, relative paths resolve against
/// <c>KUSTOMIZE_PLUGIN_CONFIG_ROOT</c> (the kustomization directory), and stdout is a plain YAML stream.
/// </summary>
public static class LegacyExecPlugin
{
    public const string ConfigRootVariable = "KUSTOMIZE_PLUGIN_CONFIG_ROOT";

    /// <summary>Kustomize calls a legacy plugin with exactly one argument, an existing config file, and sets the config root.</summary>
    public static bool IsInvocation(IReadOnlyList<string> args, string? configRoot)
        => args.Count == 1 && !string.IsNullOrEmpty(configRoot) && File.Exists(args[0]);

    /// <summary>
    /// A generator or a validator call, told apart by the config's kind: kustomize runs both the same
    /// way, a validator with the resource stream on stdin.
    /// </summary>
    /// <param name="loadRestrictor">NPGEN_LOAD_RESTRICTOR from the environment of whoever runs kustomize; see <see cref="LoadRestrictor"/>.</param>
    public static PluginOutcome Run(string configFile, string configRoot, string? loadRestrictor, TextReader standardInput)
    {
        var (configText, tooLarge) = BoundedText.ReadFile(configFile, YamlLimits.GeneratorConfig);
        if (configText is null)
        {
            return new PluginOutcome("", tooLarge + "\nnpgen: the NetworkPolicies were not generated\n", 2);
        }

        if (ValidatorConfig.IsValidator(configText))
        {
            var (stream, streamTooLarge) = BoundedText.Read(standardInput, "<kustomize stream>", YamlLimits.ResourceList);
            return stream is null
                ? new PluginOutcome("", streamTooLarge + "\nnpgen: the stream was not checked\n", 2)
                : ValidatorRun.RunLegacy(configFile, configText, configRoot, stream, loadRestrictor);
        }

        return Generate(configFile, configText, configRoot, loadRestrictor);
    }

    private static PluginOutcome Generate(string configFile, string configText, string configRoot, string? loadRestrictor)
    {
        var run = GeneratorRun.Run(configFile, configText, configRoot, loadRestrictor);
        var stderr = string.Concat(run.Build.Diagnostics.Select(d => d + "\n"));
        if (!run.Succeeded)
        {
            return new PluginOutcome("", stderr + "npgen: the NetworkPolicies were not generated\n", 1) { Timings = run.Build.FormatTimings() };
        }

        var stream = string.Concat(run.Build.Policies.Select(p => "---\n" + p.Yaml));
        return new PluginOutcome(stream, stderr, 0) { Timings = run.Build.FormatTimings() };
    }
}
