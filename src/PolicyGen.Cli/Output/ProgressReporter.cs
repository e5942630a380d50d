using System.Diagnostics;
using System.Globalization;

namespace PolicyGen.Cli.Output;

/// <summary>
/// npgen's one progress reporter, on stderr, for work that can take more than a second: a
/// one-line bar with the current stage (<see cref="Stage"/>, <see cref="Report"/>: build, matrix,
/// bench gen), drawn only after a second has passed, at most ten times a second, and erased when
/// the work ends, so quick commands never see it; and plain stage lines that stay
/// (<see cref="Line"/>: what publish is doing). Both are on when stderr is a terminal and off
/// otherwise; <see cref="Setting"/> overrides that, though the bar is never drawn into a pipe or file.
/// </summary>
internal sealed class ProgressReporter : IProgress<double>, IDisposable
{
    /// <summary>NPGEN_PROGRESS: 0 (or never) turns progress off, 1 (or always) on even when stderr is not a terminal.</summary>
    public const string Variable = "NPGEN_PROGRESS";

    private const int Width = 30;
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Timer? timer;
    private readonly Lock gate = new();
    private readonly string command;
    private readonly CommandConsole console;
    private string stage = "";
    private double stageStart;
    private double stageWeight = 1;
    private double fraction;
    private bool drawn;
    private int lastLength;

    private ProgressReporter(string command, CommandConsole console, bool enabled, bool terminal)
    {
        this.command = command;
        this.console = console;
        Enabled = enabled;

        // The bar redraws itself with \r: only on a terminal, never into a log NPGEN_PROGRESS=1 turned on.
        if (enabled && terminal)
        {
            timer = new Timer(_ => Draw(), null, Delay, TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Whether anything is shown at all.</summary>
    public bool Enabled { get; }

    /// <summary>
    /// Whether progress is shown, from NPGEN_PROGRESS and whether stderr is a terminal:
    /// 0, never, false or off: no; 1, always, true or on: yes; unset or anything else: when stderr is a terminal.
    /// </summary>
    public static bool Setting(string? value, bool errorIsTerminal) => value?.Trim().ToLowerInvariant() switch
    {
        "0" or "never" or "false" or "off" or "no" => false,
        "1" or "always" or "true" or "on" or "yes" => true,
        _ => errorIsTerminal,
    };

    /// <summary>A reporter for <c>npgen COMMAND</c> on the console's stderr, on or off as <see cref="Setting"/> says for it.</summary>
    public static ProgressReporter Start(string command, CommandConsole console)
        => new(command, console, Setting(console.Variable(Variable), console.ErrorIsTerminal), console.ErrorIsTerminal);

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

    /// <summary>A stage line that stays (<c>npgen publish: cloning main from ...</c>); the bar, if drawn, is erased first and redrawn after.</summary>
    public void Line(string text)
    {
        if (!Enabled)
        {
            return;
        }

        lock (gate)
        {
            Erase();
            console.Error.WriteLine($"npgen {command}: {text}");
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
            console.RawError.Write(line.PadRight(lastLength)); // its own \r, not escaped
            lastLength = line.Length;
            drawn = true;
        }
    }

    private void Erase()
    {
        if (drawn)
        {
            console.RawError.Write("\r" + new string(' ', lastLength) + "\r");
            drawn = false;
        }
    }

    public void Dispose()
    {
        timer?.Dispose();
        lock (gate)
        {
            Erase();
        }
    }
}
