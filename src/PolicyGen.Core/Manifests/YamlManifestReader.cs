using PolicyGen.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PolicyGen.Manifests;

/// <summary>
/// Reads YAML manifests, building located nodes only for what the loader reads
/// (<see cref="PrunedTreeBuilder"/>) and stepping over the rest node by node. It reads the scanner's
/// tokens (<see cref="YamlTokenWalker"/>), or with <c>tokens: false</c> YamlDotNet's parser events,
/// for text outside the walker's subset (<see cref="YamlSubsetUnsupported"/>: the loader reads the
/// source again that way). Input it does not handle itself (an anchor, an alias, a merge key, a
/// duplicate key, nesting past the bound, any syntax error) ends it with
/// <see cref="FullReadRequired"/> or the parser's exception: the loader then reads the source with
/// <see cref="YamlEventReader"/>, whose rules and messages stay the only ones.
/// </summary>
internal sealed class YamlManifestReader(string file, TextReader text, bool tokens = true) : IYamlNodeSink
{
    private readonly PrunedTreeBuilder builder = new(file);
    private readonly int maxDepth = YamlLimits.Manifest.MaxDepth;

    /// <summary>Mappings and lists being skipped, innermost last: is each a mapping, and is its next node a key.</summary>
    private readonly List<(bool Mapping, bool AtKey, int KeysFrom)> skipped = [];

    /// <summary>The keys of the skipped mappings (tag and text), to refuse duplicates as the full reader does.</summary>
    private readonly List<(string? Tag, string Value)> skippedKeys = [];

    /// <summary>Per skipped level, the keys as a set once a mapping has more than a few (reused).</summary>
    private readonly List<HashSet<(string? Tag, string Value)>?> keySets = [];
    private int depth;
    private Action<SourceNode, int> document = (_, _) => { };

    /// <summary>
    /// Reads to the end, handing each document's pruned node tree to <paramref name="document"/>, with
    /// how many items of its top-level List went to <paramref name="listItem"/> before it ended
    /// (<see cref="PrunedTreeBuilder.ListItemReady"/>; null: none do).
    /// </summary>
    public void Read(Action<SourceNode, int> document, Action<MappingNode, int>? listItem = null)
    {
        builder.ListItemReady = listItem;
        this.document = document;
        if (tokens)
        {
            new YamlTokenWalker(text, this).Read();
        }
        else
        {
            ReadEvents();
        }
    }

    private void ReadEvents()
    {
        var parser = new Parser(text);
        parser.Consume<StreamStart>();
        while (!parser.TryConsume<StreamEnd>(out _))
        {
            parser.Consume<DocumentStart>();
            DocumentStart();
            while (!builder.Done)
            {
                var current = parser.Current ?? throw new FullReadRequired("the input ends inside a document");
                Event(current);
                if (!parser.MoveNext())
                {
                    throw new FullReadRequired("the input ends inside a document");
                }
            }

            parser.Consume<DocumentEnd>();
            DocumentEnd();
        }
    }

    public void DocumentStart()
    {
        builder.StartDocument();
        depth = 0;
    }

    public void DocumentEnd() => document(builder.Document!, builder.ListItemsHandedOut);

    public void AnchorOrAlias() => throw new FullReadRequired("an anchor or an alias");

    private void Event(ParsingEvent current)
    {
        switch (current)
        {
            case Scalar scalar:
                if (!scalar.Anchor.IsEmpty)
                {
                    throw new FullReadRequired("an anchor");
                }

                Scalar(scalar.Value, scalar.Style, scalar.Tag.IsEmpty ? null : scalar.Tag.Value, scalar.Start);
                break;
            case MappingStart or SequenceStart:
                var start = (NodeEvent)current;
                if (!start.Anchor.IsEmpty)
                {
                    throw new FullReadRequired("an anchor");
                }

                Start(start is MappingStart, start is MappingStart { Style: MappingStyle.Flow } or SequenceStart { Style: SequenceStyle.Flow }, start.Start);
                break;
            case MappingEnd or SequenceEnd:
                End();
                break;
            default:
                throw new FullReadRequired($"a {current.GetType().Name} event (an alias, or something the full reader reports)");
        }
    }

