using System.Collections.Immutable;
using PolicyGen.Model;

namespace PolicyGen.Review.Import;

/// <summary>An app of the imported intent: the pods one podSelector selects in one namespace, and what its policies say.</summary>
public sealed class ImportedApp(string name, string ns, ImmutableSortedDictionary<string, string> selector)
{
    public string Name { get; } = name;
    public string Namespace { get; } = ns;
    public ImmutableSortedDictionary<string, string> Selector { get; } = selector;

    /// <summary>Some policy of these pods applies in the direction (the intent then declares <c>ingress</c> / <c>calls</c>).</summary>
    public bool DeclaresIngress { get; set; }
    public bool DeclaresEgress { get; set; }

    /// <summary>The policies this app was read from, for the comment above it.</summary>
    public SortedSet<string> Sources { get; } = new(StringComparer.Ordinal);

    /// <summary>Named ports the rules use, resolved on the app's pods: name → <c>N/PROTO</c>.</summary>
    public SortedDictionary<string, string> Ports { get; } = new(StringComparer.Ordinal);

    /// <summary>The intent lines of <c>ingress:</c> and <c>calls:</c>, in the policies' order.</summary>
    public List<string> IngressRules { get; } = [];
    public List<string> Calls { get; } = [];

    public bool IsAllPods => Selector.IsEmpty;

    public bool Matches(Endpoint endpoint)
        => endpoint.Namespace == Namespace && !endpoint.HostNetwork && Selector.All(l => endpoint.Labels.TryGetValue(l.Key, out var v) && v == l.Value);
}
