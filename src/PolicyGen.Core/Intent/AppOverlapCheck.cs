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
    /// <summary>Reports each overlapping pair at the later app's selector (or the app, when it has none written), pairs in order.</summary>
    public static void Check(IntentNodeReader reader, IReadOnlyList<(App App, MappingNode Node)> apps)
    {
        var all = new App[apps.Count];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = apps[i].App;
        }

        var partners = CandidatePartners(all);
        for (var i = 0; i < partners.Length; i++)
        {
            if (partners[i] is not { } later)
            {
                continue;
            }

            var sorted = later.ToArray();
            Array.Sort(sorted);
            for (var k = 0; k < sorted.Length; k++)
            {
                var j = sorted[k];
                if ((k > 0 && sorted[k - 1] == j) || !Overlap(all[i], all[j]))
                {
                    continue;
                }

                var (a, b) = (all[i], all[j]);
                reader.Error(DiagnosticCodes.IntentOverlappingApps,
                    $"apps \"{a.Name}\" and \"{b.Name}\" in namespace {a.Namespace} can select the same pods ({{{Labels.Format(a.Selector)}}} and {{{Labels.Format(b.Selector)}}})",
                    (SourceNode?)apps[j].Node["selector"] ?? apps[j].Node,
                    "give both selectors a common key with different values, e.g. tier: web and tier: api");
            }
        }
    }

    /// <summary>No key of one selector has another value in the other.</summary>
    private static bool Overlap(App a, App b)
    {
        foreach (var (key, value) in a.Selector)
        {
            if (b.Selector.TryGetValue(key, out var other) && other != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Per app position, the later positions (with repeats, unordered) that the most common key of
    /// their namespace does not already tell apart. Plain arrays and reference-type collections: the
    /// LINQ over value tuples this was written with compiled at every start (not precompiled).
    /// </summary>
    private static List<int>?[] CandidatePartners(App[] apps)
    {
        var partners = new List<int>?[apps.Length];
        void Pair(int x, int y) => (partners[Math.Min(x, y)] ??= []).Add(Math.Max(x, y));

        var namespaces = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < apps.Length; i++)
        {
            if (!apps[i].Selector.IsEmpty)
            {
                if (!namespaces.TryGetValue(apps[i].Namespace, out var members))
                {
                    namespaces[apps[i].Namespace] = members = [];
                }

                members.Add(i);
            }
        }

        foreach (var members in namespaces.Values)
        {
            var key = MostCommonKey(apps, members);
            var buckets = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var without = new List<int>();
            foreach (var m in members)
            {
                if (apps[m].Selector.TryGetValue(key, out var value))
                {
                    if (!buckets.TryGetValue(value, out var bucket))
                    {
                        buckets[value] = bucket = [];
                    }

                    bucket.Add(m);
                }
                else
                {
                    without.Add(m);
                }
            }

            foreach (var bucket in buckets.Values)
            {
                for (var x = 0; x < bucket.Count; x++)
                {
                    for (var y = x + 1; y < bucket.Count; y++)
                    {
                        Pair(bucket[x], bucket[y]);
                    }
                }
            }

            foreach (var lacking in without)
            {
                foreach (var m in members)
                {
                    if (m != lacking && (m > lacking || apps[m].Selector.ContainsKey(key)))
                    {
                        Pair(m, lacking);
                    }
                }
            }
        }

        return partners;
    }

    /// <summary>The key most members' selectors have; of equally common ones, the first in ordinal order.</summary>
    private static string MostCommonKey(App[] apps, List<int> members)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in members)
        {
            foreach (var key in apps[m].Selector.Keys)
            {
                counts.TryGetValue(key, out var count);
                counts[key] = count + 1;
            }
        }

        string? best = null;
        var bestCount = 0;
        foreach (var pair in counts)
        {
            if (pair.Value > bestCount || (pair.Value == bestCount && string.CompareOrdinal(pair.Key, best) < 0))
            {
                (best, bestCount) = (pair.Key, pair.Value);
            }
        }

        return best!;
    }
}
