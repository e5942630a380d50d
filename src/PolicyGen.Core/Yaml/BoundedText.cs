using System.Text;
using PolicyGen.Diagnostics;

namespace PolicyGen.Yaml;

/// <summary>
/// Reads an input that is parsed whole (an intent, an overlay, a generator config, a ResourceList)
/// without ever holding more than its limit: a 200 MB file or <c>/dev/zero</c> ends with an error
/// naming the limit after reading just past it, not with the machine's memory.
/// </summary>
public static class BoundedText
{
    private const int Chunk = 1 << 16;

    public static (string? Text, Diagnostic? Error) ReadFile(string path, YamlLimits limits)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var chunk = ChunkFor(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: chunk);
        return Read(reader, path, limits, chunk);
    }

    /// <summary>Reads to the end, or stops with an error once the text is longer than the limit (counted in characters, at most the bytes read).</summary>
    public static (string? Text, Diagnostic? Error) Read(TextReader reader, string name, YamlLimits limits)
        => Read(reader, name, limits, Chunk);

    /// <summary>
    /// Buffers no larger than the file: a small intent or generator config read with 64 KiB
    /// buffers cost the plugin more (fresh memory to clear) than reading it. A file whose size is
    /// unknown or 0 (a pipe, a device) gets the full chunk; a file that grows is still read to its end.
    /// </summary>
    private static int ChunkFor(FileStream stream)
    {
        var length = stream.CanSeek ? stream.Length : 0;
        return length is > 0 and < Chunk ? (int)length + 1 : Chunk;
    }

    private static (string? Text, Diagnostic? Error) Read(TextReader reader, string name, YamlLimits limits, int chunk)
    {
        var max = limits.MaxBytes ?? long.MaxValue;
        var text = new StringBuilder();
        var buffer = new char[chunk];
        var lines = 1;
        var lineStart = 0L;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (text.Length + (long)read > max)
            {
                var take = (int)(max - text.Length);
                for (var i = 0; i < take; i++)
                {
                    if (buffer[i] == '\n')
                    {
                        lines++;
                        lineStart = text.Length + i + 1;
                    }
                }

                return (null, TooLarge(name, limits, new SourceLocation(name, lines, checked((int)Math.Min(int.MaxValue, max - lineStart + 1)))));
            }

            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    lines++;
                    lineStart = text.Length + i + 1;
                }
            }

            text.Append(buffer, 0, read);
        }

        return (text.ToString(), null);
    }

    /// <summary>The error for text already in memory (a ResourceList's functionConfig, a test's string) that is over the limit; null when within it.</summary>
    public static Diagnostic? Check(string text, string name, YamlLimits limits)
        => limits.MaxBytes is { } max && text.Length > max ? TooLarge(name, limits, new SourceLocation(name, 1, 1)) : null;

    private static Diagnostic TooLarge(string name, YamlLimits limits, SourceLocation location)
        => Diagnostic.Error(DiagnosticCodes.YamlInputTooLarge,
            $"{YamlDiagnostics.Excerpt(name, 200)} is larger than {FormatSize(limits.MaxBytes!.Value)}, the most npgen reads as one {limits.What}; it stopped reading there",
            location, "check that this is the file you meant (not a device, a log or a binary)");

    public static string FormatSize(long bytes)
        => bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes} bytes";
}
