using PolicyGen.Diagnostics;

namespace PolicyGen.Commit;

/// <summary>What a <see cref="PublishOutcome"/> means for the caller's exit code.</summary>
public static class PublishOutcomes
{
    public static Outcome Of(PublishOutcome outcome) => outcome switch
    {
        PublishOutcome.UpToDate or PublishOutcome.Committed or PublishOutcome.Pushed => Outcome.Ok,
        PublishOutcome.GitFailed or PublishOutcome.UnsafeRepository => Outcome.GitFailed,
        _ => Outcome.BadInput,
    };
}
