namespace PolicyGen.Manifests;

/// <summary>
/// Thrown by a fast reader when the input uses something only the full-tree reader handles
/// (anchors, aliases, merge keys, a syntax error to place, a kind that changes under a list's
/// default): the loader forgets what the source gave and reads it again with that reader, so every
/// rule and message stays the one of <see cref="Yaml.YamlEventReader"/>.
/// </summary>
internal sealed class FullReadRequired(string reason) : Exception(reason);
