namespace PolicyGen.Yaml;

/// <summary>
/// How much YAML one reader accepts. Every reader is bounded in depth and alias expansion; inputs
/// read whole (intents, overlays, generator configs, KRM ResourceLists) are bounded in size too.
/// Manifests are streamed one document at a time, so their size is not limited, only their shape.
/// </summary>
/// <param name="What">What is being read, for messages ("intent file", "KRM ResourceList").</param>
/// <param name="MaxBytes">The largest input read whole, or null for a streamed input.</param>
/// <param name="MaxDepth">How deep mappings and lists may nest.</param>
public sealed record YamlLimits(string What, long? MaxBytes, int MaxDepth)
{
    /// <summary>
    /// go-yaml (kubectl's reader) stops at 10,000 levels; no Kubernetes object or intent comes near
    /// 100, and 1,000 keeps every recursive reader of the tree far from the end of a thread's stack.
    /// </summary>
    public const int DefaultMaxDepth = 1000;

    /// <summary>An intent of 10,000 apps is about 2 MiB; the API server takes request bodies up to 3 MiB.</summary>
    public static YamlLimits Intent { get; } = new("intent file", 8L << 20, DefaultMaxDepth);

    public static YamlLimits Overlay { get; } = new("overlay file", 8L << 20, DefaultMaxDepth);

    public static YamlLimits GeneratorConfig { get; } = new("generator config", 8L << 20, DefaultMaxDepth);

    /// <summary>Everything a kustomization or kpt package holds passes through stdin.</summary>
    public static YamlLimits ResourceList { get; } = new("KRM ResourceList", 64L << 20, DefaultMaxDepth);

    /// <summary>Manifests and rendered templates: streamed, so only depth and aliases are bounded.</summary>
    public static YamlLimits Manifest { get; } = new("manifest", null, DefaultMaxDepth);
}
