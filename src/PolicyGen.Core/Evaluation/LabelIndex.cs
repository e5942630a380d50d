using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// An inverted index from <c>key=value</c> and from <c>key</c> to the items carrying it (posting
/// lists kept as <see cref="IdentitySet"/>s), so a selector is a few set operations (matchLabels =
/// intersect, In = union, NotIn/DoesNotExist = except) instead of a scan (S5.1), and the index costs
/// memory in proportion to the labels, not to items × distinct values. Results are cached per
/// distinct selector.
/// </summary>
internal sealed class LabelIndex
{
    private readonly int count;
    private readonly Dictionary<string, Dictionary<string, IdentitySet>> byKeyValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdentitySet> byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdentitySet> cache = new(StringComparer.Ordinal);

    public LabelIndex(IReadOnlyList<IReadOnlyDictionary<string, string>> items)
    {
        count = items.Count;
        var postings = new Dictionary<string, Dictionary<string, List<int>>>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var (key, value) in items[i])
            {
                if (!postings.TryGetValue(key, out var values))
                {
                    postings[key] = values = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                }

                if (!values.TryGetValue(value, out var list))
                {
                    values[value] = list = [];
                }

                list.Add(i); // ascending, since items are visited in order
            }
        }

        foreach (var (key, values) in postings)
        {
            var sets = new Dictionary<string, IdentitySet>(values.Count, StringComparer.Ordinal);
            foreach (var (value, list) in values)
            {
                sets[value] = IdentitySet.FromSorted(list.ToArray());
            }

            byKeyValue[key] = sets;
            byKey[key] = IdentitySet.Union([.. sets.Values]);
        }
    }

    /// <summary>The items the selector matches.</summary>
    public IdentitySet Match(LabelSelector selector)
    {
        if (selector.IsEmpty)
        {
            return IdentitySet.Range(0, count);
        }

        var key = selector.CanonicalText();
        if (cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        IdentitySet? result = null;
        void And(IdentitySet set) => result = result is null ? set : result.Intersect(set);
        foreach (var (label, value) in selector.MatchLabels)
        {
            And(Lookup(label, value));
        }

        var removed = new List<IdentitySet>();
        foreach (var requirement in selector.MatchExpressions)
        {
            switch (requirement.Operator)
            {
                case LabelOperators.In:
                    And(IdentitySet.Union([.. requirement.Values.Select(v => Lookup(requirement.Key, v))]));
                    break;
                case LabelOperators.NotIn:
                    removed.Add(IdentitySet.Union([.. requirement.Values.Select(v => Lookup(requirement.Key, v))]));
                    break;
                case LabelOperators.Exists:
                    And(byKey.GetValueOrDefault(requirement.Key, IdentitySet.Empty));
                    break;
                case LabelOperators.DoesNotExist:
                    removed.Add(byKey.GetValueOrDefault(requirement.Key, IdentitySet.Empty));
                    break;
                default:
                    And(IdentitySet.Empty); // Invalid operators are rejected by validation (S14.8); match nothing.
                    break;
            }
        }

        result ??= IdentitySet.Range(0, count);
        if (removed.Count > 0)
        {
            result = result.Except(IdentitySet.Union(removed));
        }

        cache[key] = result;
        return result;
    }

    private IdentitySet Lookup(string key, string value)
        => byKeyValue.TryGetValue(key, out var values) && values.TryGetValue(value, out var set) ? set : IdentitySet.Empty;
}
