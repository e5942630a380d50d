using System.Text;

namespace PolicyGen.Manifests;

/// <summary>
/// Line and column (1-based, in UTF-16 characters as the YAML reader counts them) of byte offsets in
/// a UTF-8 stream, found by moving forward only: each byte is looked at once, with vectorised
/// searches, however long the lines are (a minified dump is one line).
/// </summary>
internal sealed class Utf8LinePosition
{
    private long scanned;

    public int Line { get; private set; } = 1;

    public int Column { get; private set; } = 1;

    /// <summary>Starts counting at <paramref name="offset"/> (after a byte order mark).</summary>
    public void StartAt(long offset) => scanned = offset;

    /// <summary>Moves to <paramref name="offset"/>; <paramref name="buffer"/> holds the bytes from <paramref name="bufferStart"/> on.</summary>
    public void MoveTo(ReadOnlySpan<byte> buffer, long bufferStart, long offset)
    {
        if (offset <= scanned)
        {
            return;
        }

        var span = buffer[(int)(scanned - bufferStart)..(int)(offset - bufferStart)];
        var newline = span.LastIndexOf((byte)'\n');
        if (newline >= 0)
        {
            Line += span.Count((byte)'\n');
            Column = 1;
            span = span[(newline + 1)..];
        }

        Column += Utf16Length(span);
        scanned = offset;
    }

    private static int Utf16Length(ReadOnlySpan<byte> span)
    {
        if (Ascii.IsValid(span))
        {
            return span.Length;
        }

        var length = 0;
        foreach (var b in span)
        {
            if ((b & 0xC0) != 0x80)
            {
                length += b >= 0xF0 ? 2 : 1; // a four-byte sequence is a surrogate pair
            }
        }

        return length;
    }
}
