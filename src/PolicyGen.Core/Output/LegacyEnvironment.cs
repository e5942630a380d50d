namespace PolicyGen.Output;

/// <summary>
/// Evidence for the environment of output that an older npgen wrote without a record: the
/// <c>Npgen-Environment</c> trailer of the last npgen commit for the directory, or a directory
/// named like one of the intent's environments (<c>apps/shop/prod</c> next to
/// <c>environments/prod.yaml</c>).
/// </summary>
/// <param name="Environment">The environment the evidence points to; null for a build without <c>--env</c>.</param>
/// <param name="Evidence">Where it comes from, for the message.</param>
public sealed record LegacyEnvironment(string? Environment, string Evidence)
{
    /// <summary>
    /// The environment a directory's name suggests: its last segment, when the intent has an
    /// environment of that name (<c>environments/NAME.yaml</c> next to the intent file); else null.
    /// </summary>
    public static LegacyEnvironment? FromDirectoryName(string directory, string? intentFile)
    {
        if (intentFile is null)
        {
            return null;
        }

        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory.Replace('\\', '/')).TrimEnd('/'));
        if (name.Length == 0 || name is "." or "..")
        {
            return null;
        }

        var candidate = Path.Join(Path.GetDirectoryName(Path.GetFullPath(intentFile)), "environments", name + ".yaml");
        return File.Exists(candidate)
            ? new LegacyEnvironment(name, $"the directory is named {name} and the intent has environments/{name}.yaml")
            : null;
    }
}
