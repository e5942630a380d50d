using System.Collections.Immutable;
using System.Text;

namespace PolicyGen.Manifests;

/// <summary>
/// Hands out one immutable map per distinct set of string pairs. The replicas of an app carry the
/// same labels, so sharing the map saves memory at 150,000 pods and lets the evaluator project a
/// label set once instead of once per pod (it caches by reference).
/// </summary>
internal sealed class LabelSets
{
    private readonly Dictionary<string, ImmutableSortedDictionary<string, string>> shared = new(StringComparer.Ordinal);
    private readonly StringBuilder key = new();

    public ImmutableSortedDictionary<string, string> Share(ImmutableSortedDictionary<string, string>.Builder builder)
    {
        if (builder.Count == 0)
        {
            return Model.Labels.Empty;
        }

        // Length-prefixed, so no key or value text (YAML can even write a NUL) makes two sets collide.
        key.Clear();
        foreach (var (k, v) in builder)
        {
            key.Append(k.Length).Append(':').Append(k).Append(v.Length).Append(':').Append(v);
        }

        var text = key.ToString();
        if (!shared.TryGetValue(text, out var map))
        {
            shared[text] = map = builder.ToImmutable();
        }

        return map;
    }
}
