using System.Collections.Immutable;
using PolicyGen.Manifests;
using PolicyGen.Yaml;

namespace PolicyGen.Verify;

/// <summary>
/// Lists the objects of a rendered stream (kubectl kustomize output, a directory, a ResourceList's
/// items) with their metadata. The policies themselves are read by <see cref="ManifestLoader"/>;
/// this only adds what says whose a policy is: labels and annotations. It reads with the one YAML
/// front end (same bounds and merge keys as the loader). Lists (<c>kind: List</c> and typed
/// <c>...List</c>) are opened like kubectl does. A source that is not YAML yields nothing here;
/// the loader reports it.
/// </summary>
public static class RenderedObjects
{
    public static ImmutableArray<RenderedObject> Scan(ManifestSource source)
    {
        var (documents, error) = SourceNodeReader.Read(source.Name, source.Text, YamlLimits.Manifest);
        if (error is not null)
        {
            return [];
        }

        var objects = ImmutableArray.CreateBuilder<RenderedObject>();
        foreach (var document in documents)
        {
            Add(document, source.Name, objects, depth: 0);
        }

        return objects.ToImmutable();
    }

    private static void Add(SourceNode node, string file, ImmutableArray<RenderedObject>.Builder objects, int depth)
    {
        if (node is not MappingNode map || depth > 2)
        {
            return;
        }

        var kind = Scalar(map, "kind") ?? "";
        if (kind.EndsWith("List", StringComparison.Ordinal) && map["items"] is SequenceNode items)
        {
            var itemKind = kind == "List" ? null : kind[..^"List".Length];
            foreach (var item in items.Items)
            {
                if (item is MappingNode itemMap && itemKind is not null && Scalar(itemMap, "kind") is null)
                {
                    // A typed list's items may leave out their kind; it is the list's kind without "List".
                    objects.Add(Describe(itemMap, file, itemKind, Scalar(map, "apiVersion") ?? ""));
                    continue;
                }

                Add(item, file, objects, depth + 1);
            }

            return;
        }

        objects.Add(Describe(map, file, kind, Scalar(map, "apiVersion") ?? ""));
    }

    private static RenderedObject Describe(MappingNode map, string file, string kind, string apiVersion)
    {
        var metadata = map["metadata"] as MappingNode;
        var ns = metadata is null ? null : Scalar(metadata, "namespace");
        return new RenderedObject(
            Scalar(map, "apiVersion") ?? apiVersion,
            kind,
            string.IsNullOrEmpty(ns) ? "default" : ns,
            (metadata is null ? null : Scalar(metadata, "name")) ?? "",
            StringMap(metadata, "labels"),
            StringMap(metadata, "annotations"),
            file,
            map.Line,
            LastLine(map));
    }

    /// <summary>The last line any node of the object starts on: where the object ends, as far as messages need it.</summary>
    private static int LastLine(SourceNode node) => node switch
    {
        MappingNode m => m.Entries.Length == 0 ? m.Line : Math.Max(m.Line, LastLine(m.Entries[^1].Value)),
        SequenceNode s => s.Items.Length == 0 ? s.Line : Math.Max(s.Line, LastLine(s.Items[^1])),
        _ => node.Line,
    };

    private static ImmutableSortedDictionary<string, string> StringMap(MappingNode? metadata, string key)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (metadata?[key] is MappingNode map)
        {
            foreach (var (k, v) in map.Entries)
            {
                if (v is ScalarNode value)
                {
                    builder[k.Value] = value.Value;
                }
            }
        }

        return builder.ToImmutable();
    }

    private static string? Scalar(MappingNode map, string key) => (map[key] as ScalarNode)?.Value;
}
