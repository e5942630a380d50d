using System.Collections.Immutable;
using PolicyGen.Yaml;

namespace PolicyGen.Intent;

/// <summary>
/// An intent as the user gave it, already read (bounded): from a file (<see cref="Path"/> as given,
/// or <c>DIR/intents.yaml</c> for a directory) or from standard input (<see cref="StdinName"/>).
/// </summary>
/// <param name="Path">The file's path, or <c>&lt;stdin&gt;</c>: diagnostics name it.</param>
/// <param name="Text">The whole text, read within <see cref="Yaml.YamlLimits.Intent"/>.</param>
public sealed record IntentInput(string Path, string Text)
{
    /// <summary>The name diagnostics give an intent read from standard input.</summary>
    public const string StdinName = "<stdin>";

    /// <summary>Read from standard input: there is no directory beside it, so no environments/.</summary>
    public bool IsStdin => Path == StdinName;

    /// <summary>
    /// <see cref="Text"/> already read as YAML (the resolver reads it to tell an overlay from an
    /// intent), so the loader does not parse it twice; default when it was not parsed or did not
    /// parse (the loader then reads it and reports the error).
    /// </summary>
    public ImmutableArray<SourceNode> Documents { get; init; }
}
