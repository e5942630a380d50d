using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Check;

/// <summary>
/// One way the intent and the real manifests disagree: where the intent says it
/// (<see cref="IntentLocation"/>), where the manifests show otherwise (<see cref="ManifestLocation"/>),
/// and the objects involved (<c>namespace/name (Kind)</c>).
/// </summary>
public sealed record CheckFinding(
    string Code,
    Severity Severity,
    string Message,
    SourceLocation? IntentLocation,
    SourceLocation? ManifestLocation,
    string? Hint,
    ImmutableArray<string> Objects)
{
    /// <summary>
    /// <c>intent:line:col: error NPG800: message</c>, then the manifest's place and the hint on their
    /// own lines, as compilers print a note.
    /// </summary>
    public override string ToString()
    {
        var where = IntentLocation is null ? "" : IntentLocation + ": ";
        var kind = Severity == Severity.Error ? "error" : "warning";
        var text = $"{where}{kind} {Code}: {Printable(Message)}";
        if (ManifestLocation is not null)
        {
            text += "\n  manifest: " + ManifestLocation;
        }

        return Hint is null ? text : text + "\n  hint: " + Printable(Hint);
    }

    /// <summary>Label values and names come from the manifests: control characters are shown escaped, never sent to the terminal.</summary>
    private static string Printable(string text)
        => text.Any(char.IsControl)
            ? string.Concat(text.Select(c => char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString()))
            : text;
}
