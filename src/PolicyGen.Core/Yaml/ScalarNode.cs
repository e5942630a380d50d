using PolicyGen.Diagnostics;
using YamlDotNet.Core;

namespace PolicyGen.Yaml;

/// <summary>A scalar with its text, the style it was written in and its explicit tag (null when untagged).</summary>
public sealed record ScalarNode : SourceNode
{
    public ScalarNode(string value, ScalarStyle style, string? tag, string file, int line, int column)
        : base(file, line, column)
    {
        Value = value;
        Style = style;
        Tag = tag;
    }

    public ScalarNode(string value, bool quoted, SourceLocation location)
        : this(value, quoted ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain, null, location.File, location.Line, location.Column)
    {
    }

    public string Value { get; init; }

    public ScalarStyle Style { get; init; }

    /// <summary>The explicit tag (<c>tag:yaml.org,2002:str</c> for <c>!!str</c> ...) or null. A tagged key is never the plain key of the same text.</summary>
    public string? Tag { get; init; }

    /// <summary>Quoted or block text: always a string, never a number, boolean or null.</summary>
    public bool Quoted => Style is not (ScalarStyle.Plain or ScalarStyle.Any);

    /// <summary>A plain <c>~</c>, <c>null</c> or empty value.</summary>
    public bool IsNull => !Quoted && Value is "" or "~" or "null" or "Null" or "NULL";
}
