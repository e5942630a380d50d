using PolicyGen.Pipeline;

namespace PolicyGen.Cli.Commands;

/// <summary>
/// <c>npgen build</c> as the command line asked for it: the intent, how to build it, where the
/// policies go, the report (--report, --report-file) and, with --commit, the Git request.
/// </summary>
internal sealed record BuildSettings
{
    public required string Intent { get; init; }

    public string? Environment { get; init; }

    public required BuildOptions Options { get; init; }

    public required OutputTarget Target { get; init; }

    /// <summary>json or yaml; null for no report.</summary>
    public string? ReportFormat { get; init; }

    /// <summary>Where the report goes; null for stdout (in place of the policies).</summary>
    public string? ReportPath { get; init; }

    public bool ReplaceEnvironment { get; init; }

    public bool Commit { get; init; }

    public bool Push { get; init; }

    public string? Remote { get; init; }

    public string? Branch { get; init; }
}
