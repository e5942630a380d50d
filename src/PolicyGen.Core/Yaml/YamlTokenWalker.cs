using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;
using Scalar = YamlDotNet.Core.Tokens.Scalar;

namespace PolicyGen.Yaml;

/// <summary>
/// Reads YamlDotNet's scanner tokens straight into an <see cref="IYamlNodeSink"/>, for the YAML
/// that manifests are made of: block and flow mappings and lists (indentless lists too), scalars of
/// every style, empty values, several documents. It reports what YamlDotNet's <see cref="Parser"/>
/// reports for the same tokens (its rules are followed step by step below: same events, same start
/// marks), without the parser's state machine and one event object per node, which cost about a
/// third of reading a kubectl dump. Anything else (tags, directives, explicit, empty or complex
/// keys, single-pair mappings in flow lists, empty documents, <c>...</c>, any token the parser
/// would refuse) ends the walk with <see cref="YamlSubsetUnsupported"/>: the caller then reads the
/// text with the parser, so its events and errors stay the reference. Scanner errors are thrown
/// as the parser would let them through.
/// </summary>
internal sealed class YamlTokenWalker(TextReader text, IYamlNodeSink sink)
{
    private readonly Scanner scanner = new(text); // as Parser(TextReader) makes it: comments skipped, 1,024-character keys
    private Token current = null!;

    public void Read()
    {
        Next();
        if (current is not StreamStart)
        {
            throw Unsupported();
        }

        Next();
        while (current is not StreamEnd)
        {
            // Parser.ParseDocumentStart: "---" opens an explicit document, anything else an implicit one.
            if (current is DocumentStart)
            {
                Next();
                if (current is DocumentStart or DocumentEnd or StreamEnd or VersionDirective or TagDirective)
                {
                    throw new YamlSubsetUnsupported("an empty document");
                }
            }
            else if (current is DocumentEnd or VersionDirective or TagDirective)
            {
                throw new YamlSubsetUnsupported("a directive or a document end marker");
            }

            sink.DocumentStart();
            Node(block: true, indentless: false);

            // Parser.ParseDocumentEnd: an implicit end is followed by the next document or the end of the stream.
            if (current is not (StreamEnd or DocumentStart))
            {
                throw Unsupported();
            }

            sink.DocumentEnd();
        }
    }

    private void Next()
    {
        if (!scanner.MoveNext())
        {
            throw new YamlSubsetUnsupported("the input ends before the end of the stream");
        }

        current = scanner.Current!;
    }

    /// <summary>Parser.ParseNode without anchors and tags.</summary>
    private void Node(bool block, bool indentless)
    {
        switch (current)
        {
            case Scalar scalar:
                sink.Scalar(scalar.Value, scalar.Style, scalar.Start);
                Next();
                break;
            case BlockEntry when indentless:
                sink.Start(mapping: false, flow: false, current.Start);
                IndentlessSequence();
                break;
            case BlockMappingStart when block:
                sink.Start(mapping: true, flow: false, current.Start);
                Next();
                BlockMapping();
                break;
            case BlockSequenceStart when block:
                sink.Start(mapping: false, flow: false, current.Start);
                Next();
                BlockSequence();
                break;
            case FlowMappingStart:
                sink.Start(mapping: true, flow: true, current.Start);
                Next();
                FlowMapping();
                break;
            case FlowSequenceStart:
                sink.Start(mapping: false, flow: true, current.Start);
                Next();
                FlowSequence();
                break;
            default:
                throw Unsupported();
        }
    }

    /// <summary>Parser.ParseBlockMappingKey and ParseBlockMappingValue, after the mapping's start.</summary>
    private void BlockMapping()
    {
        while (true)
        {
            if (current is BlockEnd)
            {
                sink.End();
                Next();
                return;
            }

            if (current is not Key)
            {
                throw Unsupported();
            }

            Next();
            if (current is not Scalar)
            {
                throw Unsupported(); // an empty, complex, tagged or anchored key
            }

            Node(block: true, indentless: true);
            if (current is not Value value)
            {
                throw Unsupported();
            }

            var mark = value.End;
            Next();
            if (current is Key or Value or BlockEnd)
            {
                sink.Scalar(string.Empty, ScalarStyle.Plain, mark);
            }
            else
            {
                Node(block: true, indentless: true);
            }
        }
    }

    /// <summary>Parser.ParseBlockSequenceEntry, after the list's start.</summary>
    private void BlockSequence()
    {
        while (true)
        {
            if (current is BlockEnd)
            {
                sink.End();
                Next();
                return;
            }

            if (current is not BlockEntry entry)
            {
                throw Unsupported();
            }

            var mark = entry.End;
            Next();
            if (current is BlockEntry or BlockEnd)
            {
                sink.Scalar(string.Empty, ScalarStyle.Plain, mark);
            }
            else
            {
                Node(block: true, indentless: false);
            }
        }
    }

    /// <summary>Parser.ParseIndentlessSequenceEntry: "- " items at their key's indentation; the list ends at the first token that is not one.</summary>
    private void IndentlessSequence()
    {
        while (current is BlockEntry entry)
        {
            var mark = entry.End;
            Next();
            if (current is BlockEntry or Key or Value or BlockEnd)
            {
                sink.Scalar(string.Empty, ScalarStyle.Plain, mark);
            }
            else
            {
                Node(block: true, indentless: false);
            }
        }

        sink.End();
    }

    /// <summary>Parser.ParseFlowSequenceEntry, after the "[".</summary>
    private void FlowSequence()
    {
        var first = true;
        while (current is not FlowSequenceEnd)
        {
            if (!first)
            {
                if (current is not FlowEntry)
                {
                    throw Unsupported();
                }

                Next();
            }

            first = false;
            if (current is Key)
            {
                throw new YamlSubsetUnsupported("a single-pair mapping in a flow list");
            }

            if (current is FlowSequenceEnd)
            {
                break; // a trailing comma
            }

            Node(block: false, indentless: false);
        }

        sink.End();
        Next();
    }

    /// <summary>Parser.ParseFlowMappingKey and ParseFlowMappingValue, after the "{": every entry a scalar key with its ":".</summary>
    private void FlowMapping()
    {
        var first = true;
        while (current is not FlowMappingEnd)
        {
            if (!first)
            {
                if (current is not FlowEntry)
                {
                    throw Unsupported();
                }

                Next();
                if (current is FlowMappingEnd)
                {
                    break; // a trailing comma
                }
            }

            first = false;
            if (current is not Key)
            {
                throw new YamlSubsetUnsupported("a flow mapping entry without a key");
            }

            Next();
            if (current is not Scalar)
            {
                throw Unsupported(); // an empty, complex, tagged or anchored key
            }

            Node(block: false, indentless: false);
            if (current is not Value)
            {
                throw new YamlSubsetUnsupported("a flow mapping key without a value");
            }

            Next();
            if (current is FlowEntry or FlowMappingEnd)
            {
                sink.Scalar(string.Empty, ScalarStyle.Plain, current.Start);
            }
            else
            {
                Node(block: false, indentless: false);
            }
        }

        sink.End();
        Next();
    }

    /// <summary>A token the subset does not read here: an anchor or alias goes to the sink first, which may want the full reader.</summary>
    private YamlSubsetUnsupported Unsupported()
    {
        if (current is Anchor or AnchorAlias)
        {
            sink.AnchorOrAlias();
        }

        return new YamlSubsetUnsupported($"a {current.GetType().Name} token at line {current.Start.Line}");
    }
}
