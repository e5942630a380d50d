namespace PolicyGen.Yaml;

/// <summary>
/// Thrown by <see cref="YamlTokenWalker"/> at input outside the subset it reads (tags, directives,
/// explicit and empty keys, empty documents, anything the parser would report): the caller reads
/// the text again with YamlDotNet's parser, whose events and errors stay the reference.
/// </summary>
internal sealed class YamlSubsetUnsupported(string reason) : Exception(reason);
