using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using PolicyGen.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PolicyGen.Yaml;

/// <summary>
/// The one YAML reader: builds <see cref="SourceNode"/>s straight from YamlDotNet's parser events,
/// one document at a time, with kubectl's reading rules and npgen's bounds in one place.
/// <list type="bullet">
/// <item>Aliases resolve to the anchored node (shared, not copied). Expansion is counted as go-yaml
/// (kubectl's reader, since v2.2.8 / CVE-2019-11253) counts it: every node decoded counts once, and
/// once more for every alias that repeats it; a document with more than 100 aliased and more than
/// 1,000 decoded nodes fails with "excessive aliasing" when the aliased share exceeds 99 % (up to
/// 400,000 decoded nodes), falling linearly to 10 % at 4,000,000. A 1.6 KB "billion laughs" fails
/// after a few hundred events, having built a few dozen nodes.</item>
/// <item>An alias inside its own anchor (<c>spec: &amp;s {apps: *s}</c>) is an error, as in go-yaml
/// ("anchor value contains itself"); so is an alias to an anchor that was never defined.</item>
/// <item>Nesting is limited (<see cref="YamlLimits.MaxDepth"/>): YamlDotNet's scanner and parser keep
/// their own stacks, so only this reader (and what walks its tree) recurses, and it stops first.</item>
/// <item>Merge keys (<c>&lt;&lt;</c>, plain or <c>!!merge</c>) resolve as go-yaml v2 reads them for
/// kubectl: a mapping, or a list of mappings where an earlier one wins; keys written after the
/// <c>&lt;&lt;</c> win over merged ones. A key written before it that the merge also sets is refused:
/// go-yaml v2 lets the merged value replace it, the YAML merge spec (and go-yaml v3) keeps it.</item>
/// <item>Duplicate keys are errors (the same tag and text), as YamlDotNet's representation model had them.</item>
/// </list>
/// </summary>
public sealed class YamlEventReader
{
    /// <summary>Mappings with more keys than this check duplicates with a hash set instead of a scan.</summary>
    private const int LinearKeyCheck = 8;

    private const long AliasRatioRangeLow = 400_000;
    private const long AliasRatioRangeHigh = 4_000_000;

    private const string MergeTag = "tag:yaml.org,2002:merge";

    private readonly Parser parser;
    private readonly string file;
    private readonly YamlLimits limits;
    private readonly Dictionary<string, Anchored> anchors = new(StringComparer.Ordinal);
    private readonly HashSet<string> open = new(StringComparer.Ordinal);

    /// <summary>Children of the lists and mappings being read, innermost last (see <see cref="Pop"/>).</summary>
    private readonly List<SourceNode> itemStack = [];
    private readonly List<KeyValuePair<ScalarNode, SourceNode>> entryStack = [];

    /// <summary>Where the { ... } and [ ... ] being read open, innermost last: an input that ends inside one is reported there.</summary>
    private readonly List<Mark> openFlows = [];
    private long decoded;
    private long aliased;
    private int depth;

    /// <summary>The text, when the caller holds it whole: lets an error YamlDotNet reports without a position (a tab) be placed.</summary>
    private readonly string? wholeText;

    public YamlEventReader(string file, TextReader text, YamlLimits limits)
    {
        this.file = file;
        this.limits = limits;
        parser = new Parser(text);
        Guard(() => parser.Consume<StreamStart>());
    }

    public YamlEventReader(string file, string text, YamlLimits limits)
        : this(file, new StringReader(text), limits)
    {
        wholeText = text;
    }

    /// <summary>
    /// YamlDotNet reports some errors (a tab in the indentation) at 1:1; place them after the last
    /// event read instead, at the tab itself when the text is at hand.
    /// </summary>
    private void Guard(Action read)
    {
        try
        {
            read();
        }
        catch (YamlException ex) when (ex.Start.Index == 0 && LastEnd.Index > 0)
        {
            var at = LastEnd;
            if (wholeText is not null && ex.Message.Contains("tab", StringComparison.Ordinal) && YamlDiagnostics.TabAfter(wholeText, at) is { } tab)
            {
                at = tab;
            }

            throw new YamlException(at, at, ex.Message, ex);
        }
        catch (YamlException ex) when (openFlows.Count > 0 && ex.Message.Contains("flow", StringComparison.Ordinal) && ex.Start.Line > openFlows[^1].Line)
        {
            // A { or [ left open is found only lines later (or at the end): point at the bracket, the line to fix.
            var open = openFlows[^1];
            throw new YamlException(open, open, $"{ex.Message} The {{ or [ opened here is not closed by line {ex.Start.Line}.");
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner fails this way when the input ends inside a { ... } or [ ... ]
            // (a missing closing bracket on the last line): a syntax error at the bracket left open.
            var at = openFlows.Count > 0 ? openFlows[^1] : LastEnd;
            throw new YamlException(at, at, "the input ends inside a flow mapping or list: a { or [ opened here is not closed", ex);
        }
    }

