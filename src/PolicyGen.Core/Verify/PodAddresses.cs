using System.Net;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// The addresses a pod is tried at when an expectation names it: inside <c>spec.podNetwork</c>,
/// the first and last address of each pod network block and, for every block the intent or the
/// policies name (networks, the API server, ipBlocks, their excepts), its edges and the addresses
/// just outside them. Every ipBlock gives the same answer for all addresses between two of these,
/// so checking these is checking every address a pod could have.
/// </summary>
internal static class PodAddresses
{
    public static List<IPAddress> Candidates(NetworkIntent intent, IEnumerable<IpBlock> policyBlocks)
    {
        var edges = new List<(System.Net.Sockets.AddressFamily Family, UInt128 Value)>();
        void Add(Cidr cidr)
        {
            edges.Add((cidr.Family, cidr.Network));
            edges.Add((cidr.Family, cidr.Last));
            if (cidr.Network > 0)
            {
                edges.Add((cidr.Family, cidr.Network - 1));
            }

            var max = cidr.Family == System.Net.Sockets.AddressFamily.InterNetwork ? (UInt128)uint.MaxValue : UInt128.MaxValue;
            if (cidr.Last < max)
            {
                edges.Add((cidr.Family, cidr.Last + 1));
            }
        }

        foreach (var block in intent.PodNetwork
            .Concat(intent.Networks.SelectMany(n => n.Blocks))
            .Concat(intent.ApiServer?.Blocks ?? []))
        {
            Add(block.Cidr);
            foreach (var except in block.Except)
            {
                Add(except);
            }
        }

        foreach (var ipBlock in policyBlocks)
        {
            foreach (var text in ipBlock.Except.Prepend(ipBlock.Cidr))
            {
                if (Cidr.TryParse(text, out var cidr, out _))
                {
                    Add(cidr);
                }
            }
        }

        return [.. edges.Distinct().Order()
            .Select(e => Cidr.ToAddress(e.Family, e.Value))
            .Where(a => intent.PodNetwork.Any(b => b.Contains(a)))];
    }
}
