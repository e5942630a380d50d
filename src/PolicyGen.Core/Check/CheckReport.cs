using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Check;

/// <summary>What <see cref="IntentChecker"/> found, and how much it looked at.</summary>
public sealed record CheckReport(ImmutableArray<CheckFinding> Findings, int Apps, int SelectedEndpoints, int Endpoints)
{
    public int Errors => Findings.Count(f => f.Severity == Severity.Error);

    public int Warnings => Findings.Count(f => f.Severity == Severity.Warning);

    public bool Passed => Errors == 0;
}
