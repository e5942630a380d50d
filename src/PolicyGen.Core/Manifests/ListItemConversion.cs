namespace PolicyGen.Manifests;

/// <summary>
/// Converts the items of a List as the reader hands them out: inline, or for a large input on a
/// second thread while the reader goes on parsing, one at a time and in the order posted, so the
/// result and every message are those of converting them inline. Items go over in batches (a
/// wake-up per item would cost more than converting it). The reader's thread touches the load
/// state only after <see cref="Drain"/>; disposing stops the thread (dropping what was not
/// converted yet) before the caller rolls anything back.
/// </summary>
internal sealed class ListItemConversion(Action<MappingNode, int> convert, bool onThread) : IDisposable
{
    private const int BatchSize = 64;

    /// <summary>Batches waiting at most; the reader waits beyond it, so memory stays bounded when conversion is the slower side.</summary>
    private const int MaxWaitingBatches = 8;

    private readonly object gate = new(); // Monitor.Wait needs a monitor, not a System.Threading.Lock
    private readonly Queue<List<(MappingNode Item, int Index)>> waiting = new();
    private List<(MappingNode Item, int Index)> batch = new(BatchSize);
    private Thread? thread;
    private bool converting;
    private bool stopping;
    private Exception? failure;

    public void Post(MappingNode item, int index)
    {
        if (!onThread)
        {
            convert(item, index);
            return;
        }

        batch.Add((item, index));
        if (batch.Count == BatchSize)
        {
            Hand(waitForRoom: true);
        }
    }

    /// <summary>Waits until every item posted is converted; rethrows what conversion threw.</summary>
    public void Drain()
    {
        if (batch.Count > 0)
        {
            Hand(waitForRoom: false);
        }

        lock (gate)
        {
            while ((waiting.Count > 0 || converting) && failure is null)
            {
                Monitor.Wait(gate);
            }

            ThrowIfFailed();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            stopping = true;
            waiting.Clear();
            Monitor.PulseAll(gate);
        }

        thread?.Join();
    }

    private void Hand(bool waitForRoom)
    {
        lock (gate)
        {
            while (waitForRoom && waiting.Count >= MaxWaitingBatches && failure is null)
            {
                Monitor.Wait(gate);
            }

            ThrowIfFailed();
            waiting.Enqueue(batch);
            Monitor.PulseAll(gate);
        }

        batch = new(BatchSize);
        if (thread is null)
        {
            thread = new Thread(Run) { IsBackground = true, Name = "npgen item conversion" };
            thread.Start();
        }
    }

    private void Run()
    {
        while (true)
        {
            List<(MappingNode Item, int Index)> next;
            lock (gate)
            {
                converting = false;
                Monitor.PulseAll(gate);
                while (waiting.Count == 0 && !stopping)
                {
                    Monitor.Wait(gate);
                }

                if (stopping)
                {
                    return;
                }

                next = waiting.Dequeue();
                converting = true;
            }

            try
            {
                foreach (var (item, index) in next)
                {
                    convert(item, index);
                }
            }
            catch (Exception e)
            {
                lock (gate)
                {
                    failure = e;
                    converting = false;
                    Monitor.PulseAll(gate);
                }

                return;
            }
        }
    }

    private void ThrowIfFailed()
    {
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }
}
