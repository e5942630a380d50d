using System.Globalization;
using System.Text;
using PolicyGen.Diagnostics;
using YamlDotNet.Core;

namespace PolicyGen.Yaml;

/// <summary>Turns what the YAML reader throws into one diagnostic: the innermost message, at the line and column it names, with a hint.</summary>
public static class YamlDiagnostics
{
    /// <summary>The diagnostic for a failed read of <paramref name="file"/> (a syntax error or input npgen refuses).</summary>
    public static Diagnostic From(Exception exception, string file)
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

        var location = new SourceLocation(file, Math.Max(1, checked((int)at.Line)), Math.Max(1, checked((int)at.Column)));
        return Diagnostic.Error(DiagnosticCodes.YamlSyntax, $"invalid YAML: {Excerpt(inner.Message, 300)}", location, Hint(inner.Message));
    }

    private static string? Hint(string message)
    {
        if (message.StartsWith("Duplicate key", StringComparison.Ordinal))
        {
            return "each key may appear once in a mapping";
        }

        if (message.Contains("tab", StringComparison.Ordinal) || message.Contains("cannot start any token", StringComparison.Ordinal))
        {
            return "YAML indents with spaces only: look for a tab (or a stray character such as @ or `) at this position";
        }

        if (message.Contains("unknown anchor", StringComparison.Ordinal))
        {
            return "define the anchor (&name) before the alias (*name), in the same document";
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
