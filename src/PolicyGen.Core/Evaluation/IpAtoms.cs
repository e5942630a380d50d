using System.Net.Sockets;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// The address space cut at every boundary of every CIDR the policies name, so that each piece
/// ("atom") lies wholly inside or wholly outside every ipBlock and every except (S6). Pods whose
/// addresses fall in the same atoms cannot be told apart by any ipBlock.
/// </summary>
internal sealed class IpAtoms
{
    private readonly UInt128[] v4;
    private readonly UInt128[] v6;

    public IpAtoms(IEnumerable<Cidr> cidrs)
    {
        var v4Bounds = new SortedSet<UInt128> { 0 };
        var v6Bounds = new SortedSet<UInt128> { 0 };
        foreach (var cidr in cidrs)
        {
            var bounds = cidr.Family == AddressFamily.InterNetwork ? v4Bounds : v6Bounds;
            var max = cidr.Family == AddressFamily.InterNetwork ? (UInt128)uint.MaxValue : UInt128.MaxValue;
            bounds.Add(cidr.Network);
            if (cidr.Last < max)
            {
                bounds.Add(cidr.Last + 1);
            }
        }

        v4 = [.. v4Bounds];
        v6 = [.. v6Bounds];
    }

    public int Count => v4.Length + v6.Length;

    /// <summary>The atom an address lies in: IPv4 atoms first, then IPv6.</summary>
    public int Locate(AddressFamily family, UInt128 value)
    {
        var bounds = family == AddressFamily.InterNetwork ? v4 : v6;
        var index = Array.BinarySearch(bounds, value);
        var atom = index >= 0 ? index : ~index - 1;
        return family == AddressFamily.InterNetwork ? atom : v4.Length + atom;
    }

    /// <summary>First address of an atom, a witness for testing whether an ipBlock covers it.</summary>
    public (AddressFamily Family, UInt128 Start) Start(int atom)
        => atom < v4.Length ? (AddressFamily.InterNetwork, v4[atom]) : (AddressFamily.InterNetworkV6, v6[atom - v4.Length]);
}