    private Mark LastEnd => parser.Current?.End ?? Mark.Empty;

    private readonly record struct Anchored(SourceNode Node, long Size);

    /// <summary>
    /// Reads the next document; false at the end of the stream. Throws <see cref="YamlException"/>
    /// for a syntax error and <see cref="YamlInputException"/> for input npgen refuses.
    /// </summary>
    public bool TryReadDocument([NotNullWhen(true)] out SourceNode? root)
    {
        SourceNode? read = null;
        var more = false;
        Guard(() => more = TryRead(out read));
        root = read;
        return more;
    }

    private bool TryRead([NotNullWhen(true)] out SourceNode? root)
    {
        if (parser.TryConsume<StreamEnd>(out _))
        {
            root = null;
            return false;
        }

        parser.Consume<DocumentStart>();
        anchors.Clear(); // anchors belong to their document
        open.Clear();
        itemStack.Clear();
        entryStack.Clear();
        openFlows.Clear();
        decoded = 0;
        aliased = 0;
        root = ReadNode();
        parser.Consume<DocumentEnd>();
        return true;
    }

    /// <summary>Every document of the input.</summary>
    public ImmutableArray<SourceNode> ReadAll()
    {
        var documents = ImmutableArray.CreateBuilder<SourceNode>();
        while (TryReadDocument(out var root))
        {
            documents.Add(root);
        }

        return documents.ToImmutable();
    }

    private void Advance()
    {
        if (!parser.MoveNext())
        {
            throw new YamlException("Unexpected end of the YAML stream.");
        }
    }

    private SourceLocation At(Mark mark) => new(file, checked((int)mark.Line), checked((int)mark.Column));

    private static string? TagOf(NodeEvent e) => e.Tag.IsEmpty ? null : e.Tag.Value;

    private bool Open(bool flow, Mark start)
    {
        if (flow)
        {
            openFlows.Add(start);
        }

        return flow;
    }

    private void Close(bool flow)
    {
        if (flow)
        {
            openFlows.RemoveAt(openFlows.Count - 1);
        }
    }

    private SourceNode ReadNode()
    {
        var current = parser.Current ?? throw new YamlException("Unexpected end of the YAML stream.");
        switch (current)
        {
            case Scalar scalar:
                {
                    Advance();
                    decoded++;
                    var node = new ScalarNode(scalar.Value, scalar.Style, TagOf(scalar), file,
                        checked((int)scalar.Start.Line), checked((int)scalar.Start.Column));
                    if (!scalar.Anchor.IsEmpty)
                    {
                        anchors[scalar.Anchor.Value] = new Anchored(node, 1);
                    }

                    return node;
                }

            case AnchorAlias alias:
                Advance();
                return Resolve(alias);
            case SequenceStart start:
                {
                    var before = Enter(start);
                    var flow = Open(start.Style == SequenceStyle.Flow, start.Start);
                    var node = ReadSequence(start);
                    Close(flow);
                    Leave(start, node, before);
                    return node;
                }

            case MappingStart start:
                {
                    var before = Enter(start);
                    var flow = Open(start.Style == MappingStyle.Flow, start.Start);
                    var node = ReadMapping(start);
                    Close(flow);
                    Leave(start, node, before);
                    return node;
                }

            default:
                throw new YamlException(current.Start, current.End, $"Unexpected {current.GetType().Name} event.");
        }
    }

    /// <summary>Steps into a mapping or list (checking the depth, opening its anchor); returns the decode count before it.</summary>
    private long Enter(NodeEvent start)
    {
        if (++depth > limits.MaxDepth)
        {
            throw Refuse(DiagnosticCodes.YamlTooDeep, $"the {limits.What} nests mappings and lists deeper than {limits.MaxDepth} levels", start.Start,
                "no Kubernetes object or intent nests this deep; the input is probably not what it should be");
        }

        if (!start.Anchor.IsEmpty)
        {
            open.Add(start.Anchor.Value);
        }

        var before = decoded;
        Advance();
        decoded++;
        return before;
    }

