using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// The ports a probe stands for: every port of its protocol that each mentioned range treats as
/// it treats the probe (the proof checks one port per such class), as sorted, disjoint ranges.
/// </summary>
internal sealed class PortClassRanges(IReadOnlyList<PortRange> ranges)
{
    private readonly Dictionary<PortProbe, List<(int Low, int High)>> classes = [];

    public IReadOnlyList<(int Low, int High)> Of(PortProbe probe)
    {
        if (classes.TryGetValue(probe, out var known))
        {
            return known;
        }

        var mine = ranges.Where(r => r.Protocol == probe.Protocol).ToList();
        var bounds = new SortedSet<int> { 1, 65536 };
        foreach (var r in mine)
        {
            bounds.Add(r.Low);
            bounds.Add(r.High + 1);
        }

        bool SameClass(int port) => mine.All(r => r.Contains(probe.Protocol, port) == r.Contains(probe.Protocol, probe.Port));
        var result = new List<(int Low, int High)>();
        var starts = bounds.Where(b => b is >= 1 and <= 65536).ToList();
        for (var i = 0; i + 1 < starts.Count; i++)
        {
            var (low, high) = (starts[i], starts[i + 1] - 1);
            if (SameClass(low))
            {
                Add(result, low, high);
            }
        }

        classes[probe] = result;
        return result;
    }

    /// <summary>Appends a range, merging it with the last one when they touch.</summary>
    public static void Add(List<(int Low, int High)> list, int low, int high)
    {
        if (list.Count > 0 && list[^1].High + 1 >= low)
        {
            list[^1] = (list[^1].Low, Math.Max(list[^1].High, high));
        }
        else
        {
            list.Add((low, high));
        }
    }

    /// <summary>Merges ranges (any order, overlaps allowed) into sorted, disjoint ones.</summary>
    public static List<(int Low, int High)> Merge(IEnumerable<(int Low, int High)> ranges)
    {
        var merged = new List<(int Low, int High)>();
        foreach (var (low, high) in ranges.OrderBy(r => r.Low))
        {
            Add(merged, low, high);
        }

        return merged;
    }

    /// <summary>
    /// <c>8080/TCP</c>, <c>1-7999/TCP</c>, <c>every UDP port</c>, or <c>every port except 8000/TCP</c>
    /// when that is shorter; at most <paramref name="max"/> pieces, then a count.
    /// </summary>
    public static string Format(IReadOnlyList<(Protocol Protocol, List<(int Low, int High)> Ranges)> ports, int max = 6)
    {
        var complement = ProtocolNames.All.Select(p => (p, Complement(ports.Where(x => x.Protocol == p).SelectMany(x => x.Ranges)))).ToList();
        var holes = complement.Sum(c => c.Item2.Count);
        if (holes == 0)
        {
            return "every port";
        }

        if (holes <= 3 && ports.Sum(p => p.Ranges.Count) > holes)
        {
            return "every port except " + Pieces(complement.Where(c => c.Item2.Count > 0).ToList(), max, full: false);
        }

        return Pieces(ports, max, full: true);
    }

    private static List<(int Low, int High)> Complement(IEnumerable<(int Low, int High)> ranges)
    {
        var result = new List<(int Low, int High)>();
        var next = 1;
        foreach (var (low, high) in Merge(ranges))
        {
            if (low > next)
            {
                result.Add((next, low - 1));
            }

            next = Math.Max(next, high + 1);
        }

        if (next <= 65535)
        {
            result.Add((next, 65535));
        }

        return result;
    }

    private static string Pieces(IReadOnlyList<(Protocol Protocol, List<(int Low, int High)> Ranges)> ports, int max, bool full)
    {
        var pieces = new List<string>();
        foreach (var (protocol, list) in ports)
        {
            if (full && list is [(1, 65535)])
            {
                pieces.Add($"every {protocol.Name()} port");
                continue;
            }

            pieces.AddRange(list.Select(r => r.Low == r.High ? $"{r.Low}/{protocol.Name()}" : $"{r.Low}-{r.High}/{protocol.Name()}"));
        }

        return pieces.Count <= max ? string.Join(", ", pieces) : string.Join(", ", pieces.Take(max)) + $" and {pieces.Count - max} more port ranges";
    }
}
