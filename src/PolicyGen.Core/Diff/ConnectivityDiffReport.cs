using PolicyGen.Verify;

namespace PolicyGen.Diff;

/// <summary>What NEW allows that OLD did not, and the reverse, on one witness world.</summary>
public sealed record ConnectivityDiffReport(DiffSide Old, DiffSide New, ConnectivityChanges Changes, int Workloads)
{
    public const string ApiVersion = "npgen.dev/v1alpha1";
    public const string Kind = "ConnectivityDiffReport";

    /// <summary>NEW allows a flow OLD did not.</summary>
    public bool Widened => !Changes.Added.IsEmpty;
}