    private void Leave(NodeEvent start, SourceNode node, long before)
    {
        if (!start.Anchor.IsEmpty)
        {
            open.Remove(start.Anchor.Value);
            anchors[start.Anchor.Value] = new Anchored(node, decoded - before);
        }

        depth--;
    }

    private SourceNode Resolve(AnchorAlias alias)
    {
        var name = alias.Value.Value;
        if (open.Contains(name))
        {
            throw Refuse(DiagnosticCodes.YamlExcessiveAliasing, $"anchor '{name}' contains an alias to itself, so its value would be infinite", alias.Start,
                "an alias (*name) may only refer to an anchor (&name) that is complete before it");
        }

        if (!anchors.TryGetValue(name, out var anchored))
        {
            // YamlDotNet's own wording, which scripts and tests already know.
            throw new YamlException(alias.Start, alias.End, $"Alias *{name} cannot precede anchor declaration: unknown anchor '{name}' referenced");
        }

        decoded += anchored.Size;
        aliased += anchored.Size;
        if (aliased > 100 && decoded > 1000 && (double)aliased / decoded > AllowedAliasRatio(decoded))
        {
            throw Refuse(DiagnosticCodes.YamlExcessiveAliasing,
                $"the {limits.What} contains excessive aliasing: aliases expand it to {decoded:N0} nodes, {aliased:N0} of them copies (kubectl refuses it too)",
                alias.Start, "write the repeated parts out, or use fewer aliases");
        }

        return anchored.Node;
    }

    /// <summary>go-yaml's share of alias-made nodes a document may hold, by its decoded size.</summary>
    private static double AllowedAliasRatio(long decodeCount) => decodeCount switch
    {
        <= AliasRatioRangeLow => 0.99,
        >= AliasRatioRangeHigh => 0.10,
        _ => 0.99 - (0.89 * (decodeCount - AliasRatioRangeLow) / (AliasRatioRangeHigh - AliasRatioRangeLow)),
    };

    private SequenceNode ReadSequence(SequenceStart start)
    {
        var from = itemStack.Count;
        while (parser.Current is not SequenceEnd)
        {
            var item = ReadNode();
            itemStack.Add(item);
        }

        Advance();
        return new SequenceNode(NodeStack.Pop(itemStack, from), file, checked((int)start.Start.Line), checked((int)start.Start.Column))
        {
            Flow = start.Style == SequenceStyle.Flow,
        };
    }

    private MappingNode ReadMapping(MappingStart start)
    {
        var from = entryStack.Count;
        HashSet<(string? Tag, string Value)>? keys = null;
        var mergeAt = -1;
        ScalarNode? mergeKey = null;
        SourceNode? mergeValue = null;
        while (parser.Current is not MappingEnd)
        {
            var keyEvent = parser.Current!;
            var keyNode = ReadNode();
            var key = keyNode as ScalarNode ?? new ScalarNode("<complex key>", ScalarStyle.DoubleQuoted, MappingNode.ComplexKeyTag, file,
                keyNode.Line, keyNode.Column);
            var valueEvent = parser.Current!;
            var value = ReadNode();
            if (key.Value == "<<" && key.Style is ScalarStyle.Plain && key.Tag is null or MergeTag)
            {
                if (valueEvent is AnchorAlias && value is not MappingNode)
                {
                    throw RefuseMerge(value, At(valueEvent.Start)); // go-yaml: an alias must name a mapping, even one holding mappings
                }

                if (mergeKey is not null)
                {
                    throw Refuse(DiagnosticCodes.YamlMergeKey, "a mapping may hold one merge key (<<)", keyEvent.Start,
                        "merge several mappings with one list: <<: [*first, *second]");
                }

                mergeAt = entryStack.Count - from;
                mergeKey = key;
                mergeValue = value;
                continue;
            }

            if (key.Tag != MappingNode.ComplexKeyTag && IsDuplicate(entryStack, from, ref keys, key))
            {
                var first = entryStack.Skip(from).First(e => e.Key.Value == key.Value && e.Key.Tag == key.Tag).Key;
                throw new YamlInputException(Diagnostic.Error(DiagnosticCodes.YamlSyntax, $"invalid YAML: Duplicate key {YamlDiagnostics.Excerpt(key.Value)}",
                    At(keyEvent.Start), $"each key may appear once in a mapping: {YamlDiagnostics.Excerpt(key.Value, 40)} is first set at line {first.Line}; keep one of the two, or merge them"));
            }

            entryStack.Add(new(key, value));
        }

        Advance();
        var line = checked((int)start.Start.Line);
        var column = checked((int)start.Start.Column);
        var entries = NodeStack.Pop(entryStack, from);
        return new MappingNode(mergeKey is null ? entries : Merge(entries, mergeAt, mergeKey, mergeValue!), file, line, column)
        {
            Flow = start.Style == MappingStyle.Flow,
        };
    }

