using PolicyGen.Diagnostics;

namespace PolicyGen.Review.Lint;

/// <summary>
/// One thing a reviewer would flag: a stable code (<see cref="LintCodes"/>), the object and field
/// (<c>spec.ingress[0].from[1].namespaceSelector</c>, empty for the whole object), where it was
/// written when known, why it matters in one line, and how to fix it.
/// </summary>
public sealed record LintFinding(
    string Code,
    LintSeverity Severity,
    LintObject Subject,
    string Field,
    SourceLocation? Location,
    string Message,
    string Hint)
{
    /// <summary><c>file:line:col: warning NPL001: NetworkPolicy shop/web spec.podSelector: message</c>, the hint on its own line.</summary>
    public override string ToString()
    {
        var where = Location is null ? "" : Location + ": ";
        var field = Field.Length == 0 ? "" : " " + Field;
        return TextEscaping.ForLine($"{where}{SeverityName(Severity)} {Code}: {Subject}{field}: {Message}") + "\n  hint: " + TextEscaping.ForLine(Hint);
    }

    public static string SeverityName(LintSeverity severity) => severity switch
    {
        LintSeverity.Error => "error",
        LintSeverity.Warning => "warning",
        _ => "info",
    };
}
