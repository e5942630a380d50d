using PolicyGen.Diagnostics;

namespace PolicyGen.Manifests;

/// <summary>
/// <see cref="System.Text.Json.Utf8JsonReader"/> counts lines and bytes within a line over the bytes
/// it reads. Values stepped over by <see cref="JsonValueSkipper"/> never reach it (it resumes past
/// them with its state from before), so its count of an error's place leaves out their lines; this
/// puts them back, giving the place the reader would give had it read every byte.
/// </summary>
internal sealed class SkippedLines
{
    /// <summary>The reader's bytes are accounted for up to here.</summary>
    private long seen;

    /// <summary>Newlines in bytes the reader did not see.</summary>
    private long hiddenLines;

    /// <summary>The reader's own line count (0-based) at <see cref="seen"/>.</summary>
    private long readerLine;

    /// <summary>The offset at which the reader's byte position in its current line would be 0.</summary>
    private long readerLineStart;

    /// <summary>The offset where the input's current line starts.</summary>
    private long lineStart;

    /// <summary>Counting starts at <paramref name="offset"/> (past a byte order mark, which the reader never sees).</summary>
    public void Start(long offset) => seen = readerLineStart = lineStart = offset;

    /// <summary>The reader has read the bytes up to <paramref name="upTo"/>; <paramref name="buffer"/> holds the bytes from <paramref name="bufferStart"/> on.</summary>
    public void Seen(ReadOnlySpan<byte> buffer, long bufferStart, long upTo)
    {
        if (upTo <= seen)
        {
            return;
        }

        var span = buffer[(int)(seen - bufferStart)..(int)(upTo - bufferStart)];
        var last = span.LastIndexOf((byte)'\n');
        if (last >= 0)
        {
            readerLine += span.Count((byte)'\n');
            readerLineStart = lineStart = seen + last + 1;
        }

        seen = upTo;
    }

    /// <summary>
    /// The bytes from <paramref name="from"/> to <paramref name="end"/> were stepped over; the reader
    /// resumes at <paramref name="resume"/> (before <paramref name="end"/>, on stand-in bytes) with its
    /// state from <paramref name="from"/>.
    /// </summary>
    public void Hidden(ReadOnlySpan<byte> buffer, long bufferStart, long from, long end, long resume)
    {
        Seen(buffer, bufferStart, from);
        var span = buffer[(int)(from - bufferStart)..(int)(end - bufferStart)];
        var last = span.LastIndexOf((byte)'\n');
        if (last >= 0)
        {
            hiddenLines += span.Count((byte)'\n');
            lineStart = from + last + 1;
        }

        readerLineStart += resume - from;
        seen = resume;
    }

    /// <summary>The input's line and column (in bytes, as the reader reports them) of the reader's 0-based line and byte position.</summary>
    public SourceLocation Place(string file, long line, long bytePosition)
        => line == readerLine
            ? new SourceLocation(file, checked((int)(readerLine + hiddenLines + 1)), checked((int)(readerLineStart + bytePosition - lineStart + 1)))
            : new SourceLocation(file, checked((int)(line + hiddenLines + 1)), checked((int)(bytePosition + 1)));
}
