using PolicyGen.Yaml;

namespace PolicyGen.Manifests;

/// <summary>
/// Reads the second half of a large JSON List's items on another thread while the first half is
/// read as usual (issue 17: a 214 MB <c>kubectl get -o json</c> dump is one List). It opens the
/// input again, picks an item boundary past the middle by kubectl's indentation (a line
/// <c>},</c> then a line <c>{</c>, both indented like the first item), counts the lines before it,
/// and reads items from there to the end of the List with a <see cref="JsonManifestReader"/> of
/// its own. Nothing it reads is trusted until the first reader arrives at that very boundary
/// between two items (<see cref="JsonManifestReader"/> checks), and any failure on this side (an
/// error in the input, an item that needs the List's kind, a boundary that was no boundary) only
/// means the first reader reads on by itself: every answer and message is the one-thread reading's.
/// </summary>
internal sealed class ListTailReader : IDisposable
{
    /// <summary>What was read: the items in order, and where the List's closing bracket is.</summary>
    public sealed record Tail(IReadOnlyList<MappingNode> Items, long End, int Line, int Column, long LineStart);

    private const int Chunk = 1 << 20;

    /// <summary>
    /// Where in the items this side starts looking for its first item. Past the middle: the first
    /// reader's items are converted on a thread that shares a core with this one while both read,
    /// and this side's items are converted only once the first reader arrives.
    /// </summary>
    private const double StartShare = 0.6;

    private readonly string file;
    private readonly ListReadAhead source;
    private readonly long firstItem;
    private readonly int indent;
    private readonly ManualResetEventSlim done = new();
    private volatile bool stop;
    private long split = -1;
    private Tail? tail;

    private ListTailReader(string file, ListReadAhead source, long firstItem, int indent)
    {
        this.file = file;
        this.source = source;
        this.firstItem = firstItem;
        this.indent = indent;
    }

    /// <summary>
    /// Starts reading ahead for a List whose first item begins at <paramref name="firstItem"/>, on a
    /// line of its own after <paramref name="indent"/> spaces.
    /// </summary>
    public static ListTailReader Start(string file, ListReadAhead source, long firstItem, int indent)
    {
        var reader = new ListTailReader(file, source, firstItem, indent);
        new Thread(reader.Run) { IsBackground = true, Name = "npgen list tail" }.Start();
        return reader;
    }

    /// <summary>Offset of the item this reader starts at; -1 while still looking, <see cref="long.MaxValue"/> when there is none.</summary>
    public long Split => Interlocked.Read(ref split);

    /// <summary>Waits for the reading to end: the items from <see cref="Split"/> to the end of the List, or null when it failed.</summary>
    public Tail? Wait()
    {
        done.Wait();
        return tail;
    }

    public void Dispose()
    {
        stop = true;
        done.Wait();
        done.Dispose();
    }

    private void Run()
    {
        try
        {
            using var stream = source.Open();
            var at = FindBoundary(stream);
            if (at < 0)
            {
                return;
            }

            var (line, lineStart) = LineOf(stream, at);
            Interlocked.Exchange(ref split, at);
            stream.Position = at;
            var items = new List<MappingNode>();
            var reader = JsonManifestReader.ForListTail(file, stream, at, line, checked((int)(at - lineStart)) + 1, lineStart);
            reader.ReadListTail(item =>
            {
                if (stop)
                {
                    throw new OperationCanceledException();
                }

                items.Add(item);
            });
            tail = new Tail(items, reader.TailEnd, reader.TailLine, reader.TailColumn, reader.TailLineStart);
        }
        catch (Exception)
        {
            // Whatever went wrong here (bad input, an item needing the List's kind, a boundary that was
            // none, the input changing), the first reader reads the rest itself and says what it finds.
            tail = null;
        }
        finally
        {
            Interlocked.CompareExchange(ref split, long.MaxValue, -1);
            done.Set();
        }
    }

    /// <summary>The offset of the first item that starts a line past the middle, or -1.</summary>
    private long FindBoundary(Stream stream)
    {
        var pad = new string(' ', indent);
        var pattern = System.Text.Encoding.ASCII.GetBytes($"\n{pad}}},\n{pad}{{");
        var from = firstItem + 1 + (long)((source.Length - firstItem) * StartShare);
        var buffer = new byte[Chunk];
        stream.Position = from;
        var kept = 0;
        while (!stop)
        {
            var read = stream.Read(buffer, kept, buffer.Length - kept);
            if (read == 0)
            {
                return -1;
            }

            var span = buffer.AsSpan(0, kept + read);
            var found = span.IndexOf(pattern);
            if (found >= 0)
            {
                return from + found + pattern.Length - 1;
            }

            // Keep the tail that could begin a match across the next read.
            kept = Math.Min(pattern.Length - 1, span.Length);
            from += span.Length - kept;
            span[^kept..].CopyTo(buffer);
        }

        return -1;
    }

    /// <summary>The 1-based line of <paramref name="offset"/> and where that line starts, counted from the top.</summary>
    private (int Line, long LineStart) LineOf(Stream stream, long offset)
    {
        var buffer = new byte[Chunk];
        stream.Position = 0;
        long lines = 0, lineStart = 0, at = 0;
        while (at < offset && !stop)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, offset - at));
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            var span = buffer.AsSpan(0, read);
            var last = span.LastIndexOf((byte)'\n');
            if (last >= 0)
            {
                lines += span.Count((byte)'\n');
                lineStart = at + last + 1;
            }

            at += read;
        }

        return (checked((int)lines + 1), lineStart);
    }
}