    /// <summary>The entries of a mapping with its merge key resolved (see the class summary for the rules).</summary>
    private ImmutableArray<KeyValuePair<ScalarNode, SourceNode>> Merge(ImmutableArray<KeyValuePair<ScalarNode, SourceNode>> explicitEntries,
        int mergeAt, ScalarNode mergeKey, SourceNode mergeValue)
    {
        IEnumerable<SourceNode> sources = mergeValue switch
        {
            MappingNode map => [map],
            SequenceNode list => list.Items,
            _ => throw RefuseMerge(mergeValue, mergeValue.Location),
        };

        var merged = new List<KeyValuePair<ScalarNode, SourceNode>>();
        var seen = new HashSet<(string? Tag, string Value)>();
        foreach (var source in sources)
        {
            if (source is not MappingNode map)
            {
                throw RefuseMerge(source, source.Location);
            }

            foreach (var entry in map.Entries)
            {
                if (entry.Key.Tag == MappingNode.ComplexKeyTag || seen.Add((entry.Key.Tag, entry.Key.Value)))
                {
                    merged.Add(entry); // an earlier mapping of the list wins
                }
            }
        }

        var explicitKeys = new Dictionary<(string? Tag, string Value), int>();
        for (var i = 0; i < explicitEntries.Length; i++)
        {
            explicitKeys[(explicitEntries[i].Key.Tag, explicitEntries[i].Key.Value)] = i;
        }

        var result = ImmutableArray.CreateBuilder<KeyValuePair<ScalarNode, SourceNode>>(explicitEntries.Length + merged.Count);
        result.AddRange(explicitEntries.Take(mergeAt));
        foreach (var entry in merged)
        {
            if (!explicitKeys.TryGetValue((entry.Key.Tag, entry.Key.Value), out var index))
            {
                result.Add(entry);
            }
            else if (index < mergeAt)
            {
                var written = explicitEntries[index].Key;
                throw new YamlInputException(Diagnostic.Error(DiagnosticCodes.YamlMergeKey,
                    $"key \"{YamlDiagnostics.Excerpt(written.Value)}\" is written before the merge key (<<) at {mergeKey.Location} that sets it too: kubectl (go-yaml v2) takes the merged value, other YAML readers the written one",
                    written.Location, "write the key after the <<: line (it then wins, for every reader), or remove it from one of the two places"));
            }
        }

        result.AddRange(explicitEntries.Skip(mergeAt));
        decoded += merged.Count;
        return result.Count == result.Capacity ? result.MoveToImmutable() : result.ToImmutable();
    }

    private static YamlInputException RefuseMerge(SourceNode value, SourceLocation at)
        => new(Diagnostic.Error(DiagnosticCodes.YamlMergeKey,
            $"a merge key (<<) takes a mapping or a list of mappings, found {Describe(value)}", at,
            "write <<: *anchor, <<: {key: value} or <<: [*first, *second]; kubectl refuses anything else too"));

    private static string Describe(SourceNode node) => node switch
    {
        MappingNode => "a mapping",
        SequenceNode => "a list",
        ScalarNode { IsNull: true } => "nothing (null)",
        ScalarNode s => $"the scalar \"{YamlDiagnostics.Excerpt(s.Value)}\"",
        _ => "an unsupported node",
    };

    private YamlInputException Refuse(string code, string message, Mark at, string hint)
        => new(Diagnostic.Error(code, message, At(at), hint));

    /// <summary>YamlDotNet's key equality for scalars: the same tag and the same text (among the entries on the stack from <paramref name="from"/>).</summary>
    private static bool IsDuplicate(List<KeyValuePair<ScalarNode, SourceNode>> entries, int from, ref HashSet<(string? Tag, string Value)>? keys,
        ScalarNode key)
    {
        if (keys is null && entries.Count - from < LinearKeyCheck)
        {
            for (var i = from; i < entries.Count; i++)
            {
                var other = entries[i].Key;
                if (other.Value == key.Value && other.Tag == key.Tag)
                {
                    return true;
                }
            }

            return false;
        }

        if (keys is null)
        {
            keys = [];
            for (var i = from; i < entries.Count; i++)
            {
                keys.Add((entries[i].Key.Tag, entries[i].Key.Value));
            }
        }

        return !keys.Add((key.Tag, key.Value));
    }
}
