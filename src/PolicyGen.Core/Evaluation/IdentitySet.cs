using System.Runtime.InteropServices;

namespace PolicyGen.Evaluation;

/// <summary>
/// An immutable set of identity indexes stored as sorted, disjoint, non-adjacent half-open ranges.
/// Identities are numbered namespace by namespace, so what a selector matches inside one namespace
/// is usually one short run, and the sets of a 150,000-pod cluster stay a few integers each where
/// a bitset would take 50,000 bits. Membership is a binary search; unions and intersections merge.
/// </summary>
internal sealed class IdentitySet : IEquatable<IdentitySet>
{
    public static readonly IdentitySet Empty = new([]);

    /// <summary>[start0, end0, start1, end1, ...]: starts ascending, each end &lt; the next start.</summary>
    private readonly int[] bounds;
    private int hash;

    private IdentitySet(int[] bounds) => this.bounds = bounds;

    public bool IsEmpty => bounds.Length == 0;

    public int RangeCount => bounds.Length >> 1;

    public (int Start, int End) RangeAt(int index) => (bounds[2 * index], bounds[(2 * index) + 1]);

    public int Count
    {
        get
        {
            var count = 0;
            for (var i = 0; i < bounds.Length; i += 2)
            {
                count += bounds[i + 1] - bounds[i];
            }

            return count;
        }
    }

    public static IdentitySet Range(int start, int end) => end > start ? new([start, end]) : Empty;

    /// <summary>From ascending, distinct indexes: runs of consecutive indexes become one range.</summary>
    public static IdentitySet FromSorted(ReadOnlySpan<int> indexes)
    {
        if (indexes.IsEmpty)
        {
            return Empty;
        }

        var result = new List<int>();
        var start = indexes[0];
        var previous = start;
        for (var i = 1; i < indexes.Length; i++)
        {
            if (indexes[i] != previous + 1)
            {
                result.Add(start);
                result.Add(previous + 1);
                start = indexes[i];
            }

            previous = indexes[i];
        }

        result.Add(start);
        result.Add(previous + 1);
        return new([.. result]);
    }

    /// <summary>From ranges in any order, overlapping or not.</summary>
    public static IdentitySet FromRanges(List<(int Start, int End)> ranges)
    {
        if (ranges.Count == 0)
        {
            return Empty;
        }

        var span = CollectionsMarshal.AsSpan(ranges);
        span.Sort((a, b) => a.Start.CompareTo(b.Start));
        var result = new List<int>(ranges.Count * 2);
        var (start, end) = span[0];
        for (var i = 1; i < span.Length; i++)
        {
            if (span[i].Start <= end)
            {
                end = Math.Max(end, span[i].End);
            }
            else
            {
                if (end > start)
                {
                    result.Add(start);
                    result.Add(end);
                }

                (start, end) = span[i];
            }
        }

        if (end > start)
        {
            result.Add(start);
            result.Add(end);
        }

        return result.Count == 0 ? Empty : new([.. result]);
    }

