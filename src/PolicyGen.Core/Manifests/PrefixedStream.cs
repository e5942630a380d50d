namespace PolicyGen.Manifests;

/// <summary>A read-only stream of bytes already read (to see how the input starts) followed by the rest of the stream they came from.</summary>
internal sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream rest) : Stream
{
    private int offset;

    /// <summary>The stream after the prefix (for progress: its position and length).</summary>
    public Stream Rest => rest;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (offset < prefixLength)
        {
            var take = Math.Min(buffer.Length, prefixLength - offset);
            prefix.AsSpan(offset, take).CopyTo(buffer);
            offset += take;
            return take;
        }

        return rest.Read(buffer);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
