using System.Collections.Immutable;

namespace PolicyGen.Diagnostics;

/// <summary>Questions asked of a list of diagnostics, so each caller does not spell them out again.</summary>
public static class DiagnosticListExtensions
{
    /// <summary>Any error among them: the run failed, whatever warnings came with it.</summary>
    public static bool HasErrors(this IEnumerable<Diagnostic> diagnostics) => diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>The same for the common immutable array, without boxing it into an enumerator.</summary>
    public static bool HasErrors(this ImmutableArray<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Severity == Severity.Error)
            {
                return true;
            }
        }

        return false;
    }
}
