using System.Collections.Immutable;

namespace PolicyGen.Evaluation;

/// <summary>
/// A group of endpoints that no policy can tell apart: same namespace, same values for every
/// label key some selector uses, same container ports for the names that rules name, same IP
/// atoms, same hostNetwork treatment. The evaluator works on identities and expands to endpoints
/// only for output.
/// </summary>
internal sealed class Identity(int index, int namespaceIndex, bool hostNetwork,
    IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<(string Name, Model.Protocol Protocol), int[]> namedPorts,
    int[] atoms)
{
    public int Index { get; } = index;
    public int NamespaceIndex { get; } = namespaceIndex;
    public bool HostNetwork { get; } = hostNetwork;

    /// <summary>The endpoint labels projected on the keys selectors use.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    /// <summary>(name, protocol) to the container port numbers with that name and protocol, for the names rules use (S7.4).</summary>
    public IReadOnlyDictionary<(string Name, Model.Protocol Protocol), int[]> NamedPorts { get; } = namedPorts;

    public int[] Atoms { get; } = atoms;

    public ImmutableArray<int>.Builder Endpoints { get; } = ImmutableArray.CreateBuilder<int>();
}
