using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Intent;

/// <summary>Parses YAML text into <see cref="SourceNode"/> documents, turning syntax errors into diagnostics.</summary>
public static class SourceNodeReader
{
    public static (ImmutableArray<SourceNode> Documents, Diagnostic? Error) Read(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var inner = ex;
            while (inner.InnerException is YamlException deeper)
            {
                inner = deeper;
            }

            return ([], Diagnostic.Error(DiagnosticCodes.YamlSyntax, $"invalid YAML: {inner.Message}",
                new SourceLocation(file, checked((int)ex.Start.Line), checked((int)ex.Start.Column)),
                inner.Message.StartsWith("Duplicate key", StringComparison.Ordinal) ? "each key may appear once in a mapping" : null));
        }

        return ([.. stream.Documents.Select(d => Convert(file, d.RootNode))], null);
    }

    private static SourceNode Convert(string file, YamlNode node)
    {
        var location = new SourceLocation(file, checked((int)node.Start.Line), checked((int)node.Start.Column));
        switch (node)
        {
            case YamlMappingNode map:
                var entries = ImmutableArray.CreateBuilder<KeyValuePair<ScalarNode, SourceNode>>(map.Children.Count);
                foreach (var child in map.Children)
                {
                    entries.Add(KeyValuePair.Create((ScalarNode)ConvertKey(file, child.Key), Convert(file, child.Value)));
                }

                return new MappingNode(entries.MoveToImmutable(), location);
            case YamlSequenceNode seq:
                var items = ImmutableArray.CreateBuilder<SourceNode>(seq.Children.Count);
                foreach (var child in seq.Children)
                {
                    items.Add(Convert(file, child));
                }

                return new SequenceNode(items.MoveToImmutable(), location);
            case YamlScalarNode scalar:
                return new ScalarNode(scalar.Value ?? "", scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any), location);
            default:
                return new ScalarNode("", false, location);
        }
    }

    private static SourceNode ConvertKey(string file, YamlNode key)
        => key is YamlScalarNode ? Convert(file, key)
            : new ScalarNode("<complex key>", true, new SourceLocation(file, checked((int)key.Start.Line), checked((int)key.Start.Column)));
}
