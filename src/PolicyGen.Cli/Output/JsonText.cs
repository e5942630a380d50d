using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PolicyGen.Cli.Output;

/// <summary>Deterministic JSON: indented, LF line ends, a final newline, no escaping of '+' or '&lt;' for readability.</summary>
internal static class JsonText
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Streams to stdout for outputs that can be large (the matrix).</summary>
    public static void WriteTo(Stream stream, Action<Utf8JsonWriter> write)
    {
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            write(writer);
        }

        stream.WriteByte((byte)'\n');
        stream.Flush();
    }
}
