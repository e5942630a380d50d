namespace PolicyGen.Manifests;

/// <summary>
/// Bytes read from a stream of unknown length (a pipe) into fixed-size chunks: no doubling buffer
/// and no copy on growth, so holding standard input costs its size once. Read back through
/// <see cref="Open"/> as often as needed.
/// </summary>
internal sealed class ChunkedBytes
{
    private const int ChunkSize = 1 << 20;

    private readonly List<byte[]> chunks = [];

    public long Length { get; private set; }

    public static ChunkedBytes ReadAll(Stream input)
    {
        var bytes = new ChunkedBytes();
        while (true)
        {
            var chunk = new byte[ChunkSize];
            var filled = 0;
            int read;
            while (filled < chunk.Length && (read = input.Read(chunk, filled, chunk.Length - filled)) > 0)
            {
                filled += read;
            }

            if (filled > 0)
            {
                bytes.chunks.Add(filled == chunk.Length ? chunk : chunk[..filled]);
                bytes.Length += filled;
            }

            if (filled < chunk.Length)
            {
                return bytes;
            }
        }
    }

    public Stream Open() => new Reader(this);

    /// <summary>A read-only, seekable view of the chunks.</summary>
    private sealed class Reader(ChunkedBytes bytes) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position
        {
            get => position;
            set => position = Math.Clamp(value, 0, bytes.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var total = 0;
            while (total < buffer.Length && position < bytes.Length)
            {
                var chunk = bytes.chunks[(int)(position / ChunkSize)];
                var at = (int)(position % ChunkSize);
                var n = Math.Min(chunk.Length - at, buffer.Length - total);
                chunk.AsSpan(at, n).CopyTo(buffer[total..]);
                total += n;
                position += n;
            }

            return total;
        }

        public override long Seek(long offset, SeekOrigin origin)
            => Position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => position + offset,
                _ => bytes.Length + offset,
            };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
