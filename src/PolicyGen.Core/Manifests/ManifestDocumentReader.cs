using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Manifests;

/// <summary>
/// Builds one document at a time from YamlDotNet's event parser into <see cref="ManifestNode"/>s,
/// with the semantics of YamlDotNet's <see cref="YamlStream"/> (which the loader used before):
/// the same marks, and a duplicate key is the same <see cref="YamlException"/> at the same point of
/// the stream. Anchors, aliases and non-scalar keys are rare in manifests and have subtle rules
/// (alias resolution, deep key equality): <see cref="ReadDocument"/> gives up on them, and the
/// loader reads that source again with <see cref="ReadDocumentWithRepresentationModel"/>, so their
/// rules stay YamlDotNet's and no event has to be kept for a replay.
/// </summary>
internal sealed class ManifestDocumentReader(IParser parser)
{
    /// <summary>Maps with more keys than this check duplicates with a hash set instead of a scan.</summary>
    private const int LinearKeyCheck = 8;

    /// <summary>
    /// Reads the document whose <see cref="DocumentStart"/> is the parser's current event, and
    /// leaves the parser on the event after its <see cref="DocumentEnd"/>. Null when the document
    /// holds an anchor, an alias or a non-scalar key (the parser is then somewhere inside it).
    /// </summary>
    public ManifestNode? ReadDocument()
    {
        Advance();
        if (ReadNode() is not { } root)
        {
            return null;
        }

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
    /// Reads the current document with YamlDotNet's <see cref="YamlStream"/> (anchors resolved,
    /// any key) and converts its tree; leaves the parser after the document's end.
    /// </summary>
    public ManifestNode ReadDocumentWithRepresentationModel()
    {
        var stream = new YamlStream();
        stream.Load(new OneDocument(parser));
        parser.MoveNext(); // past this document's end
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
    /// Presents the current document of a stream as a stream of its own (stream start, the
    /// document's events, stream end), so YamlStream builds one document's nodes at a time. The
    /// events keep their marks, so every line and column stays that of the real file.
    /// </summary>
    private sealed class OneDocument(IParser inner) : IParser
    {
        private int state;

        public ParsingEvent? Current { get; private set; }

        public bool MoveNext()
        {
            switch (state)
            {
                case 0:
                    Current = new StreamStart();
                    state = 1;
                    return true;
                case 1:
                    Current = inner.Current; // the document start the caller stopped at
                    state = 2;
                    return Current is not null;
                case 2:
                    if (Current is DocumentEnd)
                    {
                        Current = new StreamEnd();
                        state = 3;
                        return true;
                    }

                    if (!inner.MoveNext())
                    {
                        return false;
                    }

                    Current = inner.Current;
                    return true;
                default:
                    Current = null;
                    return false;
            }
        }
    }
}
