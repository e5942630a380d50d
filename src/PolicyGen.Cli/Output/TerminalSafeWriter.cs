using System.Text;
using PolicyGen.Diagnostics;

namespace PolicyGen.Cli.Output;

/// <summary>
/// stdout/stderr as npgen writes them: every character that could drive the terminal (ESC, CR,
/// the other C0/C1 controls, DEL, bidi overrides, line separators) is shown as an escape
/// (<see cref="TextEscaping.ForTerminal"/>), whatever message or value it came in. LF and TAB pass.
/// Values npgen echoes are escaped where the message is built too; this is the last line of defence.
/// </summary>
internal sealed class TerminalSafeWriter(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // TextWriter.NewLine accepts null and means the default
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    public override void Write(char value)
    {
        if (TextEscaping.IsUnsafe(value) && value is not '\n' and not '\t')
        {
            inner.Write(TextEscaping.ForTerminal(value.ToString()));
        }
        else
        {
            inner.Write(value);
        }
    }

    public override void Write(string? value) => inner.Write(TextEscaping.ForTerminal(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => inner.WriteLine(TextEscaping.ForTerminal(value));

    public override void Flush() => inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Flush();
        }

        base.Dispose(disposing);
    }
}