    public void Scalar(string value, ScalarStyle style, Mark start) => Scalar(value, style, null, start);

    private void Scalar(string value, ScalarStyle style, string? tag, Mark start)
    {
        if (skipped.Count > 0)
        {
            SkippedScalar(value, style, tag);
        }
        else
        {
            KeptScalar(value, style, tag, start);
        }
    }

    public void End()
    {
        depth--;
        if (skipped.Count > 0)
        {
            var (_, _, keysFrom) = skipped[^1];
            skippedKeys.RemoveRange(keysFrom, skippedKeys.Count - keysFrom);
            keySets[skipped.Count - 1]?.Clear();
            skipped.RemoveAt(skipped.Count - 1);
            AfterSkippedNode();
        }
        else
        {
            builder.End();
        }
    }

    private void KeptScalar(string value, ScalarStyle style, string? tag, Mark start)
    {
        if (builder.AtKey)
        {
            if (IsMergeKey(value, style, tag))
            {
                throw new FullReadRequired("a merge key");
            }

            switch (builder.Key(value, tag, style))
            {
                case PrunedTreeBuilder.KeyVerdict.Duplicate:
                    throw new FullReadRequired("a duplicate key");
                case PrunedTreeBuilder.KeyVerdict.Keep:
                    builder.KeyAt(checked((int)start.Line), checked((int)start.Column));
                    break;
            }
        }
        else if (builder.WantsValue)
        {
            builder.Scalar(value, style, tag, checked((int)start.Line), checked((int)start.Column));
        }
        else
        {
            builder.Skipped();
        }
    }

    private static bool IsMergeKey(string value, ScalarStyle style, string? tag)
        => value == "<<" && style is ScalarStyle.Plain && tag is null or "tag:yaml.org,2002:merge";

    private void SkippedScalar(string value, ScalarStyle style, string? tag)
    {
        var (mapping, atKey, keysFrom) = skipped[^1];
        if (mapping && atKey)
        {
            if (IsMergeKey(value, style, tag))
            {
                throw new FullReadRequired("a merge key");
            }

            if (IsDuplicate(skipped.Count - 1, keysFrom, (tag, value)))
            {
                throw new FullReadRequired("a duplicate key");
            }

            skippedKeys.Add((tag, value));
            if (keySets[skipped.Count - 1] is { Count: > 0 } set)
            {
                set.Add((tag, value));
            }
        }

        AfterSkippedNode();
    }

    /// <summary>A node inside a skipped mapping ended: a key is followed by its value, a value by a key.</summary>
    private void AfterSkippedNode()
    {
        if (skipped.Count == 0)
        {
            builder.Skipped();
            return;
        }

        var (mapping, atKey, keysFrom) = skipped[^1];
        if (mapping)
        {
            skipped[^1] = (mapping, !atKey, keysFrom);
        }
    }

    public void Start(bool mapping, bool flow, Mark start)
    {
        if (++depth > maxDepth)
        {
            throw new FullReadRequired("nesting past the bound");
        }

        if (skipped.Count == 0 && builder.AtKey)
        {
            throw new FullReadRequired("a mapping or list used as a key");
        }

        if (skipped.Count > 0 || !builder.WantsValue)
        {
            skipped.Add((mapping, true, skippedKeys.Count));
            if (keySets.Count < skipped.Count)
            {
                keySets.Add(null);
            }

            return;
        }

        var line = checked((int)start.Line);
        var column = checked((int)start.Column);
        if (mapping)
        {
            builder.StartMapping(line, column, flow);
        }
        else
        {
            builder.StartSequence(line, column, flow);
        }
    }

    private bool IsDuplicate(int level, int from, (string? Tag, string Value) key)
    {
        var set = keySets[level];
        if (set is { Count: > 0 })
        {
            return set.Contains(key);
        }

        if (skippedKeys.Count - from < 8)
        {
            for (var i = from; i < skippedKeys.Count; i++)
            {
                if (skippedKeys[i].Value == key.Value && skippedKeys[i].Tag == key.Tag)
                {
                    return true;
                }
            }

            return false;
        }

        set ??= keySets[level] = [];
        for (var i = from; i < skippedKeys.Count; i++)
        {
            set.Add(skippedKeys[i]);
        }

        return set.Contains(key);
    }
}
