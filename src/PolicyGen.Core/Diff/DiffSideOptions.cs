namespace PolicyGen.Diff;

/// <summary>How an intent on one side is built: <c>--env</c> and <c>--overlay</c> as npgen build takes them.</summary>
public sealed record DiffSideOptions
{
    public string? Environment { get; init; }

    public IReadOnlyList<string> Overlays { get; init; } = [];
}
