using System.Text;
using PolicyGen.Manifests;

namespace PolicyGen.Core.Tests.Manifests;

/// <summary>
/// <c>kubectl get -o json | npgen matrix -f -</c>: standard input is held as the bytes it was given
/// and read like a file (JSON by its first character, YAML otherwise), with the same answer and the
/// same places as the text it used to be decoded into.
/// </summary>
public sealed class StandardInputBytesTests
{
    private static LoadResult FromBytes(string text, bool byteOrderMark = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var input = byteOrderMark ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes;
        return ManifestLoader.Load([ManifestSource.FromStandardInput(new MemoryStream(input))]);
    }

    private static LoadResult FromText(string text) => ManifestLoader.Load([new ManifestSource("<stdin>", text)]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_json_dump_on_stdin_reads_as_the_text_did(bool byteOrderMark)
    {
        var json = ManifestJson.AsList(PrunedReaderEquivalenceTests.KubectlPod);
        var bytes = FromBytes(json, byteOrderMark);
        Assert.False(bytes.HasErrors, string.Join("\n", bytes.Diagnostics));
        Assert.NotEmpty(bytes.Cluster.Endpoints);
        Assert.Equal(ClusterText.Of(FromText(json), positions: true), ClusterText.Of(bytes, positions: true));
    }

    [Fact]
    public void Yaml_and_yaml_that_starts_like_json_on_stdin_read_as_the_text_did()
    {
        foreach (var yaml in new[] { PrunedReaderEquivalenceTests.KubectlPod, "{apiVersion: v1, kind: Pod, metadata: {name: a, namespace: n}}\n" })
        {
            var bytes = FromBytes(yaml);
            Assert.False(bytes.HasErrors, string.Join("\n", bytes.Diagnostics));
            Assert.Equal(ClusterText.Of(FromText(yaml), positions: true), ClusterText.Of(bytes, positions: true));
        }
    }

    [Fact]
    public void Invalid_json_on_stdin_is_the_same_located_error()
    {
        var json = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n  {\"kind\": \"Pod\" \"metadata\": {}}\n]}";
        var error = Assert.Single(FromBytes(json).Diagnostics);
        Assert.Equal(Assert.Single(FromText(json).Diagnostics), error);
        Assert.Equal("<stdin>", error.Location!.File);
    }

    [Fact]
    public void Input_longer_than_the_chunks_it_is_held_in_reads_as_the_text_did()
    {
        var pods = string.Concat(Enumerable.Range(0, 10_000).Select(i => $"---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, namespace: n, labels: {{app: \"é{i % 7}\"}}}}\nstatus: {{podIP: 10.{i / 250}.0.{i % 250}}}\n"));
        var json = ManifestJson.AsList(pods);
        Assert.True(json.Length > 2 << 20, $"{json.Length} bytes");
        foreach (var text in new[] { json, pods })
        {
            var bytes = FromBytes(text);
            Assert.False(bytes.HasErrors, string.Join("\n", bytes.Diagnostics));
            Assert.Equal(10_000, bytes.Cluster.Endpoints.Length);
            Assert.Equal(ClusterText.Of(FromText(text), positions: true), ClusterText.Of(bytes, positions: true));
        }
    }
}
