using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Pipeline;
using PolicyGen.Verify;

namespace PolicyGen.Kustomize;

/// <summary>
/// A validator call: build what the intent generates (through the generator's config, so the same
/// paths, environment and templates), then check the rendered stream against it with
/// <see cref="RenderedVerifier"/>.
/// </summary>
public sealed record ValidatorRun(GeneratorRun Build, RenderedVerification? Check)
{
    public bool Succeeded => Build.Succeeded && Check is { Succeeded: true };

    /// <summary>Every problem: the build's (when the intent itself is broken), else the check's.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => Check?.Diagnostics ?? Build.Build.Diagnostics;

    /// <summary>1 when the stream was read and differs from the intent (or the intent's own proof failed), 2 for unusable input.</summary>
    public int ExitCode => Succeeded ? 0
        : Check is null ? (BuildOutcome.Of(Build.Build) == Outcome.CheckFailed ? 1 : 2)
        : Check.IsInputError ? 2 : 1;

    /// <param name="configName">The config's file name, for messages.</param>
    /// <param name="configText">A NetworkIntentValidator, or (kpt, <c>npgen-plugin validate</c>) a NetworkIntentGenerator or an inline NetworkIntent.</param>
    /// <param name="baseDirectory">What relative paths in the config are relative to: the kustomization directory.</param>
    /// <param name="loadRestrictor">NPGEN_LOAD_RESTRICTOR from the environment of whoever runs kustomize; see <see cref="LoadRestrictor"/>.</param>
    public static ValidatorRun Run(string configName, string configText, string baseDirectory, IReadOnlyList<ManifestSource> stream, bool withLocations, string? loadRestrictor = null, GeneratorInputs? inputs = null)
    {
        var validator = ValidatorConfig.IsValidator(configText);
        var build = GeneratorRun.Run(configName, validator ? ValidatorConfig.AsGeneratorConfig(configText) : configText, baseDirectory, loadRestrictor, inputs);
        if (validator)
        {
            build = build with { Build = build.Build with { Diagnostics = [.. build.Build.Diagnostics.Select(ValidatorConfig.ForValidator)] } };
        }

        return build.Succeeded
            ? new ValidatorRun(build, RenderedVerifier.Verify(build.Build, stream, withLocations))
            : new ValidatorRun(build, null);
    }

    /// <summary>
    /// kustomize's legacy exec validator (<c>validators:</c> in a kustomization, run by
    /// <c>kubectl kustomize --enable-alpha-plugins</c>). Facts from kustomize v5.5.0
    /// (api/internal/target/kusttarget.go runValidators, api/internal/plugins/execplugin), checked
    /// with kubectl v1.32 on this machine:
    /// <list type="bullet">
    /// <item>validators run after every transformer of the same kustomization (builtin and plugin);
    /// a kustomization that uses this one as a base can still change the result afterwards;</item>
    /// <item>argv[1] is a temporary file holding the config, cwd and KUSTOMIZE_PLUGIN_CONFIG_ROOT are the
    /// kustomization directory, stdin is the whole resource stream (each object annotated with
    /// kustomize.config.k8s.io/id and internal.config.kubernetes.io/previous* bookkeeping);</item>
    /// <item>a validator that passes prints nothing: kustomize then keeps the stream as it was. Printing the
    /// stream back, even byte for byte, fails the build with "validator shouldn't modify the resource
    /// map: nodes unequal", because kustomize compares the re-parsed nodes (with their line numbers) deeply;</item>
    /// <item>a non-zero exit fails the build; kustomize shows the plugin's stderr only then.</item>
    /// </list>
    /// </summary>
    public static PluginOutcome RunLegacy(string configFile, string configText, string configRoot, string stdin, string? loadRestrictor = null, GeneratorInputs? inputs = null)
    {
        var run = Run(configFile, configText, configRoot, [new ManifestSource("<kustomize stream>", stdin)], withLocations: false, loadRestrictor, inputs);
        if (run.Succeeded)
        {
            return new PluginOutcome("", "", 0) { Timings = run.Build.Build.FormatTimings() };
        }

        var stderr = string.Concat(run.Diagnostics.Select(d => d + "\n")) + Summary(run);
        return new PluginOutcome("", stderr, run.ExitCode) { Timings = run.Build.Build.FormatTimings() };
    }

    /// <summary>The last line of a failed validation.</summary>
    public static string Summary(ValidatorRun run)
        => run.Check is null
            ? $"npgen: the validator could not build the intent ({run.Build.Description}), so nothing was checked\n"
            : $"npgen: the rendered NetworkPolicies do not match intent {run.Build.Build.Intent!.Name} ({run.Build.Description}); the build stops here\n";
}
