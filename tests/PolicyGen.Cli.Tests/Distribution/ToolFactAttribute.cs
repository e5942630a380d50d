namespace PolicyGen.Cli.Tests.Distribution;

/// <summary>
/// A Linux fact that needs programs on PATH (zsh, fish, kubectl): reported as skipped, with the
/// install command, when one is missing; never passed silently.
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux";
            return;
        }

        var missing = tools.Where(t => ExternalTool.Find(t) is null).ToList();
        if (missing.Count > 0)
        {
            Skip = $"not on PATH: {string.Join(", ", missing)} (apt-get install -y {string.Join(' ', missing)}; .ci/run installs them)";
        }
    }
}
