using System.Collections.Immutable;
using PolicyGen.Manifests;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Verify;

/// <summary>
/// Lists the objects of a rendered stream (kubectl kustomize output, a directory, a ResourceList's
/// items) with their metadata. The policies themselves are read by <see cref="ManifestLoader"/>;
/// this only adds what the loader's model leaves out: labels and annotations, which say whose a
/// policy is. Lists (<c>kind: List</c> and typed <c>...List</c>) are opened like kubectl does.
/// A source that is not YAML yields nothing here; the loader reports it.
/// </summary>
public static class RenderedObjects
{
    public static ImmutableArray<RenderedObject> Scan(ManifestSource source)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = source.Open();
            stream.Load(reader);
        }
        catch (YamlException)
        {
            return [];
        }

        var objects = ImmutableArray.CreateBuilder<RenderedObject>();
        foreach (var document in stream.Documents)
        {
            Add(document.RootNode, source.Name, objects, depth: 0);
        }

        return objects.ToImmutable();
    }

    private static void Add(YamlNode node, string file, ImmutableArray<RenderedObject>.Builder objects, int depth)
    {
        if (node is not YamlMappingNode map || depth > 2)
        {
            return;
        }

        var kind = Scalar(map, "kind") ?? "";
        if (kind.EndsWith("List", StringComparison.Ordinal) && Child(map, "items") is YamlSequenceNode items)
        {
            var itemKind = kind == "List" ? null : kind[..^"List".Length];
            foreach (var item in items.Children)
            {
                if (item is YamlMappingNode itemMap && itemKind is not null && Scalar(itemMap, "kind") is null)
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

    private static RenderedObject Describe(YamlMappingNode map, string file, string kind, string apiVersion)
    {
        var metadata = Child(map, "metadata") as YamlMappingNode;
        var ns = metadata is null ? null : Scalar(metadata, "namespace");
        return new RenderedObject(
            Scalar(map, "apiVersion") ?? apiVersion,
            kind,
            string.IsNullOrEmpty(ns) ? "default" : ns,
            (metadata is null ? null : Scalar(metadata, "name")) ?? "",
            StringMap(metadata, "labels"),
            StringMap(metadata, "annotations"),
            file,
            checked((int)map.Start.Line),
            checked((int)map.End.Line));
    }

    private static ImmutableSortedDictionary<string, string> StringMap(YamlMappingNode? metadata, string key)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (metadata is not null && Child(metadata, key) is YamlMappingNode map)
        {
            foreach (var (k, v) in map.Children)
            {
                if (k is YamlScalarNode { Value: { } name } && v is YamlScalarNode { Value: { } value })
                {
                    builder[name] = value;
                }
            }
        }

        return builder.ToImmutable();
    }

    private static YamlNode? Child(YamlMappingNode map, string key)
        => map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode map, string key) => (Child(map, key) as YamlScalarNode)?.Value;
}
