using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Model;

/// <summary>A namespace. Labels always include <c>kubernetes.io/metadata.name</c> (S5.4).</summary>
public sealed record Namespace(string Name, ImmutableSortedDictionary<string, string> Labels, SourceLocation? Location)
{
    public const string NameLabel = "kubernetes.io/metadata.name";

    /// <summary>Adds the name label the control plane adds, when a manifest lacks it (S5.4).</summary>
    public static Namespace Create(string name, IEnumerable<KeyValuePair<string, string>> labels, SourceLocation? location)
    {
        var all = Model.Labels.Of(labels);
        return new Namespace(name, all.ContainsKey(NameLabel) ? all : all.Add(NameLabel, name), location);
    }
}
