using PolicyGen.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PolicyGen.Yaml;

/// <summary>
/// Writes <see cref="SourceNode"/>s back as YAML through YamlDotNet's emitter (which quotes what
/// must be quoted): scalars keep their style and tag, mappings and lists the flow or block style
/// they were read in (empty ones as <c>{}</c> and <c>[]</c>). Used where npgen passes objects through (KRM).
/// </summary>
public static class YamlNodeWriter
{
    /// <summary>Where nodes made by npgen (not read from a file) say they come from.</summary>
    private static readonly SourceLocation Generated = new("<generated>", 1, 1);

    public static string Write(SourceNode node)
    {
        var writer = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Emit(IEmitter emitter, SourceNode node)
    {
        switch (node)
        {
            case ScalarNode s:
                emitter.Emit(new Scalar(AnchorName.Empty, s.Tag is null ? TagName.Empty : new TagName(s.Tag), s.Value, s.Style,
                    isPlainImplicit: s.Tag is null, isQuotedImplicit: s.Tag is null));
                break;
            case SequenceNode list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, list.Flow || list.Items.IsEmpty ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list.Items)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case MappingNode map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, map.Flow || map.Entries.IsEmpty ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var entry in map.Entries)
                {
                    Emit(emitter, entry.Key.Tag == MappingNode.ComplexKeyTag ? entry.Key with { Tag = null } : entry.Key);
                    Emit(emitter, entry.Value);
                }

                emitter.Emit(new MappingEnd());
                break;
        }
    }

    /// <summary>A plain (or, with <paramref name="quoted"/>, double-quoted) string made by npgen.</summary>
    public static ScalarNode Text(string value, bool quoted = false) => new(value, quoted, Generated);

    public static MappingNode Mapping(params IEnumerable<(string Key, SourceNode Value)> entries)
        => new([.. entries.Select(e => KeyValuePair.Create(Text(e.Key), e.Value))], Generated);

    public static SequenceNode Sequence(IEnumerable<SourceNode> items) => new([.. items], Generated);
}
