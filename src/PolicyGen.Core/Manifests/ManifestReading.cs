namespace PolicyGen.Manifests;

/// <summary>How <see cref="ManifestLoader"/> reads its sources.</summary>
internal enum ManifestReading
{
    /// <summary>JSON with <see cref="JsonManifestReader"/>, YAML with <see cref="YamlManifestReader"/>: only the fields the loader uses become nodes.</summary>
    Pruned,

    /// <summary>Every document as a full node tree (<see cref="YamlEventReader"/>); what the fast readers fall back to, and what tests compare them with.</summary>
    FullTree,
}
