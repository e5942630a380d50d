namespace PolicyGen.Model;

/// <summary>
/// One port entry, v1alpha1 (<c>portNumber</c>, <c>portRange</c>, <c>namedPort</c>) or v1alpha2
/// (<c>tcp|udp|sctp.destinationPort.number|range</c>, <c>destinationNamedPort</c>) in one shape.
/// </summary>
public sealed record ClusterPolicyPort
{
    /// <summary>As written; null for a named port or when v1alpha1 omits it (TCP by the API default).</summary>
    public string? Protocol { get; init; }

    /// <summary>First port; equal to <see cref="End"/> for a single number; null with <see cref="Name"/> or a protocol-only v1alpha2 entry.</summary>
    public int? Start { get; init; }

    public int? End { get; init; }

    /// <summary>A named container port of the destination pod, of any protocol.</summary>
    public string? Name { get; init; }

    /// <summary>Whether the entry was written as a range (validation wants start &lt; end).</summary>
    public bool IsRange { get; init; }

    /// <summary>How many alternatives were written (the API wants exactly one).</summary>
    public int FieldCount { get; init; }
}
