using System.Collections.Immutable;

namespace PolicyGen.Model;

/// <summary>A label selector. All <c>matchLabels</c> and <c>matchExpressions</c> terms are ANDed (S5.1).</summary>
public sealed record LabelSelector
{
    public static readonly LabelSelector Everything = new();

    public ImmutableSortedDictionary<string, string> MatchLabels { get; init; } = Labels.Empty;
    public ImmutableArray<LabelSelectorRequirement> MatchExpressions { get; init; } = [];

    public bool IsEmpty => MatchLabels.Count == 0 && MatchExpressions.IsEmpty;

    /// <summary>S5.1: In needs the key with a listed value; NotIn also holds when the key is absent.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var requirement in MatchExpressions)
        {
            var present = labels.TryGetValue(requirement.Key, out var actual);
            var ok = requirement.Operator switch
            {
                LabelOperators.In => present && requirement.Values.Contains(actual!),
                LabelOperators.NotIn => !present || !requirement.Values.Contains(actual!),
                LabelOperators.Exists => present,
                LabelOperators.DoesNotExist => !present,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A canonical text of the selector, used to intern equal selectors and in explanations.</summary>
    public string CanonicalText()
    {
        if (IsEmpty)
        {
            return "{}";
        }

        if (MatchExpressions.IsEmpty)
        {
            // The common case, without LINQ: matchLabels are already sorted by key, and "k=v" parts sort the same way
            // unless a key is a prefix of another one followed by a character below '='.
            var text = new System.Text.StringBuilder();
            foreach (var (key, value) in MatchLabels)
            {
                if (text.Length > 0)
                {
                    text.Append(',');
                }

                text.Append(key).Append('=').Append(value);
            }

            var fast = text.ToString();
            if (MatchLabels.Count == 1)
            {
                return fast;
            }
        }

        var parts = MatchLabels.Select(l => $"{l.Key}={l.Value}").ToList();
        parts.AddRange(MatchExpressions.Select(e => e.Operator switch
        {
            LabelOperators.Exists => e.Key,
            LabelOperators.DoesNotExist => "!" + e.Key,
            _ => $"{e.Key} {(e.Operator == LabelOperators.In ? "in" : e.Operator == LabelOperators.NotIn ? "notin" : e.Operator)} ({string.Join(",", e.Values.Order(StringComparer.Ordinal))})",
        }));
        parts.Sort(StringComparer.Ordinal);
        return string.Join(",", parts);
    }
}
