using System.Text;
using PolicyGen.Manifests;
using PolicyGen.Yaml;

namespace PolicyGen.Core.Tests.Manifests;

/// <summary>
/// A large JSON List (a <c>kubectl get -o json</c> dump) has the second half of its items read on
/// another thread, from an item boundary found by kubectl's indentation. The answer, every message
/// and every line and column must be the one-thread reading's: when the other thread's part is
/// used, when it holds an error or an item that needs the List's kind (then it is not used), when
/// the place it started at was no item boundary, and for what comes after the List's items.
/// </summary>
public sealed class ListReadAheadTests
{
    private static LoadResult Load(string name, string text, ManifestReading reading) => ManifestLoader.Load([new ManifestSource(name, text)], null, reading);

    /// <summary>Reading ahead gives the answer of the one-thread pruned reading and of the full-tree reading, positions included.</summary>
    private static LoadResult AssertSameAnswer(string name, string text)
    {
        var ahead = Load(name, text, ManifestReading.PrunedReadingAhead);
        var expected = ClusterText.Of(Load(name, text, ManifestReading.Pruned), positions: true);
        Assert.Equal(expected, ClusterText.Of(ahead, positions: true));
        return ahead;
    }

    /// <summary>Pods as kubectl prints them (4-space indentation, managedFields and status to skip), with <paramref name="item"/> to change one.</summary>
    private static string Dump(int pods, Func<int, string, string>? item = null, string afterItems = "")
    {
        var text = new StringBuilder("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n");
        for (var i = 0; i < pods; i++)
        {
            var pod = $$"""
                        {
                            "apiVersion": "v1",
                            "kind": "Pod",
                            "metadata": {
                                "labels": {
                                    "app": "a{{i % 9}}"
                                },
                                "managedFields": [
                                    {
                                        "manager": "kubelet",
                                        "fieldsV1": { "f:status": { "f:podIP": 1 } }
                                    }
                                ],
                                "name": "p{{i}}",
                                "namespace": "n{{i % 3}}"
                            },
                            "spec": {
                                "containers": [
                                    {
                                        "env": [{"name": "X", "value": "ü{{i}}"}],
                                        "ports": [
                                            {
                                                "containerPort": {{8000 + i % 5}},
                                                "name": "http"
                                            }
                                        ]
                                    }
                                ]
                            },
                            "status": {
                                "phase": "Running",
                                "podIP": "10.1.{{i / 250}}.{{i % 250}}"
                            }
                        }
                """;
            pod = item?.Invoke(i, pod) ?? pod;
            text.Append(pod).Append(i + 1 < pods ? ",\n" : "\n");
        }

        text.Append("    ],\n    \"kind\": \"List\",\n").Append(afterItems).Append("    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n");
        return text.ToString();
    }

    /// <summary>How many items the reader handed out as they ended, and how many of those the other thread read.</summary>
    private static (int Items, int ReadAhead) ReadAhead(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        using var stream = new MemoryStream(bytes);
        var reader = new JsonManifestReader("d.json", stream, []) { ReadAhead = new ListReadAhead(() => new MemoryStream(bytes), bytes.Length) };
        var items = 0;
        reader.Read((_, _) => { }, null, (_, _) => items++);
        return (items, reader.ItemsReadAhead);
    }

    [Fact]
    public void The_second_half_of_a_dump_is_read_on_another_thread_with_the_same_answer_and_places()
    {
        var text = Dump(200);
        var (items, ahead) = ReadAhead(text);
        Assert.Equal(200, items);
        Assert.InRange(ahead, 60, 140);
        var result = AssertSameAnswer("d.json", text);
        Assert.Equal(200, result.Cluster.Endpoints.Length);
        Assert.Equal(ClusterText.Of(Load("d.json", text, ManifestReading.FullTree), positions: true), ClusterText.Of(result, positions: true));
    }

    [Theory]
    [InlineData("duplicate key", 170)]
    [InlineData("syntax error", 170)]
    [InlineData("syntax error", 20)]
    [InlineData("bad address", 170)]
    [InlineData("no kind", 170)]
    [InlineData("other kind", 170)]
    [InlineData("too deep", 170)]
    public void Trouble_in_either_half_reads_as_on_one_thread(string trouble, int at)
    {
        var text = Dump(200, (i, pod) => i != at ? pod : trouble switch
        {
            "duplicate key" => pod.Replace("\"phase\": \"Running\",", "\"phase\": \"Running\",\n\"phase\": \"Pending\",", StringComparison.Ordinal),
            "syntax error" => pod.Replace("\"phase\": \"Running\",", "\"phase\": \"Running\",,", StringComparison.Ordinal),
            "bad address" => pod.Replace("\"podIP\": \"10.1.", "\"podIP\": \"10.1.999.", StringComparison.Ordinal),
            "no kind" => pod.Replace("\"kind\": \"Pod\",", "", StringComparison.Ordinal),
            "other kind" => pod.Replace("\"kind\": \"Pod\",", "\"kind\": \"Service\",", StringComparison.Ordinal),
            _ => pod.Replace("\"fieldsV1\": { ", "\"fieldsV1\": " + new string('[', 2000) + new string(']', 2000) + ", \"x\": {", StringComparison.Ordinal),
        });
        var result = AssertSameAnswer("d.json", text);
        if (trouble is "duplicate key" or "syntax error" or "bad address" or "too deep")
        {
            Assert.Contains(result.Diagnostics, d => d.Severity == PolicyGen.Diagnostics.Severity.Error);
        }
    }

