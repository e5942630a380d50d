using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Intent;

/// <summary>
/// Two apps in one namespace must not be able to select the same pod: they need a key with
/// different values. Apps that carry the namespace's most common key with different values can
/// never overlap, so only apps sharing that value, or lacking the key, are compared pairwise:
/// linear for the usual {app: NAME} selectors instead of quadratic.
/// </summary>
internal static class AppOverlapCheck
{
    /// <summary>Reports each overlapping pair at the later app's selector (or the app, when it has none written).</summary>
    public static void Check(IntentNodeReader reader, IReadOnlyList<(App App, MappingNode Node)> apps)
    {
        foreach (var (i, j) in CandidatePairs(apps).Distinct().Order())
        {
            var (a, b) = (apps[i].App, apps[j].App);
            if (!a.Selector.Any(l => b.Selector.TryGetValue(l.Key, out var v) && v != l.Value))
            {
                reader.Error(DiagnosticCodes.IntentOverlappingApps,
                    $"apps \"{a.Name}\" and \"{b.Name}\" in namespace {a.Namespace} can select the same pods ({{{Labels.Format(a.Selector)}}} and {{{Labels.Format(b.Selector)}}})",
                    (SourceNode?)apps[j].Node["selector"] ?? apps[j].Node,
                    "give both selectors a common key with different values, e.g. tier: web and tier: api");
            }
        }
    }

    /// <summary>The pairs (by position, lower first) that the most common key of their namespace does not already tell apart.</summary>
    private static List<(int I, int J)> CandidatePairs(IReadOnlyList<(App App, MappingNode Node)> apps)
    {
        var positions = apps.Select((a, i) => (a.App, i)).ToList();
        var pairs = new List<(int I, int J)>();
        foreach (var group in positions.Where(x => !x.App.Selector.IsEmpty).GroupBy(x => x.App.Namespace, StringComparer.Ordinal))
        {
            var members = group.ToList();
            var key = members.SelectMany(m => m.App.Selector.Keys).GroupBy(k => k, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
            var without = members.Where(m => !m.App.Selector.ContainsKey(key)).ToList();
            foreach (var bucket in members.Where(m => m.App.Selector.ContainsKey(key)).GroupBy(m => m.App.Selector[key], StringComparer.Ordinal))
            {
                var list = bucket.ToList();
                for (var x = 0; x < list.Count; x++)
                {
                    for (var y = x + 1; y < list.Count; y++)
                    {
                        pairs.Add((list[x].i, list[y].i));
                    }
                }
            }

            foreach (var lacking in without)
            {
                pairs.AddRange(members.Where(m => m.i != lacking.i && (m.App.Selector.ContainsKey(key) || m.i > lacking.i))
                    .Select(m => (Math.Min(m.i, lacking.i), Math.Max(m.i, lacking.i))));
            }
        }

        return pairs;
    }
}
