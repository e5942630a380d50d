using System.Globalization;
using System.Text;
using PolicyGen.Diagnostics;
using YamlDotNet.Core;

namespace PolicyGen.Yaml;

/// <summary>Turns what the YAML reader throws into one diagnostic: the innermost message, at the line and column it names, with a hint.</summary>
public static class YamlDiagnostics
{
    /// <summary>
    /// The diagnostic for a failed read of <paramref name="file"/> (a syntax error or input npgen
    /// refuses). With the <paramref name="text"/> at hand the error is placed on the line to fix
    /// (the tab itself; the line whose key lacks its colon) and the hint can say what is there.
    /// </summary>
    public static Diagnostic From(Exception exception, string file, string? text = null)
    {
        if (exception is YamlInputException refused)
        {
            return refused.Diagnostic;
        }

        if (exception is not YamlException outer)
        {
            throw new ArgumentException("not a YAML reading error", nameof(exception), exception);
        }

        // YamlDotNet wraps the scanner's error in the parser's; the innermost one says what is
        // wrong, and where (a tab is reported at the tab, not at the mapping it interrupts).
        var inner = outer;
        while (inner.InnerException is YamlException deeper)
        {
            inner = deeper;
        }

        var at = outer.Start;
        for (Exception? e = outer; e is YamlException y; e = e.InnerException)
        {
            if (y.Start.Index > 0)
            {
                at = y.Start; // the deepest exception that knows where it is
            }
        }

        var line = Math.Max(1, checked((int)at.Line));
        var column = Math.Max(1, checked((int)at.Column));
        var lines = text?.Split('\n');
        if (lines is not null && inner.Message.Contains("tab", StringComparison.Ordinal) && TabAfter(text!, at) is { } tab)
        {
            (line, column) = (checked((int)tab.Line), checked((int)tab.Column));
        }

        string? hint;
        if (inner.Message.Contains("multiline plain scalar, found invalid mapping", StringComparison.Ordinal)
            || inner.Message.Contains("Mapping values are not allowed in this context", StringComparison.Ordinal))
        {
            (line, column, hint) = MissingColon(lines, line, column, inner.Message);
        }
        else
        {
            hint = Hint(inner.Message, lines, line, column);
        }

        return Diagnostic.Error(DiagnosticCodes.YamlSyntax, $"invalid YAML: {Excerpt(inner.Message, 300)}", new SourceLocation(file, line, column), hint);
    }

    /// <summary>
    /// "key value" without a colon makes the key a plain text that runs on into the next line,
    /// and YamlDotNet reports the next line's colon. The line to fix is the first one of that text.
    /// </summary>
    private static (int Line, int Column, string Hint) MissingColon(string[]? lines, int line, int column, string message)
    {
        if (message.Contains("Mapping values are not allowed", StringComparison.Ordinal))
        {
            return (line, column, "a ': ' inside a plain value reads as a second key on the same line: quote the value (\"a: b\"), or put each key on its own line");
        }

        if (lines is not null)
        {
            for (var l = line - 1; l >= 1 && l <= lines.Length; l--)
            {
                var content = lines[l - 1].TrimEnd('\r');
                var trimmed = content.TrimStart(' ');
                if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                {
                    continue;
                }

                if (!trimmed.Contains(':', StringComparison.Ordinal))
                {
                    return (l, content.Length - trimmed.Length + 1,
                        $"\"{Excerpt(trimmed.TrimEnd(), 40)}\" has no ':' after its key, so YAML read it as text running on into line {line}: write key: value, with a space after the colon");
                }

                // The line above is a key: value, so this line, indented further, was read as the rest of its value.
                var above = content.Length - trimmed.Length;
                if (line <= lines.Length && Indent(lines[line - 1]) is var here && here > above)
                {
                    return (line, here + 1,
                        $"this line is indented {Spaces(here)}, more than the line above ({above}), so YAML read it as the rest of that line's value: keys of one mapping start in the same column");
                }

                break;
            }
        }

        return (line, column, "a line above has no ':' after its key, so YAML read it as text running on into this line: write key: value, with a space after the colon");
    }

