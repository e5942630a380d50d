using System.Collections.Immutable;

namespace PolicyGen.Kustomize;

/// <summary>
/// What a generator call knows besides its config text.
/// </summary>
/// <param name="ConfigDirectory">
/// The config file's own directory relative to the root (from kpt's <c>config.kubernetes.io/path</c>
/// annotation; empty for kustomize, whose root is the config's kustomization): relative paths in the
/// config resolve against it, still inside the root.
/// </param>
/// <param name="Arguments">The legacy exec plugin's extra arguments (argsOneLiner, argsFromFile).</param>
/// <param name="PackageFiles">
/// The package's files as the ResourceList holds them (root-relative path to text), for a kpt run
/// started outside the package: kpt passes no package directory, only the items with their paths.
/// Used for a file the root does not hold on disk; such texts are copies, their lines not the file's.
/// </param>
/// <param name="PackageOnly">
/// The package is not the working directory (kpt was started elsewhere): every file must come from
/// <paramref name="PackageFiles"/>, never from the working directory, which is not the package (NPG733).
/// </param>
public sealed record GeneratorInputs(string ConfigDirectory, PluginArguments Arguments, ImmutableDictionary<string, string> PackageFiles, bool PackageOnly = false)
{
    public static GeneratorInputs None { get; } = new("", PluginArguments.None, ImmutableDictionary<string, string>.Empty);
}
