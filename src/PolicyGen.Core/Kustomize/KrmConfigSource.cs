using System.Collections.Immutable;

namespace PolicyGen.Kustomize;

/// <summary>
/// The function config of a KRM call and where the user keeps it.
/// </summary>
/// <param name="Node">The config as the ResourceList holds it (from <c>functionConfig</c>, or the one NetworkIntent among the items).</param>
/// <param name="Name">The name its diagnostics carry: the file's root-relative path, or <c>&lt;functionConfig&gt;</c> when no file is known.</param>
/// <param name="Text">The text npgen reads: the user's file (other documents blanked) when the root holds it, else the copy.</param>
/// <param name="FilePath">The file relative to the root, from the config.kubernetes.io/path annotation (of the config or of the item that is the same object); null when unknown.</param>
/// <param name="Index">The document index in that file (config.kubernetes.io/index).</param>
/// <param name="IsCopy">True when <paramref name="Text"/> is the ResourceList's copy: its lines are not the file's.</param>
/// <param name="PackageFiles">Every file the items came from (root-relative path to their text), for a kpt run started outside the package.</param>
public sealed record KrmConfigSource(MappingNode Node, string Name, string Text, string? FilePath, int Index, bool IsCopy, ImmutableDictionary<string, string> PackageFiles);
