namespace PolicyGen.Workloads;

/// <summary>
/// Reachability digests computed by the naive reference evaluator of the tests (each pod pair, each
/// port, straight from the rules), recorded for generated workloads: keyed by the SHA-256 of the
/// generated manifests, so a change to the generator simply stops matching. <c>npgen bench gen</c>
/// reports whether the fast evaluator agrees; the tests recompute the small ones with the oracle.
/// </summary>
public static class OracleDigests
{
    private const string Resource = "PolicyGen.Workloads.oracle-digests.txt";

    private static readonly Lazy<Dictionary<string, (string Reachability, string Label)>> Table = new(Load);

    public static IReadOnlyDictionary<string, (string Reachability, string Label)> All => Table.Value;

    public static string? Find(string manifestsSha256) => Table.Value.TryGetValue(manifestsSha256, out var entry) ? entry.Reachability : null;

    /// <summary>Lines: manifests SHA-256, reachability SHA-256, then a label (preset and seed); # starts a comment.</summary>
    private static Dictionary<string, (string, string)> Load()
    {
        var table = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        using var stream = typeof(OracleDigests).Assembly.GetManifestResourceStream(Resource);
        if (stream is null)
        {
            return table;
        }

        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && !line.StartsWith('#'))
            {
                table[parts[0]] = (parts[1], parts.Length > 2 ? parts[2] : "");
            }
        }

        return table;
    }
}
