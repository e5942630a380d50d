using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using PolicyGen.Diagnostics;
using YamlDotNet.Core;

namespace PolicyGen.Manifests;

/// <summary>
/// Typed access to a manifest's node tree that reports every type mismatch as a diagnostic with the
/// file, line and column of the offending node, and can record where each field was written.
/// </summary>
internal sealed partial class YamlNodeReader(string file, ImmutableArray<Diagnostic>.Builder diagnostics, LabelSets? labelSets = null)
{
    /// <summary>When set, every field read is recorded here under its path (for later validation messages).</summary>
    public Dictionary<string, SourceLocation>? FieldLocations { get; set; }

    public string File => file;


    private readonly ImmutableArray<Diagnostic>.Builder reports = diagnostics;
    private YamlNodeReader? quiet;

    /// <summary>True when this reader has reported anything (for a <see cref="Quiet"/> one: since it was handed out).</summary>
    public bool Reported => reports.Count > 0;

    /// <summary>
    /// A reader of the same file whose reports go nowhere, emptied on each call: for a first reading
    /// without path text (<see cref="FieldPath.None"/>), redone with this reader when it reports anything.
    /// </summary>
    public YamlNodeReader Quiet()
    {
        quiet ??= new YamlNodeReader(file, ImmutableArray.CreateBuilder<Diagnostic>());
        quiet.reports.Clear();
        return quiet;
    }

    public void Error(string code, string message, SourceNode? node, string? hint = null)
        => reports.Add(Diagnostic.Error(code, message, node?.Location, hint));

    public static bool IsNull(SourceNode? node)
        => node is null || node is ScalarNode { IsNull: true };

    public SourceNode? Child(MappingNode map, string key, string path)
    {
        if (!map.TryGetValue(key, out var value) || IsNull(value))
        {
            return null;
        }

        Record(path, value);
        return value;
    }

    public void Record(string path, SourceNode node)
    {
        if (FieldLocations is not null)
        {
            FieldLocations[path] = node.Location;
        }
    }

    public MappingNode? Mapping(MappingNode map, string key, string path)
        => AsMapping(Child(map, key, path), path);

    public MappingNode? AsMapping(SourceNode? node, string path)
    {
        switch (node)
        {
            case null:
                return null;
            case MappingNode m:
                return m;
            default:
                Error(DiagnosticCodes.WrongType, $"{path}: expected a mapping (key: value), found {Describe(node)}", node);
                return null;
        }
    }

    /// <summary>The items of a sequence field; an absent or null field is empty.</summary>
    public ImmutableArray<SourceNode> Sequence(MappingNode map, string key, string path)
    {
        var node = Child(map, key, path);
        switch (node)
        {
            case null:
                return [];
            case SequenceNode s:
                return s.Items;
            default:
                Error(DiagnosticCodes.WrongType, $"{path}: expected a list, found {Describe(node)}", node,
                    $"write it as a YAML list: {key}:\\n- ...");
                return [];
        }
    }

    /// <summary>
    /// A string field. Any scalar is taken as its text (<c>name: y</c>, <c>version: 1</c>), as kubectl's
    /// typed decoding does; mappings and lists are errors.
    /// </summary>
    public string? String(MappingNode map, string key, string path)
        => AsString(Child(map, key, path), path);

    public string? AsString(SourceNode? node, string path)
    {
        switch (node)
        {
            case null:
                return null;
            case ScalarNode s:
                return s.Value;
            default:
                Error(DiagnosticCodes.WrongType, $"{path}: expected a string, found {Describe(node)}", node);
                return null;
        }
    }

    public int? Int(MappingNode map, string key, string path)
    {
        var node = Child(map, key, path);
        if (node is null)
        {
            return null;
        }

        if (node is ScalarNode { Style: ScalarStyle.Plain } s
            && int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(DiagnosticCodes.WrongType, $"{path}: expected an integer, found {Describe(node)}", node,
            node is ScalarNode q && int.TryParse(q.Value, CultureInfo.InvariantCulture, out _) ? "remove the quotes" : null);
        return null;
    }

    public bool? Bool(MappingNode map, string key, string path)
    {
        var node = Child(map, key, path);
        if (node is null)
        {
            return null;
        }

        if (node is ScalarNode { Style: ScalarStyle.Plain } s && bool.TryParse(s.Value, out var value))
        {
            return value;
        }

        Error(DiagnosticCodes.WrongType, $"{path}: expected true or false, found {Describe(node)}", node);
        return null;
    }

    /// <summary>A map of string to string (labels, matchLabels), sorted by key.</summary>
    public ImmutableSortedDictionary<string, string> StringMap(MappingNode map, string key, string path)
    {
        var node = Mapping(map, key, path);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return builder.ToImmutable();
        }

        foreach (var (k, v) in node.Entries)
        {
            var name = AsString(k, path);
            if (name is null)
            {
                continue;
            }

            var value = IsNull(v) ? "" : v is ScalarNode scalar ? scalar.Value : AsString(v, $"{path}.{name}"); // the path only for the error
            if (value is not null)
            {
                builder[name] = value;
            }
        }

        return labelSets is null ? builder.ToImmutable() : labelSets.Share(builder);
    }

    public static string Describe(SourceNode node) => node switch
    {
        MappingNode => "a mapping",
        SequenceNode => "a list",
        ScalarNode s when IsNonStringPlain(s) => $"{(bool.TryParse(s.Value, out _) || YamlBool().IsMatch(s.Value) ? "boolean" : "number")} {s.Value}",
        ScalarNode s => $"the string \"{s.Value}\"",
        _ => "an unsupported node",
    };

    /// <summary>Plain scalars that YAML (1.1, as kubectl reads it) turns into numbers or booleans.</summary>
    private static bool IsNonStringPlain(ScalarNode s)
        => s.Style is ScalarStyle.Plain && s.Value is { Length: > 0 } v && (YamlBool().IsMatch(v) || YamlNumber().IsMatch(v));

    [GeneratedRegex("^(true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)$")]
    private static partial Regex YamlBool();

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|0o?[0-7_]+|([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+|\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex YamlNumber();
}
