using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace PolicyGen.Tests.Shared;

/// <summary>One expected cell or query of a conformance case, in the words of expected.yaml.</summary>
public sealed record ExpectedConnection(string From, string To, int Port, string Protocol, bool Allowed);

/// <summary>A conformance case from tests/conformance (shared/conformance, copied with its source lines).</summary>
public sealed record ConformanceCase(string Name, string Directory, string Title, ImmutableArray<ExpectedProbe> Probes,
    ImmutableArray<ExpectedConnection> Queries)
{
    public string ClusterFile => Path.Combine(Directory, "cluster.yaml");
    public string PoliciesFile => Path.Combine(Directory, "policies.yaml");

    public override string ToString() => Name;

    public static string Root => Path.Combine(RepositoryRoot(), "tests", "conformance");

    public static IEnumerable<string> Names()
        => System.IO.Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static ConformanceCase Load(string name)
    {
        var directory = Path.Combine(Root, name);
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(directory, "expected.yaml"))));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var probes = Items(root, "probes").Select(p => new ExpectedProbe(
            int.Parse(Scalar(p, "port"), System.Globalization.CultureInfo.InvariantCulture),
            Scalar(p, "protocol"),
            ParseMatrix(Scalar(p, "matrix"))));
        var queries = Items(root, "queries").Select(q => new ExpectedConnection(
            Scalar(q, "from"), Scalar(q, "to"),
            int.Parse(Scalar(q, "port"), System.Globalization.CultureInfo.InvariantCulture),
            Scalar(q, "protocol"), Scalar(q, "allowed") == "true"));
        return new ConformanceCase(name, directory, Scalar(root, "title"), [.. probes], [.. queries]);
    }

    /// <summary>Rows are clients (from), columns servers (to); '.' allowed, 'X' denied.</summary>
    private static ImmutableDictionary<(string From, string To), bool> ParseMatrix(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var columns = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        var cells = ImmutableDictionary.CreateBuilder<(string, string), bool>();
        foreach (var line in lines.Skip(1))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var c = 0; c < columns.Length; c++)
            {
                cells[(parts[0], columns[c])] = parts[c + 1] switch
                {
                    "." => true,
                    "X" => false,
                    var other => throw new InvalidDataException($"matrix cell '{other}' is neither '.' nor 'X'"),
                };
            }
        }

        return cells.ToImmutable();
    }

    private static IEnumerable<YamlMappingNode> Items(YamlMappingNode map, string key)
        => map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlSequenceNode seq
            ? seq.Children.Cast<YamlMappingNode>()
            : [];

    private static string Scalar(YamlMappingNode map, string key) => ((YamlScalarNode)map.Children[new YamlScalarNode(key)]).Value!;

    /// <summary>The checkout's root: the nearest folder above the test binaries that holds PolicyGen.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PolicyGen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PolicyGen.sln not found above " + AppContext.BaseDirectory);
    }
}

public sealed record ExpectedProbe(int Port, string Protocol, ImmutableDictionary<(string From, string To), bool> Cells);
