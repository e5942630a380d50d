using PolicyGen.Pipeline;

namespace PolicyGen.Cli.Commands;

/// <summary>
/// <c>npgen verify</c> as the command line asked for it. <see cref="ReportFormat"/> is -o json|yaml
/// (null: the text summary); <see cref="RenderedFiles"/> is --rendered -f (null: prove the intent's own policies).
/// </summary>
internal sealed record VerifySettings(string Intent, string? Environment, BuildOptions Options, string? ReportFormat, string[]? RenderedFiles);
