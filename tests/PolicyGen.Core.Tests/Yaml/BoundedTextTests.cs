using System.Text;
using PolicyGen.Yaml;

namespace PolicyGen.Core.Tests.Yaml;

/// <summary>
/// A file is read with buffers no larger than the file (the plugin reads small intents and configs):
/// the text and every limit error must be what reading the same bytes as a stream gives. A file
/// that reports no size (/dev/zero) gets the full chunk: YamlBoundsTests reads it.
/// </summary>
public sealed class BoundedTextTests : IDisposable
{
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("npgen-bounded-");

    public void Dispose() => scratch.Delete(recursive: true);

    private static (string? Text, string? Error) Streamed(byte[] bytes, string name, YamlLimits limits)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var (text, error) = BoundedText.Read(reader, name, limits);
        return (text, error?.ToString());
    }

    private (string? Text, string? Error) FromFile(byte[] bytes, string name, YamlLimits limits)
    {
        var path = Path.Join(scratch.FullName, name);
        File.WriteAllBytes(path, bytes);
        var (text, error) = BoundedText.ReadFile(path, limits);
        return (text, error?.ToString()?.Replace(path, name, StringComparison.Ordinal));
    }

    public static TheoryData<int, bool> Sizes() => new()
    {
        { 0, false }, { 1, false }, { 127, false }, { 4096, false }, { 4096, true }, { 65535, false }, { 65536, false }, { 65537, true }, { 200_000, false },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void a_file_reads_as_the_same_bytes_streamed(int size, bool byteOrderMark)
    {
        var text = new StringBuilder();
        for (var i = 0; text.Length < size; i++)
        {
            text.Append(i % 7 == 0 ? "é: ü\n" : $"key{i}: value\n");
        }

        var body = Encoding.UTF8.GetBytes(text.ToString(0, size));
        var bytes = byteOrderMark ? [.. Encoding.UTF8.Preamble, .. body] : body;
        Assert.Equal(Streamed(bytes, "f.yaml", YamlLimits.Intent), FromFile(bytes, "f.yaml", YamlLimits.Intent));
        Assert.Equal(File.ReadAllText(Path.Join(scratch.FullName, "f.yaml")), BoundedText.ReadFile(Path.Join(scratch.FullName, "f.yaml"), YamlLimits.Intent).Text);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(100)]
    [InlineData(101)]
    [InlineData(5000)]
    public void a_file_at_or_past_its_limit_gets_the_same_answer_as_streamed(int size)
    {
        var limits = new YamlLimits("test file", 100, YamlLimits.DefaultMaxDepth);
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, size).Select(i => i % 10 == 9 ? "\n" : "x")));
        var streamed = Streamed(bytes, "f.yaml", limits);
        Assert.Equal(streamed, FromFile(bytes, "f.yaml", limits));
        Assert.Equal(size > 100, streamed.Error is not null);
    }
}
