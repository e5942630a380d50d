namespace PolicyGen.Cli.Tests;

/// <summary>A test that reads /dev/zero: reported as skipped where there is none.</summary>
public sealed class DevZeroFactAttribute : FactAttribute
{
    public DevZeroFactAttribute()
    {
        if (!File.Exists("/dev/zero"))
        {
            Skip = "no /dev/zero on this system";
        }
    }
}
