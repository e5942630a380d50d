namespace PolicyGen.Review.Lint;

/// <summary>
/// The codes of <c>npgen lint</c> findings (docs/lint.md). A separate series from the NPG
/// diagnostics: a finding is a reviewer's remark about valid input, not a failure to read it.
/// </summary>
public static class LintCodes
{
    public const string NotChecked = "NPL000";
    public const string PodSelectorMatchesNothing = "NPL001";
    public const string NamespaceSelectorMatchesNothing = "NPL002";
    public const string NoDnsPath = "NPL003";
    public const string ShadowedRule = "NPL004";
    public const string IpBlockHoldsPods = "NPL005";
    public const string IpBlocksOverlap = "NPL006";
    public const string ExceptOutsideCidr = "NPL007";
    public const string NamedPortUndeclared = "NPL008";
    public const string NamespaceMissing = "NPL009";
    public const string AllowAllDefeatsDefaultDeny = "NPL010";
    public const string DeadRule = "NPL011";
}
