namespace PolicyGen.Diagnostics;

/// <summary>A 1-based position in an input file, printed the way compilers and editors expect.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
