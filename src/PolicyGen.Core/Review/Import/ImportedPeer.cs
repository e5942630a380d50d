using System.Collections.Immutable;

namespace PolicyGen.Review.Import;

/// <summary>
/// One peer in the intent's words. <see cref="App"/> is set when the peer selects exactly an app's
/// pods; otherwise <see cref="Namespace"/> (one namespace by name), <see cref="NamespaceLabels"/>
/// (namespaces by labels, empty for all), <see cref="PodLabels"/> (null for every pod),
/// <see cref="Network"/> (an ipBlock) or <see cref="Anywhere"/>.
/// </summary>
public sealed record ImportedPeer
{
    public ImportedApp? App { get; init; }
    public string? Namespace { get; init; }
    public ImmutableSortedDictionary<string, string>? NamespaceLabels { get; init; }
    public ImmutableSortedDictionary<string, string>? PodLabels { get; init; }
    public string? Network { get; init; }
    public bool Anywhere { get; init; }

    public bool IsPods => Network is null && !Anywhere;
}
