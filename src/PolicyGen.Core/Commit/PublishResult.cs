using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Output;

namespace PolicyGen.Commit;

public enum PublishOutcome
{
    /// <summary>The committed tree already holds exactly these policies: nothing was committed or pushed.</summary>
    UpToDate,

    /// <summary>A commit was made (and pushed when asked).</summary>
    Committed,

    /// <summary>
    /// Nothing new to commit, but the branch held earlier commits its remote did not have (an
    /// earlier <c>--commit</c> without <c>--push</c>): they were pushed.
    /// </summary>
    Pushed,

    /// <summary>The output could not be written, or the request makes no sense (exit 2).</summary>
    BadInput,

    /// <summary>A Git or remote operation failed (exit 4).</summary>
    GitFailed,

    /// <summary>The repository holds something npgen will not write through, such as a symbolic link in the path (exit 4).</summary>
    UnsafeRepository,
}

/// <summary>What a commit or publish did; <see cref="Diagnostics"/> says why when it failed.</summary>
public sealed record PublishResult
{
    public required PublishOutcome Outcome { get; init; }

    /// <summary>The new commit, or for <see cref="PublishOutcome.UpToDate"/> the commit that already holds the policies.</summary>
    public string? Commit { get; init; }

    /// <summary>The branch the commit is on (for a pull-request branch, that branch).</summary>
    public string? Branch { get; init; }

    public bool Pushed { get; init; }

    /// <summary>How many commits the push delivered (npgen's and earlier local ones); 0 when nothing was pushed.</summary>
    public int PushedCommits { get; init; }

    /// <summary>After the first push into an empty repository: what its HEAD names; null otherwise.</summary>
    public RemoteHeadState? RemoteHead { get; init; }

    /// <summary>Push attempts made (1 when nothing raced); 1 for a run that needed no push.</summary>
    public int Attempts { get; init; } = 1;

    public int FlowsAdded { get; init; }
    public int FlowsRemoved { get; init; }

    /// <summary>The commit message, when a commit was made.</summary>
    public string? Message { get; init; }

    public WriteResult? Written { get; init; }

    public ImmutableArray<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>A commit was made, or earlier commits were pushed: the branch (local or remote) moved.</summary>
    public bool Changed => Outcome is PublishOutcome.Committed or PublishOutcome.Pushed;

    public bool Succeeded => Outcome is PublishOutcome.Committed or PublishOutcome.Pushed or PublishOutcome.UpToDate;

    /// <summary>"N flows added, M removed": the one wording for stdout, stderr and progress lines alike.</summary>
    public static string FlowSummary(int added, int removed) => $"{added} flow{(added == 1 ? "" : "s")} added, {removed} removed";
}
