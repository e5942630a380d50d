using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Manifests;

/// <summary>
/// Builds one document at a time from YamlDotNet's event parser into <see cref="ManifestNode"/>s,
/// with the semantics of YamlDotNet's <see cref="YamlStream"/> (which the loader used before):
/// the same marks, and a duplicate key is the same <see cref="YamlException"/> at the same point of
/// the stream. Documents with anchors, aliases or non-scalar keys are rare in manifests and have
/// subtle rules (alias resolution, deep key equality), so for them the events read so far are
/// replayed into a <see cref="YamlStream"/>, which reads the rest of the document and decides.
/// </summary>
internal sealed class ManifestDocumentReader(IParser parser)
{
    /// <summary>Maps with more keys than this check duplicates with a hash set instead of a scan.</summary>
    private const int LinearKeyCheck = 8;

    /// <summary>The events of the current document so far, for the replay.</summary>
    private readonly List<ParsingEvent> events = [];

    /// <summary>
    /// Reads the document whose <see cref="DocumentStart"/> is the parser's current event, and
    /// leaves the parser on the event after its <see cref="DocumentEnd"/>.
    /// </summary>
    public ManifestNode ReadDocument()
    {
        events.Clear();
        events.Add(parser.Current!);
        Advance();
        var root = ReadNode() ?? ReadWithRepresentationModel();
        if (parser.Current is not DocumentEnd)
        {
            throw new YamlException(parser.Current!.Start, parser.Current.End, "Expected the end of the document.");
        }

        parser.MoveNext(); // past this document's end
        return root;
    }

    private void Advance()
    {
        if (!parser.MoveNext())
        {
            throw new YamlException("Unexpected end of the YAML stream.");
        }

        events.Add(parser.Current!);
    }

    private static int Line(Mark mark) => checked((int)mark.Line);

    private static int Column(Mark mark) => checked((int)mark.Column);

    /// <summary>Reads the node at the current event; null when the document needs the representation model.</summary>
    private ManifestNode? ReadNode()
    {
        switch (parser.Current)
        {
            case Scalar scalar when scalar.Anchor.IsEmpty:
                Advance();
                return new ManifestScalar(scalar.Value, scalar.Style, scalar.Tag.IsEmpty ? null : scalar.Tag.Value,
                    Line(scalar.Start), Column(scalar.Start));
            case SequenceStart start when start.Anchor.IsEmpty:
            {
                Advance();
                var items = new List<ManifestNode>();
                while (parser.Current is not SequenceEnd)
                {
                    if (ReadNode() is not { } item)
                    {
                        return null;
                    }

                    items.Add(item);
                }

                Advance();
                return new ManifestSequence(items, Line(start.Start), Column(start.Start));
            }

            case MappingStart start when start.Anchor.IsEmpty:
            {
                Advance();
                var entries = new List<KeyValuePair<ManifestNode, ManifestNode>>();
                HashSet<(string? Tag, string Value)>? keys = null;
                while (parser.Current is not MappingEnd)
                {
                    if (parser.Current is not Scalar keyEvent || ReadNode() is not ManifestScalar key || ReadNode() is not { } value)
                    {
                        return null; // a mapping or list as a key, an alias or an anchor
                    }

                    if (IsDuplicate(entries, ref keys, key))
                    {
                        throw new YamlException(keyEvent.Start, keyEvent.End, $"Duplicate key {key.Value}");
                    }

                    entries.Add(new(key, value));
                }

                Advance();
                return new ManifestMapping(entries, Line(start.Start), Column(start.Start));
            }

            default:
                return null;
        }
    }

    /// <summary>YamlDotNet's key equality for scalars: the same tag and the same text.</summary>
    private static bool IsDuplicate(List<KeyValuePair<ManifestNode, ManifestNode>> entries, ref HashSet<(string? Tag, string Value)>? keys,
        ManifestScalar key)
    {
        if (keys is null && entries.Count < LinearKeyCheck)
        {
            foreach (var entry in entries)
            {
                var other = (ManifestScalar)entry.Key;
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
            foreach (var entry in entries)
            {
                var other = (ManifestScalar)entry.Key;
                keys.Add((other.Tag, other.Value));
            }
        }

        return !keys.Add((key.Tag, key.Value));
    }

    /// <summary>
    /// Replays the document's events read so far into a <see cref="YamlStream"/>, which then reads
    /// the rest of the document from the parser; converts its (alias-resolved) tree.
    /// </summary>
    private ManifestNode ReadWithRepresentationModel()
    {
        var stream = new YamlStream();
        stream.Load(new Replay(events, parser));
        return Convert(stream.Documents[0].RootNode);
    }

    private static ManifestNode Convert(YamlNode node)
    {
        var line = Line(node.Start);
        var column = Column(node.Start);
        return node switch
        {
            YamlScalarNode scalar => new ManifestScalar(scalar.Value ?? "", scalar.Style, scalar.Tag.IsEmpty ? null : scalar.Tag.Value, line, column),
            YamlSequenceNode sequence => new ManifestSequence([.. sequence.Children.Select(Convert)], line, column),
            YamlMappingNode mapping => new ManifestMapping(
                [.. mapping.Children.Select(c => new KeyValuePair<ManifestNode, ManifestNode>(Convert(c.Key), Convert(c.Value)))], line, column),
            _ => throw new YamlException(node.Start, node.End, "Unsupported YAML node."),
        };
    }

    /// <summary>
    /// A stream of one document for <see cref="YamlStream"/>: stream start, the buffered events
    /// (which keep their marks), then the parser's own events up to the document's end, stream end.
    /// </summary>
    private sealed class Replay(List<ParsingEvent> buffered, IParser inner) : IParser
    {
        private int next = -1;
        private bool ended;

        public ParsingEvent? Current { get; private set; }

        public bool MoveNext()
        {
            if (ended)
            {
                Current = null;
                return false;
            }

            if (next < 0)
            {
                Current = new StreamStart();
                next = 0;
                return true;
            }

            if (Current is DocumentEnd)
            {
                Current = new StreamEnd();
                ended = true;
                return true;
            }

            if (next < buffered.Count)
            {
                Current = buffered[next++];
                return true;
            }

            if (!inner.MoveNext())
            {
                return false;
            }

            Current = inner.Current;
            return true;
        }
    }
}
