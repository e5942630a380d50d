using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using YamlDotNet.Core;

namespace PolicyGen.Yaml;

/// <summary>Reads YAML text held whole (an intent, an overlay, a config) into <see cref="SourceNode"/> documents, turning every refusal into its diagnostic.</summary>
public static class SourceNodeReader
{
    public static (ImmutableArray<SourceNode> Documents, Diagnostic? Error) Read(string file, string text)
        => Read(file, text, YamlLimits.Intent);

    public static (ImmutableArray<SourceNode> Documents, Diagnostic? Error) Read(string file, string text, YamlLimits limits)
    {
        if (BoundedText.Check(text, file, limits) is { } tooLarge)
        {
            return ([], tooLarge);
        }

        try
        {
            return (new YamlEventReader(file, text, limits).ReadAll(), null);
        }
        catch (Exception ex) when (ex is YamlException or YamlInputException)
        {
            return ([], YamlDiagnostics.From(ex, file, text));
        }
    }

    /// <summary>Reads a file, bounded by <paramref name="limits"/> before any of it is parsed.</summary>
    public static (ImmutableArray<SourceNode> Documents, string? Text, Diagnostic? Error) ReadFile(string path, YamlLimits limits)
    {
        var (text, error) = BoundedText.ReadFile(path, limits);
        if (text is null)
        {
            return ([], null, error);
        }

        var (documents, parseError) = Read(path, text, limits);
        return (documents, text, parseError);
    }
}
