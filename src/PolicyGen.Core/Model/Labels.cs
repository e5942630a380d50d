using System.Collections.Immutable;

namespace PolicyGen.Model;

/// <summary>Label maps are sorted by key (ordinal) so every output that lists them is deterministic.</summary>
public static class Labels
{
    public static readonly ImmutableSortedDictionary<string, string> Empty =
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public static ImmutableSortedDictionary<string, string> Of(IEnumerable<KeyValuePair<string, string>> pairs)
        => ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, pairs);

    public static ImmutableSortedDictionary<string, string> Of(params (string Key, string Value)[] pairs)
        => Of(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));

    public static string Format(IReadOnlyDictionary<string, string> labels)
        => string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}
