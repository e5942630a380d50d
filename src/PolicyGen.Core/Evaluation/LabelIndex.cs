using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// An inverted index from <c>key=value</c> and from <c>key</c> to the set of items carrying it, so
/// a selector is a few bitset operations (matchLabels = AND, In = OR, NotIn/DoesNotExist = AND-NOT)
/// instead of a scan (S5.1). Results are cached per distinct selector.
/// </summary>
internal sealed class LabelIndex
{
    private readonly int count;
    private readonly Dictionary<string, Dictionary<string, Bitset>> byKeyValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bitset> byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bitset> cache = new(StringComparer.Ordinal);
    private readonly Bitset empty;

    public LabelIndex(IReadOnlyList<IReadOnlyDictionary<string, string>> items)
    {
        count = items.Count;
        empty = new Bitset(count);
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var (key, value) in items[i])
            {
                if (!byKeyValue.TryGetValue(key, out var values))
                {
                    byKeyValue[key] = values = new Dictionary<string, Bitset>(StringComparer.Ordinal);
                    byKey[key] = new Bitset(count);
                }

                if (!values.TryGetValue(value, out var set))
                {
                    values[value] = set = new Bitset(count);
                }

                set.Set(i);
                byKey[key].Set(i);
            }
        }
    }

    /// <summary>The items the selector matches. The returned set is shared: do not modify it.</summary>
    public Bitset Match(LabelSelector selector)
    {
        var key = selector.CanonicalText();
        if (cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var result = Bitset.Full(count);
        foreach (var (label, value) in selector.MatchLabels)
        {
            result.And(Lookup(label, value));
        }

        foreach (var requirement in selector.MatchExpressions)
        {
            switch (requirement.Operator)
            {
                case LabelOperators.In:
                    result.And(Union(requirement.Key, requirement.Values));
                    break;
                case LabelOperators.NotIn:
                    result.AndNot(Union(requirement.Key, requirement.Values));
                    break;
                case LabelOperators.Exists:
                    result.And(byKey.GetValueOrDefault(requirement.Key, empty));
                    break;
                case LabelOperators.DoesNotExist:
                    result.AndNot(byKey.GetValueOrDefault(requirement.Key, empty));
                    break;
                default:
                    result = new Bitset(count); // Invalid operators are rejected by validation (S14.8); match nothing.
                    break;
            }
        }

        cache[key] = result;
        return result;
    }

    private Bitset Lookup(string key, string value)
        => byKeyValue.TryGetValue(key, out var values) && values.TryGetValue(value, out var set) ? set : empty;

    private Bitset Union(string key, IEnumerable<string> values)
    {
        var union = new Bitset(count);
        foreach (var value in values)
        {
            union.Or(Lookup(key, value));
        }

        return union;
    }
}
