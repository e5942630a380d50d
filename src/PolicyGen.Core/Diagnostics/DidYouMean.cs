namespace PolicyGen.Diagnostics;

/// <summary>The closest of a set of names to one typed by hand, for "did you mean" hints.</summary>
public static class DidYouMean
{
    /// <summary>
    /// The candidate nearest to <paramref name="typed"/> by edit distance, when it is near enough
    /// to be a typo: at most a third of the longer name, rounded up (at least 1, at most 3 edits); null otherwise.
    /// Ties go to the first candidate in ordinal order, so the hint is the same on every run.
    /// </summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var distance = IsTransposition(typed.ToLowerInvariant(), candidate.ToLowerInvariant())
                ? 1
                : EditDistance.Between(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            var allowed = Math.Clamp((Math.Max(typed.Length, candidate.Length) + 2) / 3, 1, 3);
            if (distance <= allowed && distance < bestDistance && candidate != typed)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Two neighbouring letters swapped (biuld, gne): the commonest typo, one slip rather than two edits.</summary>
    private static bool IsTransposition(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        var first = -1;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                if (first >= 0)
                {
                    return i == first + 1 && a[first] == b[i] && a[i] == b[first] && a[(i + 1)..] == b[(i + 1)..];
                }

                first = i;
            }
        }

        return false;
    }
}