    [Fact]
    public void A_kindless_item_read_ahead_leaves_every_later_item_to_the_lists_kind()
    {
        var text = Dump(200, (i, pod) => i == 150 ? pod.Replace("\"kind\": \"Pod\",", "", StringComparison.Ordinal) : pod)
            .Replace("\"kind\": \"List\"", "\"kind\": \"PodList\"", StringComparison.Ordinal);
        Assert.Equal((150, 0), ReadAhead(text));
        Assert.Equal(200, AssertSameAnswer("d.json", text).Cluster.Endpoints.Length);
    }

    [Theory]
    [InlineData("ConfigMap")]
    [InlineData("PodList")]
    public void A_list_whose_kind_comes_after_the_items_read_ahead_is_read_as_its_kind_says(string kind)
    {
        var text = Dump(200).Replace("\"kind\": \"List\"", $"\"kind\": \"{kind}\"", StringComparison.Ordinal);
        var result = AssertSameAnswer("d.json", text);
        Assert.Equal(kind == "ConfigMap" ? 0 : 200, result.Cluster.Endpoints.Length);
    }

    [Fact]
    public void A_place_that_looks_like_an_item_boundary_but_is_not_one_is_not_used()
    {
        // After the items, a field of the List holds objects at the items' indentation, past the middle.
        var decoys = string.Join(",\n", Enumerable.Range(0, 400).Select(i => $"        {{\n            \"apiVersion\": \"v1\",\n            \"kind\": \"Pod\",\n            \"metadata\": {{\"name\": \"decoy{i}\"}}\n        }}"));
        var text = Dump(20, afterItems: $"    \"zz\": [\n{decoys}\n    ],\n");
        var bytes = Encoding.UTF8.GetBytes(text);
        using var stream = new MemoryStream(bytes);
        var reader = new JsonManifestReader("d.json", stream, []) { ReadAhead = new ListReadAhead(() => new MemoryStream(bytes), bytes.Length) };
        var items = 0;
        reader.Read((_, _) => { }, null, (_, _) => items++);
        Assert.Equal((20, 0), (items, reader.ItemsReadAhead));
        Assert.DoesNotContain(AssertSameAnswer("d.json", text).Cluster.Endpoints, e => e.Name.StartsWith("decoy", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("    \"kind\": \"List\",\n", "duplicate")]
    [InlineData("    \"x\": [1, 2,, 3],\n", "syntax")]
    public void Errors_after_the_items_keep_their_line_and_column(string afterItems, string what)
    {
        var text = Dump(200, afterItems: afterItems);
        Assert.InRange(ItemsReadAheadOrError(text), 1, 200);
        var result = AssertSameAnswer("d.json", text);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == PolicyGen.Diagnostics.Severity.Error);
        var line = text[..text.LastIndexOf(afterItems, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        Assert.Equal(line, error.Location!.Line);
        Assert.Contains(what == "duplicate" ? "duplicate key" : "invalid JSON", error.Message, StringComparison.Ordinal);

        static int ItemsReadAheadOrError(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            using var stream = new MemoryStream(bytes);
            var reader = new JsonManifestReader("d.json", stream, []) { ReadAhead = new ListReadAhead(() => new MemoryStream(bytes), bytes.Length) };
            Assert.Throws<ManifestJsonException>(() => reader.Read((_, _) => { }, null, (_, _) => { }));
            return reader.ItemsReadAhead;
        }
    }

    [Fact]
    public void A_dump_on_standard_input_is_read_ahead_from_the_bytes_held()
    {
        var text = Dump(200);
        var bytes = Encoding.UTF8.GetBytes(text);
        var held = ManifestLoader.Load([ManifestSource.FromStandardInput(new MemoryStream(bytes))], null, ManifestReading.PrunedReadingAhead);
        Assert.Equal(ClusterText.Of(Load("<stdin>", text, ManifestReading.Pruned), positions: true), ClusterText.Of(held, positions: true));
    }
}
