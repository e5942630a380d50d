using System.Text;
using PolicyGen.Manifests;
using PolicyGen.Yaml;

namespace PolicyGen.Core.Tests.Manifests;

/// <summary>
/// kubectl prints a List's <c>kind</c> after its <c>items</c>, so the fast readers hand each item
/// that names its own apiVersion and kind to the loader as soon as it ends (and, for large inputs,
/// convert it on a second thread) instead of holding the whole List until its kind. The answer must
/// be the full-tree reader's in every case: item indexes in messages, items held back behind one
/// that needs the List's kind, documents that turn out to be no List, errors late in the input.
/// </summary>
public sealed class ListItemsAsTheyEndTests
{
    private static LoadResult Pruned(string name, string text) => ManifestLoader.Load([new ManifestSource(name, text)], null, ManifestReading.Pruned);

    private static LoadResult Tree(string name, string text) => ManifestLoader.Load([new ManifestSource(name, text)], null, ManifestReading.FullTree);

    private static void AssertAsFullTree(string name, string text)
        => Assert.Equal(ClusterText.Of(Tree(name, text), positions: true), ClusterText.Of(Pruned(name, text), positions: true));

    private static string Pod(string name, string extra = "")
        => $$"""{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "{{name}}", "namespace": "n", "labels": {"app": "{{name}}"}, "managedFields": [{"manager": "m"}]}, "spec": {"containers": [{"ports": [{"containerPort": 80}]}]}""" + extra + "}";

    private static string List(string kind, params string[] items)
        => $$"""{"apiVersion": "v1", "items": [{{string.Join(",\n", items)}}], "kind": "{{kind}}", "metadata": {"resourceVersion": ""}""" + "}";

    [Fact]
    public void The_json_reader_hands_out_items_with_their_own_kind_before_the_list_ends()
    {
        var json = List("List", Pod("a"), Pod("b"), """{"metadata": {"name": "c"}}""", Pod("d"));
        var handed = new List<(string Name, int Index)>();
        var documents = new List<(SourceNode Root, int ItemsRead)>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        new JsonManifestReader("l.json", stream, []).Read((root, itemsRead) => documents.Add((root, itemsRead)), null,
            (item, index) => handed.Add((((ScalarNode)((MappingNode)item["metadata"]!)["name"]!).Value, index)));

        // c names no kind (a typed list would lend it one), so it and everything after it wait for the List's kind.
        Assert.Equal([("a", 0), ("b", 1)], handed);
        var (root, itemsRead) = Assert.Single(documents);
        Assert.Equal(2, itemsRead);
        Assert.Equal(2, ((SequenceNode)((MappingNode)root)["items"]!).Items.Length);
    }

    [Fact]
    public void The_yaml_reader_hands_out_items_the_same_way()
    {
        var yaml = """
            apiVersion: v1
            items:
            - {apiVersion: v1, kind: Pod, metadata: {name: a}}
            - {metadata: {name: b}}
            kind: List
            """;
        var handed = new List<int>();
        var documents = new List<int>();
        new YamlManifestReader("l.yaml", new StringReader(yaml)).Read((_, itemsRead) => documents.Add(itemsRead), (_, index) => handed.Add(index));
        Assert.Equal([0], handed);
        Assert.Equal([1], documents);
    }

