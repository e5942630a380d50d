using System.Collections.Immutable;

namespace PolicyGen.Review.Lint;

/// <summary>Every finding of one <c>npgen lint</c> run, sorted by file, line, code and object.</summary>
public sealed record LintReport(ImmutableArray<LintFinding> Findings, int Policies, int Endpoints, int Namespaces)
{
    public int Errors => Findings.Count(f => f.Severity == LintSeverity.Error);
    public int Warnings => Findings.Count(f => f.Severity == LintSeverity.Warning);
    public int Infos => Findings.Count(f => f.Severity == LintSeverity.Info);

    /// <summary>No error-level finding (warnings and infos do not fail the lint).</summary>
    public bool Passed => Errors == 0;
}
