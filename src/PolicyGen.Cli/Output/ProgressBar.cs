using System.Diagnostics;
using System.Globalization;

namespace PolicyGen.Cli.Output;

/// <summary>
/// A one-line progress bar on stderr for work that takes more than about a second. It draws only
/// when stderr is a terminal (NPGEN_PROGRESS=always|never overrides), never before a second has
/// passed, at most ten times a second, and erases itself when the work ends, so quick commands and
/// redirected output never see it.
/// </summary>
internal sealed class ProgressBar : IProgress<double>, IDisposable
{
    private const int Width = 30;
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Timer? timer;
    private readonly Lock gate = new();
    private string stage = "";
    private double stageStart;
    private double stageWeight = 1;
    private double fraction;
    private bool drawn;
    private int lastLength;

    private ProgressBar(bool enabled)
    {
        if (enabled)
        {
            timer = new Timer(_ => Draw(), null, Delay, TimeSpan.FromMilliseconds(100));
        }
    }

    public static ProgressBar Start()
    {
        var setting = Environment.GetEnvironmentVariable("NPGEN_PROGRESS");
        var enabled = setting switch
        {
            "always" => true,
            "never" => false,
            _ => !Console.IsErrorRedirected,
        };
        return new ProgressBar(enabled);
    }

    /// <summary>Starts a stage that covers <paramref name="weight"/> of the whole bar after what came before.</summary>
    public void Stage(string name, double weight)
    {
        lock (gate)
        {
            stageStart = Math.Min(1, stageStart + stageWeight * fraction);
            stageWeight = weight;
            fraction = 0;
            stage = name;
        }
    }

    /// <summary>Progress within the current stage, 0 to 1.</summary>
    public void Report(double value)
    {
        lock (gate)
        {
            fraction = Math.Clamp(value, 0, 1);
        }
    }

    private void Draw()
    {
        lock (gate)
        {
            if (clock.Elapsed < Delay)
            {
                return;
            }

            var total = Math.Clamp(stageStart + stageWeight * fraction, 0, 1);
            var filled = (int)(total * Width);
            var line = $"\r[{new string('#', filled)}{new string('-', Width - filled)}] {(total * 100).ToString("0", CultureInfo.InvariantCulture),3}%  {stage} ({clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)";
            Terminal.RawError.Write(line.PadRight(lastLength)); // its own \r, not escaped
            lastLength = line.Length;
            drawn = true;
        }
    }

    public void Dispose()
    {
        timer?.Dispose();
        lock (gate)
        {
            if (drawn)
            {
                Terminal.RawError.Write("\r" + new string(' ', lastLength) + "\r");
                drawn = false;
            }
        }
    }
}
