namespace PolicyGen.Diff;

/// <summary>How an intent on one side is built: <c>--env</c> and <c>--overlay</c> as npgen build takes them.</summary>
public sealed record DiffSideOptions
{
    public string? Environment { get; init; }

    public IReadOnlyList<string> Overlays { get; init; } = [];

    /// <summary>Set when the user gave this side its own --old-env/--new-env or overlays: a policies side then says they do not apply.</summary>
    public bool SideSpecific { get; init; }

    /// <summary>A templates directory that overrides the bundled templates (npgen build --templates).</summary>
    public string? TemplatesDirectory { get; init; }
}
