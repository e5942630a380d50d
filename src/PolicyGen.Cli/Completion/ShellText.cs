using System.Text;

namespace PolicyGen.Cli.Completion;

/// <summary>Quoting for the completion scripts: every name and description goes in as data, never as code.</summary>
public static class ShellText
{
    /// <summary>A POSIX shell word in single quotes (bash, zsh): <c>it's</c> becomes <c>'it'\''s'</c>.</summary>
    public static string Quote(string text) => "'" + Printable(text).Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A fish string in single quotes: backslash and quote escaped.</summary>
    public static string FishQuote(string text)
        => "'" + Printable(text).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>A PowerShell verbatim string: a quote is doubled.</summary>
    public static string PowerShellQuote(string text) => "'" + Printable(text).Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The program name as part of a shell function name (kubectl-npgen gives kubectl_npgen).</summary>
    public static string Identifier(string program)
    {
        var name = new StringBuilder();
        foreach (var c in program)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return name.ToString();
    }

    // Control characters (a newline, an escape sequence) would end a line of the script or reach the
    // terminal; descriptions are single lines of text, so they become spaces.
    private static string Printable(string text)
        => string.Concat(text.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c));
}
