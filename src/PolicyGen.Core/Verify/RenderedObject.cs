using System.Collections.Immutable;

namespace PolicyGen.Verify;

/// <summary>
/// One object of a rendered stream as far as the rendered check needs it: its identity, labels and
/// annotations, and the lines it spans in its source (to tell a reader problem inside one of the
/// intent's policies from one in an unrelated object).
/// </summary>
public sealed record RenderedObject(
    string ApiVersion,
    string Kind,
    string Namespace,
    string Name,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableSortedDictionary<string, string> Annotations,
    string File,
    int StartLine,
    int EndLine)
{
    public string Id => $"{Namespace}/{Name}";

    public bool IsNetworkPolicy => Kind == "NetworkPolicy" && ApiVersion.StartsWith("networking.k8s.io/", StringComparison.Ordinal);

    public string? Label(string key) => Labels.GetValueOrDefault(key);

    public string? Annotation(string key) => Annotations.GetValueOrDefault(key);
}
