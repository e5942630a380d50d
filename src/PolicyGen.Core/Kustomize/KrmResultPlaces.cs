using System.Collections.Immutable;
using System.Globalization;
using PolicyGen.Diagnostics;

namespace PolicyGen.Kustomize;

/// <summary>
/// Turns a diagnostic's location into the fields of a KRM function result, as the KRM Functions
/// Specification and kyaml's <c>framework.Result</c> define them (facts and sources in
/// tests/PolicyGen.Cli.Tests/Krm/krm-results-spec.txt): <c>resourceRef</c> names the object,
/// <c>field.path</c> the field in it, <c>file.path</c> the file relative to the package (slash
/// separated, never absolute, never a tool's temporary name), <c>file.index</c> the document in that
/// file, and <c>tags</c> (a string-to-string map) the line and column in the user's own file. A
/// location in a tool's copy (<see cref="Copies"/>) keeps its field path but loses its line: the
/// copy's lines are not the file's.
/// </summary>
/// <param name="Root">The directory paths are relative to (the package or kustomization root).</param>
/// <param name="Config">The function config: its node (for resourceRef), the name its diagnostics carry, and where the user keeps it.</param>
/// <param name="Copies">Names (besides a copied config) whose text came from the ResourceList rather than from the file.</param>
public sealed record KrmResultPlaces(string Root, KrmConfigSource Config, ImmutableHashSet<string> Copies)
{
    private readonly Dictionary<string, (ImmutableArray<SourceNode> Documents, bool Readable)> parsed = new(StringComparer.Ordinal);

    /// <summary>Where a diagnostic is, as a result's fields; null fields are left out.</summary>
    public KrmResultPlace For(Diagnostic diagnostic)
    {
        var reference = Config.Node;
        if (diagnostic.Location is not { } location)
        {
            return new KrmResultPlace(reference, Config.FilePath, Config.FilePath is null ? null : Config.Index, null, null, null, diagnostic.Code);
        }

        string? path;
        var index = 0;
        bool copy;
        ImmutableArray<SourceNode> documents;
        if (location.File == Config.Name)
        {
            path = Config.FilePath;
            index = Config.Index;
            copy = Config.IsCopy;
            documents = Parse(Config.Name, Config.Text);
        }
        else if (Copies.Contains(location.File))
        {
            path = location.File;
            copy = true;
            documents = Parse(location.File, Config.PackageFiles.GetValueOrDefault(location.File));
        }
        else
        {
            var full = Path.GetFullPath(Path.Combine(Root, location.File));
            path = GeneratorRun.PackagePath(Root, full);
            copy = false;
            documents = ParseFile(location.File, full);
        }

        string? field = null;
        if (!documents.IsEmpty)
        {
            // The document that holds the line: the last one that starts at or before it.
            var at = 0;
            for (var i = 0; i < documents.Length; i++)
            {
                if (documents[i].Line <= location.Line)
                {
                    at = i;
                }
            }

            field = YamlFieldPath.At(documents[at], location.Line, location.Column);
            if (location.File != Config.Name)
            {
                index = at;
            }

            if (documents[at] is MappingNode map && map["kind"] is ScalarNode)
            {
                reference = map;
            }
        }

        return copy
            ? new KrmResultPlace(reference, path, path is null ? null : index, field, null, null, diagnostic.Code)
            : new KrmResultPlace(reference, path, index, field, location.Line, location.Column, diagnostic.Code);
    }

    /// <summary>
    /// The diagnostic as stderr shows it (one line, and the hint on a second): unchanged when its line
    /// is the user's; for a location in a copy, the file, document and field first, instead of the
    /// copy's line and column.
    /// </summary>
    public string ForStderr(Diagnostic diagnostic)
    {
        if (diagnostic.Location is null)
        {
            return diagnostic.ToString();
        }

        var place = For(diagnostic);
        if (place.Line is not null)
        {
            return (diagnostic.Location.File == place.FilePath || place.FilePath is null ? diagnostic : diagnostic with { Location = diagnostic.Location with { File = place.FilePath } }).ToString();
        }

        var where = place.FilePath is null ? $"the function config ({Identity(Config.Node)})" : $"{TextEscaping.ForLine(place.FilePath)} (document {place.Index})";
        return $"{where}{(place.FieldPath is null ? "" : ", " + TextEscaping.ForLine(place.FieldPath))}: " + diagnostic with { Location = null };
    }

