using System.Collections.Immutable;
using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Model;
using PolicyGen.Verify;

namespace PolicyGen.Pipeline;

/// <summary>A generated policy: its plan, the YAML its template rendered, and the policy parsed back from that YAML.</summary>
public sealed record GeneratedPolicy(PolicyPlan Plan, string Yaml, string TemplatePath, NetworkPolicy Parsed);

public sealed record BuildResult(
    NetworkIntent? Intent,
    ImmutableArray<GeneratedPolicy> Policies,
    VerificationReport? Verification,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == Severity.Error);
}