    private static string? Hint(string message, string[]? lines, int line, int column)
    {
        if (message.StartsWith("Duplicate key", StringComparison.Ordinal))
        {
            return "each key may appear once in a mapping: keep one of the two, or merge them";
        }

        if (message.Contains("tab", StringComparison.Ordinal))
        {
            return "YAML indents with spaces only: replace the tab at this position with spaces";
        }

        if (message.Contains("cannot start any token", StringComparison.Ordinal))
        {
            return "a plain value cannot start with @ or ` (nor may a tab indent a line): quote the value (\"@here\"), or indent with spaces";
        }

        if (message.Contains("quoted scalar", StringComparison.Ordinal))
        {
            return "a quoted value is not closed: end it with the same quote (\" or ') on this line; inside \"...\" write \\\" for a quote, inside '...' write ''";
        }

        if (message.Contains("did not find expected ',' or '}'", StringComparison.Ordinal) || message.Contains("did not find expected ',' or ']'", StringComparison.Ordinal)
            || message.Contains("flow mapping or list", StringComparison.Ordinal))
        {
            return "a { ... } mapping or [ ... ] list is not closed, or two of its entries lack a ',' between them: close it on this line or the next ones";
        }

        if (message.Contains("did not find expected key", StringComparison.Ordinal) || message.Contains("did not find expected '-' indicator", StringComparison.Ordinal))
        {
            var above = lines is null ? null : IndentAbove(lines, line);
            var here = column - 1;
            return above is { } a && a != here
                ? $"this line is indented {Spaces(here)} and the line above {a}: keys of one mapping (and the '- ' of one list) start in the same column, each level indented further than its parent"
                : "the indentation here matches no mapping or list above it: keys of one mapping (and the '- ' of one list) start in the same column, each level indented further than its parent";
        }

        if (message.Contains("unknown anchor", StringComparison.Ordinal))
        {
            return "define the anchor (&name) before the alias (*name), in the same document";
        }

        return null;
    }

    private static string Spaces(int n) => n == 1 ? "1 space" : $"{n} spaces";

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    /// <summary>The indentation of the nearest line above <paramref name="line"/> that holds something other than a comment.</summary>
    private static int? IndentAbove(string[] lines, int line)
    {
        for (var l = line - 1; l >= 1 && l <= lines.Length; l--)
        {
            var content = lines[l - 1].TrimEnd('\r');
            var trimmed = content.TrimStart(' ');
            if (trimmed.Length > 0 && !trimmed.StartsWith('#'))
            {
                return content.Length - trimmed.Length;
            }
        }

        return null;
    }

    /// <summary>The first tab in the indentation of a line at or after <paramref name="from"/> (YamlDotNet reports it at the mapping it interrupts, or at 1:1).</summary>
    internal static Mark? TabAfter(string text, Mark from)
    {
        var line = from.Line;
        var index = (int)Math.Min(from.Index, text.Length);
        var lineStart = Math.Max(0, index - ((int)from.Column - 1));
        for (var i = index; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
            else if (text[i] == '\t' && text.AsSpan(lineStart, i - lineStart).Trim(' ').IsEmpty)
            {
                return new Mark(i, line, i - lineStart + 1);
            }
        }

        return null;
    }

    /// <summary>
    /// Text from the input as it may appear in a message: control characters escaped (a message is
    /// one line on a terminal) and at most <paramref name="max"/> characters.
    /// </summary>
    public static string Excerpt(string text, int max = 80)
    {
        var builder = new StringBuilder(Math.Min(text.Length, max) + 8);
        foreach (var c in text)
        {
            if (builder.Length >= max)
            {
                return builder.Append('…').ToString();
            }

            switch (c)
            {
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085')
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