    /// <summary><c>kind/name</c> of a config, for messages.</summary>
    public static string Identity(MappingNode node)
        => $"{(node["kind"] as ScalarNode)?.Value ?? "?"} {TextEscaping.Quote(((node["metadata"] as MappingNode)?["name"] as ScalarNode)?.Value ?? "")}";

    private ImmutableArray<SourceNode> Parse(string name, string? text)
    {
        if (text is null)
        {
            return [];
        }

        if (!parsed.TryGetValue(name, out var entry))
        {
            var (documents, error) = SourceNodeReader.Read(name, text, YamlLimits.ResourceList);
            entry = (error is null ? documents : [], true);
            parsed[name] = entry;
        }

        return entry.Documents;
    }

    /// <summary>A file npgen read, parsed again for field paths; only inside the root (nothing else is opened).</summary>
    private ImmutableArray<SourceNode> ParseFile(string name, string full)
    {
        if (parsed.TryGetValue(name, out var entry))
        {
            return entry.Documents;
        }

        var (checkedPath, refused) = new LoadRestrictor(Path.GetFullPath(Root), RootOnly: true).Resolve(GeneratorRun.PackagePath(Root, full), "file", null);
        ImmutableArray<SourceNode> documents = [];
        if (refused is null && checkedPath is not null && File.Exists(checkedPath)
            && (checkedPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || checkedPath.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || checkedPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
        {
            var (text, _) = BoundedText.ReadFile(checkedPath, YamlLimits.ResourceList);
            if (text is not null)
            {
                var (read, error) = SourceNodeReader.Read(name, text, YamlLimits.ResourceList);
                documents = error is null ? read : [];
            }
        }

        parsed[name] = (documents, true);
        return documents;
    }

    /// <summary>A result as YAML: message, severity, resourceRef, field, file and tags, every tag value a string.</summary>
    public static MappingNode Result(string message, string severity, KrmResultPlace? place)
    {
        var result = new List<(string, SourceNode)>
        {
            ("message", YamlNodeWriter.Text(message, quoted: true)),
            ("severity", YamlNodeWriter.Text(severity)),
        };
        if (place is null)
        {
            return YamlNodeWriter.Mapping(result);
        }

        if (place.Resource is { } resource)
        {
            var reference = new List<(string, SourceNode)>();
            foreach (var key in new[] { "apiVersion", "kind" })
            {
                if (resource[key] is ScalarNode value)
                {
                    reference.Add((key, YamlNodeWriter.Text(value.Value, quoted: true)));
                }
            }

            if (resource["metadata"] is MappingNode metadata)
            {
                foreach (var key in new[] { "name", "namespace" })
                {
                    if (metadata[key] is ScalarNode value)
                    {
                        reference.Add((key, YamlNodeWriter.Text(value.Value, quoted: true)));
                    }
                }
            }

            result.Add(("resourceRef", YamlNodeWriter.Mapping(reference)));
        }

        if (place.FieldPath is not null)
        {
            result.Add(("field", YamlNodeWriter.Mapping(("path", YamlNodeWriter.Text(place.FieldPath, quoted: true)))));
        }

        if (place.FilePath is not null)
        {
            result.Add(("file", YamlNodeWriter.Mapping(
                ("path", YamlNodeWriter.Text(TextEscaping.ForLine(place.FilePath), quoted: true)),
                ("index", YamlNodeWriter.Text((place.Index ?? 0).ToString(CultureInfo.InvariantCulture))))));
        }

        var tags = new List<(string, SourceNode)>();
        if (place.Code is not null)
        {
            tags.Add(("code", YamlNodeWriter.Text(place.Code, quoted: true)));
        }

        if (place.Line is { } line && place.Column is { } column)
        {
            tags.Add(("line", YamlNodeWriter.Text(line.ToString(CultureInfo.InvariantCulture), quoted: true)));
            tags.Add(("column", YamlNodeWriter.Text(column.ToString(CultureInfo.InvariantCulture), quoted: true)));
        }

        if (tags.Count > 0)
        {
            result.Add(("tags", YamlNodeWriter.Mapping(tags)));
        }

        return YamlNodeWriter.Mapping(result);
    }
}
