namespace PolicyGen.Diagnostics;

public enum Severity
{
    Error,
    Warning,
}

/// <summary>
/// One problem found in the input. Every error carries a stable code (NPGnnn) so scripts and docs
/// can refer to it, the place it was found, and where possible a hint that says how to fix it.
/// </summary>
public sealed record Diagnostic(string Code, Severity Severity, string Message, SourceLocation? Location, string? Hint = null)
{
    private readonly string message = TextEscaping.BoundMessage(Message);
    private readonly string? hint = Hint is null ? null : TextEscaping.BoundMessage(Hint);

    /// <summary>
    /// What is wrong, as one line: values echoed from the input are escaped and quoted values
    /// shortened (<see cref="TextEscaping.BoundMessage"/>), however the message was built.
    /// </summary>
    public string Message
    {
        get => message;
        init => message = TextEscaping.BoundMessage(value);
    }

    /// <summary>How to fix it, bounded the same way as the message.</summary>
    public string? Hint
    {
        get => hint;
        init => hint = value is null ? null : TextEscaping.BoundMessage(value);
    }

    public static Diagnostic Error(string code, string message, SourceLocation? location, string? hint = null)
        => new(code, Severity.Error, message, location, hint);

    public static Diagnostic Warning(string code, string message, SourceLocation? location, string? hint = null)
        => new(code, Severity.Warning, message, location, hint);

    /// <summary>Prints as <c>file:line:col: error NPG101: message</c>, with the hint on a second line.</summary>
    public override string ToString()
    {
        var where = Location is null ? "" : Location + ": ";
        var kind = Severity == Severity.Error ? "error" : "warning";
        var text = $"{where}{kind} {Code}: {Message}";
        return Hint is null ? text : text + "\n  hint: " + Hint;
    }
}
