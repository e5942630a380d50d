using System.Collections.Immutable;
using System.Net;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// The matrix's endpoints, followed by outside addresses as extra rows and columns: a row is the
/// address as a client (only the pod's ingress applies, S11.1), a column the address as a
/// destination (only the pod's egress, S11.2). Address-to-address cells are no pod's business and
/// have no verdict.
/// </summary>
public sealed class ReachabilityGrid
{
    private readonly ReachabilityMatrix matrix;
    private readonly ImmutableArray<ConnectionEnd> ends;

    private ReachabilityGrid(ReachabilityMatrix matrix, ImmutableArray<ConnectionEnd> ends, ImmutableArray<IPAddress> addresses)
    {
        this.matrix = matrix;
        this.ends = ends;
        Addresses = addresses;
    }

    public static ReachabilityGrid Create(ReachabilityMatrix matrix, IEnumerable<IPAddress> addresses)
    {
        var evaluator = matrix.Evaluator;
        var endpoints = evaluator.Cluster.Endpoints;
        var ends = endpoints.Select((e, i) => ConnectionEnd.ForEndpoint(e, i))
            .Concat(addresses.Select(ConnectionEnd.External)).ToImmutableArray();
        return new ReachabilityGrid(matrix, ends, [.. addresses]);
    }

    /// <summary>
    /// One address inside each block and each except of every ipBlock the policies name (the
    /// block's first address), so a matrix shows both sides of every except.
    /// </summary>
    public static IEnumerable<IPAddress> IpBlockAddresses(Cluster cluster)
    {
        var texts = cluster.Policies.SelectMany(p => p.Ingress.Concat(p.Egress)).SelectMany(r => r.Peers)
            .Select(p => p.IpBlock).OfType<IpBlock>().SelectMany(b => b.Except.Prepend(b.Cidr));
        var cidrs = new SortedSet<Cidr>(Comparer<Cidr>.Create((a, b) => a.Family != b.Family ? a.Family.CompareTo(b.Family) : a.Network.CompareTo(b.Network)));
        foreach (var text in texts)
        {
            if (Cidr.TryParse(text, out var cidr, out _))
            {
                cidrs.Add(cidr);
            }
        }

        var endpoints = cluster.Endpoints.SelectMany(e => e.Addresses).ToHashSet();
        return cidrs.Select(c => Cidr.ToAddress(c.Family, c.Network)).Where(a => !endpoints.Contains(a)).Distinct();
    }

    public ReachabilityMatrix Matrix => matrix;

    public IReadOnlyList<PortProbe> Probes => matrix.Probes;

    public ImmutableArray<IPAddress> Addresses { get; }

    /// <summary>Endpoints then addresses.</summary>
    public int Count => ends.Length;

    public ConnectionEnd End(int index) => ends[index];

    public bool IsAddress(int index) => ends[index].IsExternal;

    /// <summary>The verdict of a cell; null for an address-to-address cell.</summary>
    public PairVerdict? Get(int probe, int from, int to)
    {
        var (a, b) = (ends[from], ends[to]);
        if (!a.IsExternal && !b.IsExternal)
        {
            return matrix.Get(probe, from, to);
        }

        if (a.IsExternal && b.IsExternal)
        {
            return null;
        }

        var verdict = matrix.Evaluator.Evaluate(a, b, matrix.Probes[probe].Port, matrix.Probes[probe].Protocol);
        return new PairVerdict(verdict.Allowed, verdict.Ingress.Allowed, verdict.Egress.Allowed);
    }
}
