using System.Text;
using PolicyGen.Manifests;
using PolicyGen.Tests.Shared;
using PolicyGen.Workloads;
using PolicyGen.Yaml;

namespace PolicyGen.Core.Tests.Manifests;

/// <summary>
/// The YAML manifest reader walks the scanner's tokens (<see cref="YamlTokenWalker"/>) instead of
/// YamlDotNet's parser events: for the YAML it reads, the pruned nodes, their lines and columns and
/// the List items handed out as they end are the ones the parser's events give; for the rest it
/// steps aside and the loader's answer stays the full reader's.
/// </summary>
public sealed class YamlTokenReadingTests
{
    private const string Edges = """
        # a comment before the first document
        apiVersion: v1
        kind: Pod
        metadata:
          name: "quoted name"   # trailing comment
          namespace: 'single'
          labels:
            empty:
            "quoted key": v
            'k2': |
              literal
              block
            k3: >-
              folded
              text
            k4: plain
              continued
            k5: {}
            k6: []
            k7: ~
          annotations: {a: 1, b: , "c": [x, y, ], d: {e: f}, }
        spec:
          containers:
          -
          - name: c
            ports:
            - containerPort: 80
            -
            - {containerPort: 81, protocol: UDP}
            - [1, [2, 3], {}]
          initContainers:
            - ports: [{containerPort: 82}, ]
          hostNetwork:
        status:
          podIP:
          podIPs: [{ip: 10.0.0.1}, {ip: }]
          conditions:
          - - nested
            -
          - type: Ready
        ---
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Namespace
          metadata: {name: shop, labels: {team: a}}
        - apiVersion: v1
          kind: Pod
          metadata:
            name: p
            namespace: shop
        - kind: ConfigMap
          apiVersion: v1
          metadata: {name: settings, namespace: shop}
          data:
            key: value
        ---
        just a scalar document
        ---
        - a
        - b: c
        ---
        [flow, list, root]
        ---
        {flow: mapping, root: true}
        """;

    /// <summary>What the mangled manifests below have inserted: characters that mean something to YAML.</summary>
    private const string Significant = " \n:-,{}[]\"'#?|>&*!\t%";

    /// <summary>Every document and List item a reader hands out, as text with every position.</summary>
    private static string Read(string yaml, bool tokens)
    {
        var text = new StringBuilder();
        new YamlManifestReader("t.yaml", new StringReader(yaml), tokens).Read(
            (root, items) => Dump(text.Append($"document ({items} items handed out): "), root, 0),
            (item, index) => Dump(text.Append($"item {index}: "), item, 0));
        return text.ToString();
    }

    private static void Dump(StringBuilder text, SourceNode node, int indent)
    {
        text.Append(' ', indent).Append($"@{node.Line}:{node.Column} ");
        switch (node)
        {
            case ScalarNode s:
                text.AppendLine($"scalar {s.Style} tag={s.Tag ?? "-"} [{s.Value}]");
                break;
            case SequenceNode list:
                text.AppendLine($"list flow={list.Flow}");
                foreach (var item in list.Items)
                {
                    Dump(text, item, indent + 2);
                }

                break;
            case MappingNode map:
                text.AppendLine($"mapping flow={map.Flow}");
                foreach (var (key, value) in map.Entries)
                {
                    Dump(text.Append(' ', indent + 2).Append("key "), key, 0);
                    Dump(text, value, indent + 4);
                }

                break;
        }
    }