    [Fact]
    public void Messages_about_items_keep_their_index_when_earlier_items_were_read_ahead()
    {
        var json = List("PodList", Pod("a"), Pod("b", """, "status": {"podIP": "10.0.0.300"}"""), "5",
            """{"metadata": {"name": "c", "namespace": "n"}}""", Pod("d"), """{"kind": "Pod", "metadata": {"name": "e"}}""");
        var result = Pruned("l.json", json);
        Assert.Contains(result.Diagnostics, d => d.Message.StartsWith("items[2] must be a mapping", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("\"10.0.0.300\" is not an IP address", StringComparison.Ordinal));
        Assert.Equal(["default/e", "n/a", "n/b", "n/c", "n/d"], result.Cluster.Endpoints.Select(e => e.Id));
        AssertAsFullTree("l.json", json);
        var yaml = "apiVersion: v1\nitems:\n" + string.Concat(ListItemsAsYaml()) + "kind: PodList\n";
        AssertAsFullTree("l.yaml", yaml);

        static IEnumerable<string> ListItemsAsYaml()
        {
            yield return "- {apiVersion: v1, kind: Pod, metadata: {name: a, namespace: n}}\n";
            yield return "- {apiVersion: v1, kind: Pod, metadata: {name: b, namespace: n}, spec: {containers: [{ports: [{containerPort: 0}]}]}}\n";
            yield return "- 5\n";
            yield return "- {metadata: {name: c, namespace: n}}\n";
            yield return "- {apiVersion: v1, kind: Pod, metadata: {name: d, namespace: n}}\n";
        }
    }

    [Theory]
    [InlineData("Pod")] // items before kind, but no List: the items are no objects of the input
    [InlineData("ConfigMap")]
    [InlineData("")]
    public void A_document_with_items_that_turns_out_to_be_no_list_is_read_again_whole(string kind)
    {
        var json = List(kind, Pod("a"), Pod("b")).Replace("\"kind\": \"\"", "\"kind\": null", StringComparison.Ordinal);
        var result = Pruned("x.json", json);
        Assert.DoesNotContain(result.Cluster.Endpoints, e => e.Name is "a" or "b");
        AssertAsFullTree("x.json", json);
        var yaml = $"apiVersion: v1\nitems:\n- {{apiVersion: v1, kind: Pod, metadata: {{name: a}}}}\nkind: {(kind.Length == 0 ? "null" : kind)}\nmetadata: {{name: m}}\n";
        AssertAsFullTree("x.yaml", yaml);
    }

    [Fact]
    public void A_large_list_converted_on_a_second_thread_gives_the_full_readers_answer_and_order()
    {
        // Over 4 MB, so items are converted on the second thread while parsing goes on.
        var items = new List<string>();
        for (var i = 0; items.Sum(s => s.Length) < 5 << 20; i++)
        {
            var padding = new string('x', 400);
            items.Add(i switch
            {
                1234 => Pod($"p{i}", """, "status": {"podIP": "not-an-ip"}"""),
                2345 => Pod($"p{i - 1}"), // a duplicate: the message names the first one
                3456 => """{"metadata": {"name": "held"}}""", // no kind: this and every later item wait for the List's
                _ => Pod($"p{i}", $$""", "status": {"phase": "Running", "message": "{{padding}}"}"""),
            });
        }

        var json = List("PodList", [.. items]);
        var pruned = Pruned("big.json", json);
        Assert.Equal(2, pruned.Diagnostics.Count(d => d.Severity == PolicyGen.Diagnostics.Severity.Error));
        Assert.Equal(items.Count - 1, pruned.Cluster.Endpoints.Length);
        AssertAsFullTree("big.json", json);
    }

    [Fact]
    public void A_large_yaml_list_converted_on_a_second_thread_gives_the_full_readers_answer()
    {
        var yaml = new StringBuilder("apiVersion: v1\nitems:\n");
        for (var i = 0; yaml.Length < 5 << 20; i++)
        {
            var ports = i == 777 ? "[{containerPort: 70000}]" : "[{containerPort: 80, name: http}]";
            yaml.Append($"- apiVersion: v1\n  kind: Pod\n  metadata: {{name: p{i}, namespace: n, labels: {{app: a{i % 7}}}}}\n  spec: {{containers: [{{ports: {ports}}}]}}\n  status: {{podIP: 10.0.{i / 250 % 250}.{i % 250}, message: {new string('z', 300)}}}\n");
        }

        yaml.Append("kind: List\nmetadata: {resourceVersion: \"\"}\n");
        var text = yaml.ToString();
        var pruned = Pruned("big.yaml", text);
        Assert.Contains(pruned.Diagnostics, d => d.Message.Contains("70000", StringComparison.Ordinal));
        Assert.Equal(ClusterText.Of(Tree("big.yaml", text), positions: true), ClusterText.Of(pruned, positions: true));
    }

    [Fact]
    public void A_syntax_error_late_in_a_large_list_leaves_nothing_of_it_read()
    {
        var items = Enumerable.Range(0, 12_000).Select(i => Pod($"p{i}", $$""", "status": {"message": "{{new string('y', 400)}}"}""")).ToArray();
        var json = List("List", items);
        var broken = json.Replace("], \"kind\"", "],, \"kind\"", StringComparison.Ordinal); // past the last item
        Assert.True(broken.Length > 4 << 20);
        var result = Pruned("big.json", broken);
        Assert.Empty(result.Cluster.Endpoints);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(PolicyGen.Diagnostics.DiagnosticCodes.JsonSyntax, error.Code);
    }
}
