namespace PolicyGen.Cli.Tests;

/// <summary>A fact that runs npgen under a pseudo-terminal with util-linux script(1): reported as skipped where there is none.</summary>
public sealed class PseudoTerminalFactAttribute : FactAttribute
{
    public PseudoTerminalFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || PseudoTerminal.Script is null)
        {
            Skip = "needs Linux and script(1) (util-linux) for a pseudo-terminal";
        }
    }
}
