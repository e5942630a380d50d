using System.Collections.Immutable;
using PolicyGen.Model;

namespace PolicyGen.Review.Import;

/// <summary>
/// Turns a label selector into the intent's plain label maps: <c>In</c> with one value is a label,
/// <c>In</c> with several values is one map per value (ORed by the caller). <c>NotIn</c>,
/// <c>Exists</c> and <c>DoesNotExist</c> have no equivalent: null.
/// </summary>
public static class SelectorExpansion
{
    /// <summary>At most this many maps from one selector (the product of its In lists).</summary>
    public const int Limit = 16;

    public static ImmutableArray<ImmutableSortedDictionary<string, string>>? Expand(LabelSelector selector)
    {
        var maps = new List<ImmutableSortedDictionary<string, string>> { selector.MatchLabels };
        foreach (var requirement in selector.MatchExpressions)
        {
            if (requirement.Operator != LabelOperators.In || requirement.Values.IsEmpty)
            {
                return null;
            }

            var next = new List<ImmutableSortedDictionary<string, string>>();
            foreach (var map in maps)
            {
                foreach (var value in requirement.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    if (!map.TryGetValue(requirement.Key, out var existing))
                    {
                        next.Add(map.Add(requirement.Key, value));
                    }
                    else if (existing == value)
                    {
                        next.Add(map);
                    }

                    // A different value for a key already required selects nothing: no map.
                }
            }

            maps = next;
            if (maps.Count > Limit)
            {
                return null;
            }
        }

        return [.. maps.Distinct(MapComparer.Instance)];
    }

    private sealed class MapComparer : IEqualityComparer<ImmutableSortedDictionary<string, string>>
    {
        public static readonly MapComparer Instance = new();

        public bool Equals(ImmutableSortedDictionary<string, string>? x, ImmutableSortedDictionary<string, string>? y)
            => Labels.Format(x!) == Labels.Format(y!);

        public int GetHashCode(ImmutableSortedDictionary<string, string> obj) => StringComparer.Ordinal.GetHashCode(Labels.Format(obj));
    }
}
