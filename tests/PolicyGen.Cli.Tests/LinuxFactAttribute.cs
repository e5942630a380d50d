namespace PolicyGen.Cli.Tests;

/// <summary>A fact that needs Linux (FIFOs, /proc): reported as skipped elsewhere, never passed silently.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self"))
        {
            Skip = "needs Linux with /proc";
        }
    }
}
