using System.Globalization;
using System.Text;

namespace PolicyGen.Diagnostics;

/// <summary>
/// The one way npgen echoes text it did not write itself (file names, keys, values, app names,
/// exception messages) into a comment, a header, a commit message, a diagnostic or a terminal
/// line. Characters that could end a line (LF, CR, NEL, U+2028/2029), move the cursor or recolour
/// the terminal (ESC and every other C0/C1 control, DEL) or reorder what is shown (the bidi
/// overrides and isolates) are replaced by a visible escape: <c>\n</c>, <c>\x1b</c>,
/// <c>\u202e</c>. Escaped text is one line, so it cannot start a new YAML document, a new
/// header line, a fake trailer or a fake error line.
/// </summary>
public static class TextEscaping
{
    /// <summary>How much of a value a message may quote: one line, at most this many characters.</summary>
    public const int ExcerptLength = 80;

    /// <summary>A message longer than this is cut: it can only be that long by quoting input.</summary>
    public const int MessageLength = 1000;

    private const string Ellipsis = "...";

    /// <summary>Whether <paramref name="c"/> is shown as an escape rather than written as is.</summary>
    public static bool IsUnsafe(char c)
        => char.IsControl(c) // C0 (incl. TAB, LF, CR, ESC), DEL and C1 (incl. NEL U+0085, CSI U+009B)
            || c is '\u2028' or '\u2029' // line and paragraph separators: line breaks to YAML 1.1 and some editors
            || c is '\u061C' or '\u200E' or '\u200F' // bidi marks
            || c is >= '\u202A' and <= '\u202E' // bidi embeddings and overrides
            || c is >= '\u2066' and <= '\u2069' // bidi isolates
            || c is '\uFEFF'; // a byte order mark in the middle of a line

    /// <summary>Text as one line: every unsafe character (line breaks and TAB included) escaped.</summary>
    public static string ForLine(string? text) => Escape(text ?? "", keepLineBreaks: false);

    /// <summary>Text for a YAML <c>#</c> comment: one line, so nothing after it can become YAML.</summary>
    public static string ForYamlComment(string? text) => ForLine(text);

    /// <summary>
    /// Text for a terminal (stdout/stderr): LF and TAB stay (they are how lines and columns are
    /// written), everything else unsafe is escaped.
    /// </summary>
    public static string ForTerminal(string? text) => Escape(text ?? "", keepLineBreaks: true);

    /// <summary>
    /// A short excerpt of a value for a message: its first line, at most <see cref="ExcerptLength"/>
    /// characters, escaped, with <c>...</c> where it was cut.
    /// </summary>
    public static string Excerpt(string? value)
    {
        value ??= "";
        var lineEnd = value.AsSpan().IndexOfAny('\n', '\r');
        var escaped = ForLine(lineEnd >= 0 ? value[..lineEnd] : value);
        var cut = lineEnd >= 0;
        if (escaped.Length > ExcerptLength)
        {
            escaped = Shorten(escaped, ExcerptLength);
            cut = true;
        }

        return cut ? escaped + Ellipsis : escaped;
    }

    /// <summary>An excerpt in double quotes, the way npgen's messages quote a value.</summary>
    public static string Quote(string? value) => $"\"{Excerpt(value)}\"";

    /// <summary>
    /// A diagnostic message or hint as it may be shown: one line, every quoted value
    /// (<c>"..."</c>) shortened to an excerpt, and the whole at most <see cref="MessageLength"/>
    /// characters. Applied to every <see cref="Diagnostic"/>, so a value interpolated anywhere
    /// cannot print a file's content or forge a line.
    /// </summary>
    public static string BoundMessage(string message)
    {
        var line = ForLine(message);
        var text = new StringBuilder(line.Length);
        var i = 0;
        while (i < line.Length)
        {
            var open = line.IndexOf('"', i);
            var close = open < 0 ? -1 : line.IndexOf('"', open + 1);
            if (close < 0)
            {
                text.Append(line, i, line.Length - i);
                break;
            }

            text.Append(line, i, open - i + 1);
            var inner = line.AsSpan(open + 1, close - open - 1);
            text.Append(inner.Length > ExcerptLength ? Shorten(inner.ToString(), ExcerptLength) + Ellipsis : inner);
            text.Append('"');
            i = close + 1;
        }

        return text.Length > MessageLength ? Shorten(text.ToString(), MessageLength) + Ellipsis + " (message shortened)" : text.ToString();
    }

    /// <summary>The first <paramref name="length"/> characters, without splitting a surrogate pair.</summary>
    private static string Shorten(string text, int length)
        => text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)];

    private static string Escape(string text, bool keepLineBreaks)
    {
        var first = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]) && !(keepLineBreaks && text[i] is '\n' or '\t'))
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsUnsafe(c) || (keepLineBreaks && c is '\n' or '\t'))
            {
                escaped.Append(c);
                continue;
            }

            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < '\u0080' => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"), // C0 and DEL
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"), // C1, separators, bidi: valid in JSON and YAML double quotes
            });
        }

        return escaped.ToString();
    }
}
