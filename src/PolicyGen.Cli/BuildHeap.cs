namespace PolicyGen.Cli;

/// <summary>
/// A build (or verify) is a short process whose every allocation stays live until it exits: the
/// 1,000-app build allocates ~120 MB and held nearly all of it when its one gen0 collection came,
/// which then copied it all (~90 ms of pause for nothing freed). Asking for no collection up to
/// <see cref="Budget"/> skips that; a larger build allocates past the budget and the runtime
/// collects as usual from there. Only for a process's own build: never inside a host (tests run
/// npgen in process), and not for commands that read manifests, whose peak memory is a goal.
/// </summary>
internal static class BuildHeap
{
    /// <summary>Bytes a build may allocate before the first collection.</summary>
    public const long Budget = 256L * 1024 * 1024;

    public static void Reserve(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("build" or "verify"))
        {
            return;
        }

        try
        {
            GC.TryStartNoGCRegion(Budget);
        }
        catch (ArgumentOutOfRangeException)
        {
            // a runtime whose heap cannot reserve that much at once: collect as usual
        }
    }
}
