using System.Reflection;

namespace PolicyGen.Compile;

/// <summary>
/// The Scriban templates: the bundled set (embedded from the repository's templates/ folder), each
/// file overridable by a file of the same name in a user directory (<c>--templates DIR</c>).
/// </summary>
public sealed class TemplateSet
{
    private const string ResourcePrefix = "templates/";
    private readonly string? overrideDirectory;

    public TemplateSet(string? overrideDirectory = null) => this.overrideDirectory = overrideDirectory is null ? null : Path.GetFullPath(overrideDirectory);

    /// <summary>The names of the bundled templates, for <c>npgen templates</c>-style listings and copying.</summary>
    public static IReadOnlyList<string> BundledNames { get; } = [.. typeof(TemplateSet).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..])
        .Order(StringComparer.Ordinal)];

    /// <summary>
    /// Every lookup so far, by file name: Scriban asks for an included template's path on every
    /// <c>include</c> (several per policy), and reading the file or resource each time cost more than
    /// rendering. One build sees each template as it was when first read.
    /// </summary>
    private readonly Dictionary<string, Found> found = new(StringComparer.Ordinal);

    /// <summary>Finds a template: the user's file if there is one, else the bundled one. Null if neither exists.</summary>
    public (string DisplayPath, string Text)? Find(string fileName)
    {
        if (!found.TryGetValue(fileName, out var result))
        {
            found[fileName] = result = new Found(Read(fileName));
        }

        return result.Template;
    }

    /// <summary>
    /// Whether every template a build uses reads as the bundled one (no override, or overrides
    /// with the bundled text): then outputs may be rendered once per plan shape (<see cref="FrameCache"/>).
    /// </summary>
    public bool UsesBundledOnly => overrideDirectory is null || BundledNames.All(n => Find(n) is { } f && f.Text == Bundled(n));

    /// <summary>A lookup's answer, boxed in a class so the cache is a reference-typed dictionary that ReadyToRun precompiles.</summary>
    private sealed record Found((string DisplayPath, string Text)? Template);

    private (string DisplayPath, string Text)? Read(string fileName)
    {
        if (fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains('\\', StringComparison.Ordinal) || fileName.StartsWith('.'))
        {
            return null; // includes name files in the template folder only
        }

        if (overrideDirectory is not null)
        {
            var path = Path.Combine(overrideDirectory, fileName);
            if (File.Exists(path))
            {
                return (path, File.ReadAllText(path).ReplaceLineEndings("\n"));
            }
        }

        return Bundled(fileName) is { } text ? ($"templates/{fileName} (bundled)", text) : null;
    }

    public static string? Bundled(string fileName)
    {
        using var stream = typeof(TemplateSet).Assembly.GetManifestResourceStream(ResourcePrefix + fileName);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    internal static Assembly Assembly => typeof(TemplateSet).Assembly;
}
