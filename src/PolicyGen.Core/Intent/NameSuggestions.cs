using PolicyGen.Diagnostics;

namespace PolicyGen.Intent;

/// <summary>The hints of a name the intent does not know: a close name, or the names it does know.</summary>
internal static class NameSuggestions
{
    /// <summary>"did you mean" by edit distance, for typos in keys and names.</summary>
    public static string? Suggest(string typed, IEnumerable<string> known)
    {
        var best = known.Select(k => (Name: k, Distance: EditDistance.Between(typed, k))).OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal).FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, typed.Length / 3) ? $"did you mean \"{best.Name}\"?" : null;
    }

    /// <summary>A mistyped app name: the closest app, or the apps there are.</summary>
    public static string AppHint(string typed, NetworkIntent intent)
        => Suggest(typed, intent.Apps.Select(a => a.Name)) ?? AppsHint(intent);

    public static string AppsHint(NetworkIntent intent)
        => intent.Apps.IsEmpty ? "declare the app under spec.apps" : $"the apps are: {string.Join(", ", intent.Apps.Select(a => a.Name))}";
}
