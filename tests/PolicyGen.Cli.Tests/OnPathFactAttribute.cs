namespace PolicyGen.Cli.Tests;

/// <summary>
/// A fact that needs an optional program on PATH (one .ci/run cannot install, such as a standalone
/// kustomize): reported as skipped when it is missing, never passed without running.
/// </summary>
public sealed class OnPathFactAttribute : FactAttribute
{
    public OnPathFactAttribute(string program)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
        if (!found)
        {
            Skip = $"{program} is not on PATH (optional: not installable from this machine's packages)";
        }
    }
}
