using System.Net;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>One end of a connection: an endpoint (pod or workload) or an external address (S1.1, S11).</summary>
public sealed record ConnectionEnd
{
    private ConnectionEnd(Endpoint? endpoint, int endpointIndex, IPAddress? address)
        => (Endpoint, EndpointIndex, Address) = (endpoint, endpointIndex, address);

    public Endpoint? Endpoint { get; }

    /// <summary>Index into <c>Cluster.Endpoints</c>, or -1 for an external address.</summary>
    public int EndpointIndex { get; }

    public IPAddress? Address { get; }

    public bool IsExternal => Endpoint is null;

    public string Display => Endpoint?.Id ?? Address!.ToString();

    internal static ConnectionEnd ForEndpoint(Endpoint endpoint, int index) => new(endpoint, index, null);

    public static ConnectionEnd External(IPAddress address) => new(null, -1, address);

    public override string ToString() => Display;
}
