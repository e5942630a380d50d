namespace PolicyGen.Pipeline;

public sealed record BuildOptions
{
    /// <summary><c>--env NAME</c>: merge <c>environments/NAME.yaml</c> next to the intent file.</summary>
    public string? Environment { get; init; }

    /// <summary>Extra overlay files, merged in order after the environment.</summary>
    public IReadOnlyList<string> Overlays { get; init; } = [];

    /// <summary><c>--templates DIR</c>: templates here override the bundled ones file by file.</summary>
    public string? TemplatesDirectory { get; init; }

    /// <summary>Skip the proof that the policies mean what the intent says (not recommended).</summary>
    public bool Verify { get; init; } = true;

    /// <summary>
    /// <c>--sync-wave N|none</c>: the Argo CD sync wave annotation on every policy (an integer as
    /// text), or null for none. Defaults to -1, so policies apply before the workloads.
    /// </summary>
    public string? SyncWave { get; init; } = Compile.IntentCompiler.DefaultSyncWave;

    /// <summary><c>--cluster-output KIND</c>: the kind <c>spec.cluster</c> is written as, over the intent's own <c>output</c>; null keeps the intent's.</summary>
    public Intent.ClusterOutputKind? ClusterOutput { get; init; }

    /// <summary>Told the name of each stage as it starts (for a progress display); null for none.</summary>
    public Action<string>? Stage { get; init; }
}
