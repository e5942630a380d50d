namespace PolicyGen.Diagnostics;

/// <summary>
/// A 1-based position in an input file, printed the way compilers and editors expect. The file
/// name is printed escaped (<see cref="TextEscaping.ForLine"/>): a name with a newline or ESC
/// cannot forge a line.
/// </summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{TextEscaping.ForLine(File)}:{Line}:{Column}";
}
