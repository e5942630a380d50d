using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Validation;

/// <summary>
/// One S14 problem in a NetworkPolicy: the field path as the API server names it
/// (<c>spec.ingress[0].from[1].ipBlock.except[0]</c>), what is wrong, and where it was written.
/// </summary>
public sealed record PolicyProblem(string Path, string Message, Severity Severity, SourceLocation? Location)
{
    /// <summary>
    /// Prints <c>file:line:col: namespace/name: path: message</c>, or without <c>file:line:col: </c> when the
    /// location is unknown. Warnings (accepted, but better written otherwise) say so before the message.
    /// </summary>
    public string Format(NetworkPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var where = Location is null
            ? ""
            : $"{Location}: ";
        var kind = Severity == Severity.Warning ? "warning: " : "";
        // One line whatever the manifest's file name, policy name or echoed value holds.
        return TextEscaping.ForLine($"{where}{policy.Id}: {Path}: {kind}{Message}");
    }
}
