namespace PolicyGen.Pipeline;

public sealed record BuildOptions
{
    /// <summary><c>--env NAME</c>: merge <c>environments/NAME.yaml</c> next to the intent file.</summary>
    public string? Environment { get; init; }

    /// <summary>Extra overlay files, merged in order after the environment.</summary>
    public IReadOnlyList<string> Overlays { get; init; } = [];

    /// <summary><c>--templates DIR</c>: templates here override the bundled ones file by file.</summary>
    public string? TemplatesDirectory { get; init; }

    /// <summary>
    /// Render with the Scriban templates even when none is overridden (the bundled templates are
    /// otherwise rendered by <see cref="Compile.BundledRenderer"/>, which gives the same bytes).
    /// </summary>
    public bool UseTemplateEngine { get; init; }

    /// <summary>Skip the proof that the policies mean what the intent says (not recommended).</summary>
    public bool Verify { get; init; } = true;
}