    private static string KubectlStyleYamlDump()
    {
        var workload = WorkloadGenerator.Generate(WorkloadParameters.FromPreset("S")!, 1);
        var directory = Directory.CreateTempSubdirectory("npgen-token-dump-").FullName;
        try
        {
            WorkloadFiles.Write(workload, directory, KubectlFormat.Yaml);
            return File.ReadAllText(Path.Combine(directory, WorkloadFiles.ManifestsDirectory, KubectlDump.FileName(KubectlFormat.Yaml)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Tokens_give_the_parser_events_nodes_and_positions_for_block_flow_empty_and_multi_document_yaml()
    {
        var read = Read(Edges, tokens: true);
        Assert.Equal(Read(Edges, tokens: false), read);
        Assert.Contains("scalar Plain tag=- []", read); // empty values are read, not refused
        Assert.Contains("item 1: ", read); // the List's items went out as they ended
    }

    [Fact]
    public void Tokens_give_the_parser_events_nodes_for_a_kubectl_style_dump_and_generated_workloads()
    {
        var dump = KubectlStyleYamlDump();
        Assert.Equal(Read(dump, tokens: false), Read(dump, tokens: true));
        Assert.Equal(Read(PrunedReaderEquivalenceTests.KubectlPod, tokens: false), Read(PrunedReaderEquivalenceTests.KubectlPod, tokens: true));
    }

    /// <summary>Where the walker completes, the parser's events give the same reading: nothing the parser refuses gets through.</summary>
    private static void AssertTokensAgreeWithEvents(string yaml, string label)
    {
        string tokens;
        try
        {
            tokens = Read(yaml, tokens: true);
        }
        catch (Exception e) when (e is YamlSubsetUnsupported or FullReadRequired or YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            return; // read again from events, or by the full reader
        }

        string events;
        try
        {
            events = Read(yaml, tokens: false);
        }
        catch (Exception e)
        {
            Assert.Fail($"{label}: the tokens were read, the parser's events fail with {e.GetType().Name}: {e.Message}\n{yaml}");
            throw;
        }

        Assert.True(events == tokens, $"{label}: tokens and events differ\n{yaml}");
    }

    [Fact]
    public void Every_yaml_file_of_the_repository_reads_alike_from_tokens_and_events()
    {
        var files = Directory.EnumerateFiles(ConformanceCase.RepositoryRoot(), "*.yaml", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            AssertTokensAgreeWithEvents(File.ReadAllText(file), file);
        }
    }

    [Fact]
    public void Mangled_manifests_read_from_tokens_only_where_the_parser_reads_them_alike()
    {
        // Each mutant deletes, doubles or inserts one YAML-significant character somewhere.
        var random = new Random(17);
        foreach (var (name, text) in new[] { ("edges", Edges), ("pod", PrunedReaderEquivalenceTests.KubectlPod) })
        {
            // Half the mutants hit a character that is itself significant (a comma, a bracket, a colon).
            var marks = Enumerable.Range(0, text.Length).Where(i => Significant.Contains(text[i], StringComparison.Ordinal)).ToArray();
            for (var i = 0; i < 3000; i++)
            {
                var at = i % 2 == 0 ? random.Next(text.Length) : marks[random.Next(marks.Length)];
                var mutant = random.Next(3) switch
                {
                    0 => text.Remove(at, 1),
                    1 => text.Insert(at, text[at].ToString()),
                    _ => text.Insert(at, Significant[random.Next(Significant.Length)].ToString()),
                };
                AssertTokensAgreeWithEvents(mutant, $"{name} mutant {i}");
            }
        }
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  ? name\n  : p\n")] // the scanner's tokens are those of name: p
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p, : q}\n")] // the scanner gives the empty key a scalar token
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a: }, annotations: {\"b\":c}}\nstatus: {podIPs: [{ip: 10.0.0.1},{}]}\n")]
    public void Explicit_keys_and_json_like_flow_read_from_tokens_as_from_events(string yaml)
    {
        Assert.Equal(Read(yaml, tokens: false), Read(yaml, tokens: true));
        var pruned = ManifestLoader.Load([new ManifestSource("k.yaml", yaml)], null, ManifestReading.Pruned);
        var tree = ManifestLoader.Load([new ManifestSource("k.yaml", yaml)], null, ManifestReading.FullTree);
        Assert.Equal(ClusterText.Of(tree, positions: true), ClusterText.Of(pruned, positions: true));
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: !!map {name: p}\n")]
    [InlineData("%YAML 1.2\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: [a: 1]\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name, p}\n")]
    [InlineData("---\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n...\n")]
    public void Yaml_outside_the_token_subset_is_read_from_parser_events_with_the_same_answer(string yaml)
    {
        Assert.Throws<YamlSubsetUnsupported>(() => Read(yaml, tokens: true));
        var pruned = ManifestLoader.Load([new ManifestSource("o.yaml", yaml)], null, ManifestReading.Pruned);
        var tree = ManifestLoader.Load([new ManifestSource("o.yaml", yaml)], null, ManifestReading.FullTree);
        Assert.Equal(ClusterText.Of(tree, positions: true), ClusterText.Of(pruned, positions: true));
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: &n p}\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: &l {a: b}\nstatus: *l\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {a: 1, a: 2}\n")]
    public void Anchors_aliases_and_duplicate_keys_go_to_the_full_reader_from_tokens_as_from_events(string yaml)
    {
        Assert.Throws<FullReadRequired>(() => Read(yaml, tokens: true));
        Assert.Throws<FullReadRequired>(() => Read(yaml, tokens: false));
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n name: q\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}}\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b} c\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"p\n")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: [a, b]]\n")]
    [InlineData("- a\nb: c\n")]
    public void Syntax_errors_read_from_tokens_are_the_full_readers_errors(string yaml)
    {
        var pruned = ManifestLoader.Load([new ManifestSource("e.yaml", yaml)], null, ManifestReading.Pruned);
        var tree = ManifestLoader.Load([new ManifestSource("e.yaml", yaml)], null, ManifestReading.FullTree);
        Assert.True(tree.HasErrors);
        Assert.Equal(ClusterText.Of(tree, positions: true), ClusterText.Of(pruned, positions: true));
    }
}
