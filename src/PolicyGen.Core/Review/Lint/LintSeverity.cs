namespace PolicyGen.Review.Lint;

/// <summary>How much a lint finding matters: errors fail <c>npgen lint</c> (exit 1), warnings and infos do not.</summary>
public enum LintSeverity
{
    Error,
    Warning,
    Info,
}