    public bool Contains(int value)
    {
        // The last range starting at or before value.
        int low = 0, high = (bounds.Length >> 1) - 1;
        while (low <= high)
        {
            var mid = (low + high) >> 1;
            if (bounds[2 * mid] <= value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return high >= 0 && value < bounds[(2 * high) + 1];
    }

    public IEnumerable<int> Ones()
    {
        for (var i = 0; i < bounds.Length; i += 2)
        {
            for (var v = bounds[i]; v < bounds[i + 1]; v++)
            {
                yield return v;
            }
        }
    }

    /// <summary>The part of the set inside [start, end), found by binary search.</summary>
    public IdentitySet Slice(int start, int end)
    {
        if (end <= start || bounds.Length == 0)
        {
            return Empty;
        }

        if (bounds[0] >= start && bounds[^1] <= end)
        {
            return this;
        }

        var result = new List<int>();
        for (var i = FirstRangeEndingAfter(start); i < bounds.Length >> 1 && bounds[2 * i] < end; i++)
        {
            var s = Math.Max(start, bounds[2 * i]);
            var e = Math.Min(end, bounds[(2 * i) + 1]);
            if (e > s)
            {
                result.Add(s);
                result.Add(e);
            }
        }

        return result.Count == 0 ? Empty : new([.. result]);
    }

    private int FirstRangeEndingAfter(int value)
    {
        int low = 0, high = (bounds.Length >> 1) - 1;
        while (low <= high)
        {
            var mid = (low + high) >> 1;
            if (bounds[(2 * mid) + 1] <= value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low;
    }

    public IdentitySet Intersect(IdentitySet other)
    {
        if (IsEmpty || other.IsEmpty)
        {
            return Empty;
        }

        if (other.RangeCount == 1)
        {
            return Slice(other.bounds[0], other.bounds[1]);
        }

        if (RangeCount == 1)
        {
            return other.Slice(bounds[0], bounds[1]);
        }

        if (RangeCount * GallopRatio < other.RangeCount)
        {
            return other.IntersectSmall(this);
        }

        if (other.RangeCount * GallopRatio < RangeCount)
        {
            return IntersectSmall(other);
        }

        var a = bounds;
        var b = other.bounds;
        var result = new List<int>();
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            var s = Math.Max(a[i], b[j]);
            var e = Math.Min(a[i + 1], b[j + 1]);
            if (e > s)
            {
                result.Add(s);
                result.Add(e);
            }

            if (a[i + 1] < b[j + 1])
            {
                i += 2;
            }
            else
            {
                j += 2;
            }
        }

        return Make(result);
    }

    /// <summary>Above this ratio of range counts, an intersection searches the large set once per range of the small one instead of walking both.</summary>
    private const int GallopRatio = 8;

    /// <summary>
    /// The intersection with a set of far fewer ranges: each of its ranges is looked up by binary
    /// search, so the cost follows the small set (a selector narrowed to one app against a label
    /// every namespace carries), not the large one.
    /// </summary>
    private IdentitySet IntersectSmall(IdentitySet small)
    {
        var result = new List<int>();
        var b = small.bounds;
        for (var j = 0; j < b.Length; j += 2)
        {
            for (var i = FirstRangeEndingAfter(b[j]); i < bounds.Length >> 1 && bounds[2 * i] < b[j + 1]; i++)
            {
                var s = Math.Max(b[j], bounds[2 * i]);
                var e = Math.Min(b[j + 1], bounds[(2 * i) + 1]);
                if (e > s)
                {
                    result.Add(s);
                    result.Add(e);
                }
            }
        }

        return Make(result);
    }

    public IdentitySet Union(IdentitySet other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        return Union([this, other]);
    }

    /// <summary>
    /// The union of many sets, merged pairwise like a merge sort (each set's ranges are already
    /// sorted): O(R log k) for R ranges in k sets, with no comparison sort. A row that joins one
    /// namespace-wide set to a few small ones costs about a copy of the large set.
    /// </summary>
    public static IdentitySet Union(IReadOnlyList<IdentitySet> sets)
    {
        var parts = new List<int[]>(sets.Count);
        foreach (var set in sets)
        {
            if (!set.IsEmpty)
            {
                parts.Add(set.bounds);
            }
        }

        if (parts.Count == 0)
        {
            return Empty;
        }

        if (parts.Count == 1)
        {
            return sets.First(s => !s.IsEmpty);
        }

        while (parts.Count > 1)
        {
            var next = new List<int[]>((parts.Count + 1) / 2);
            for (var i = 0; i + 1 < parts.Count; i += 2)
            {
                next.Add(Merge(parts[i], parts[i + 1]));
            }

            if ((parts.Count & 1) == 1)
            {
                next.Add(parts[^1]);
            }

            parts = next;
        }

        return new(parts[0]);
    }

    /// <summary>Two sorted, disjoint, non-adjacent range lists merged into one (overlapping or touching ranges join).</summary>
    private static int[] Merge(int[] a, int[] b)
    {
        var result = new int[a.Length + b.Length];
        var n = 0;
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            int start, end;
            if (j >= b.Length || (i < a.Length && a[i] <= b[j]))
            {
                (start, end) = (a[i], a[i + 1]);
                i += 2;
            }
            else
            {
                (start, end) = (b[j], b[j + 1]);
                j += 2;
            }

            if (n > 0 && start <= result[n - 1])
            {
                result[n - 1] = Math.Max(result[n - 1], end);
            }
            else
            {
                result[n++] = start;
                result[n++] = end;
            }
        }

        return n == result.Length ? result : result[..n];
    }

    /// <summary>The members of this set that are not in <paramref name="other"/>.</summary>
    public IdentitySet Except(IdentitySet other)
    {
        if (IsEmpty || other.IsEmpty)
        {
            return this;
        }

        var result = new List<int>();
        var j = 0;
        var b = other.bounds;
        for (var i = 0; i < bounds.Length; i += 2)
        {
            var s = bounds[i];
            var e = bounds[i + 1];
            while (j < b.Length && b[j + 1] <= s)
            {
                j += 2;
            }

            var k = j;
            while (k < b.Length && b[k] < e)
            {
                if (b[k] > s)
                {
                    result.Add(s);
                    result.Add(b[k]);
                }

                s = Math.Max(s, b[k + 1]);
                k += 2;
            }

            if (e > s)
            {
                result.Add(s);
                result.Add(e);
            }
        }

        return Make(result);
    }

    private static IdentitySet Make(List<int> bounds) => bounds.Count == 0 ? Empty : MergeAdjacent(new([.. bounds]));

    /// <summary>Joins ranges that touch ([1,3) and [3,5) become [1,5)), so equal sets have equal bounds.</summary>
    private static IdentitySet MergeAdjacent(IdentitySet set)
    {
        var b = set.bounds;
        var touching = false;
        for (var i = 2; i < b.Length; i += 2)
        {
            touching |= b[i] == b[i - 1];
        }

        if (!touching)
        {
            return set;
        }

        var result = new List<int>(b.Length) { b[0], b[1] };
        for (var i = 2; i < b.Length; i += 2)
        {
            if (b[i] == result[^1])
            {
                result[^1] = b[i + 1];
            }
            else
            {
                result.Add(b[i]);
                result.Add(b[i + 1]);
            }
        }

        return new([.. result]);
    }

    public bool Equals(IdentitySet? other)
        => other is not null && (ReferenceEquals(this, other) || bounds.AsSpan().SequenceEqual(other.bounds));

    public override bool Equals(object? obj) => Equals(obj as IdentitySet);

    public override int GetHashCode()
    {
        if (hash == 0)
        {
            var h = new HashCode();
            h.AddBytes(MemoryMarshal.AsBytes(bounds.AsSpan()));
            hash = h.ToHashCode() | 1;
        }

        return hash;
    }
}
