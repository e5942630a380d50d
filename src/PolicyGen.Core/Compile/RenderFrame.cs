using System.Globalization;
using System.Text;
using PolicyGen.Yaml;

namespace PolicyGen.Compile;

/// <summary>
/// A stock template's output for one plan shape, with placeholders where the plan's values go:
/// raw where the template prints a value, and inside a quoted span where it passes a value
/// through <c>q</c>, so that each plan gets exactly the quoting Scriban would have given it.
/// </summary>
internal sealed class RenderFrame
{
    /// <summary>Around the argument of <c>q</c> in a frame's rendering: the quoting is applied per plan.</summary>
    public const char QuoteStart = '\u0002';
    public const char QuoteEnd = '\u0003';

    /// <summary>Text, a value by number (<see cref="Value"/> ≥ 0), or a quoted run of parts.</summary>
    private readonly record struct Part(string? Text, int Value, Part[]? Quoted);

    private readonly Part[] parts;

    private RenderFrame(Part[] parts) => this.parts = parts;

    /// <summary>A frame from the text Scriban rendered with placeholders; null if it is not one this class can read.</summary>
    public static RenderFrame? Parse(string rendered)
    {
        var parts = new List<Part>();
        var at = 0;
        while (at < rendered.Length)
        {
            if (rendered[at] == QuoteStart)
            {
                var end = rendered.IndexOf(QuoteEnd, at + 1);
                if (end < 0 || ReadRun(rendered[(at + 1)..end]) is not { } inner)
                {
                    return null;
                }

                parts.Add(new Part(null, -1, [.. inner]));
                at = end + 1;
                continue;
            }

            var next = rendered.IndexOf(QuoteStart, at);
            var run = ReadRun(rendered[at..(next < 0 ? rendered.Length : next)]);
            if (run is null)
            {
                return null;
            }

            parts.AddRange(run);
            at = next < 0 ? rendered.Length : next;
        }

        return new RenderFrame([.. parts]);
    }

    /// <summary>Text and placeholders, no quote marks.</summary>
    private static List<Part>? ReadRun(string text)
    {
        if (text.Contains(QuoteEnd, StringComparison.Ordinal) || text.Contains(QuoteStart, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = new List<Part>();
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf(PlanValues.Mark, at);
            if (open < 0)
            {
                parts.Add(new Part(text[at..], -1, null));
                break;
            }

            var close = text.IndexOf(PlanValues.Mark, open + 1);
            if (close < 0 || !int.TryParse(text.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            if (open > at)
            {
                parts.Add(new Part(text[at..open], -1, null));
            }

            parts.Add(new Part(null, value, null));
            at = close + 1;
        }

        return parts;
    }

    /// <summary>The frame with the plan's values in place; null if the plan has fewer values than the frame names.</summary>
    public string? Fill(IReadOnlyList<string> values)
        => Fill((value, _) => value < values.Count ? values[value] : null, null, nestedQuotes: true);

    /// <summary>How many parts the frame has outside quoted runs (see <see cref="Fill(Func{int, bool, string?}, int[], bool)"/>).</summary>
    public int TopPartCount => parts.Length;

    /// <summary>Whether a part outside quoted runs is literal text (not a value, not a quoted run).</summary>
    public bool IsText(int part) => parts[part].Text is not null;

    /// <summary>
    /// The frame filled by <paramref name="value"/> (value number, inside a quoted run?), null if
    /// it has none for a number, or if a quoted run holds another one while <paramref name="nestedQuotes"/>
    /// is false. <paramref name="starts"/>, if given (<see cref="TopPartCount"/> + 1 long), receives
    /// where each part outside quoted runs starts in the text, and the text's length last.
    /// </summary>
    public string? Fill(Func<int, bool, string?> value, int[]? starts, bool nestedQuotes)
    {
        var text = new StringBuilder();
        return Append(parts, value, text, starts, quoted: false, nestedQuotes) ? text.ToString() : null;
    }

    private static bool Append(Part[] parts, Func<int, bool, string?> value, StringBuilder text, int[]? starts, bool quoted, bool nestedQuotes)
    {
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (starts is not null)
            {
                starts[i] = text.Length;
            }

            if (part.Quoted is { } run)
            {
                var inner = new StringBuilder();
                if ((quoted && !nestedQuotes) || !Append(run, value, inner, null, quoted: true, nestedQuotes))
                {
                    return false;
                }

                text.Append(YamlQuoting.Quote(inner.ToString()));
            }
            else if (part.Value >= 0)
            {
                if (value(part.Value, quoted) is not { } filled)
                {
                    return false;
                }

                text.Append(filled);
            }
            else
            {
                text.Append(part.Text);
            }
        }

        if (starts is not null)
        {
            starts[parts.Length] = text.Length;
        }

        return true;
    }
}
