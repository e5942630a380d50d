using System.Net;
using System.Net.Sockets;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>An ipBlock with parsed CIDRs: inside <c>cidr</c> and inside no <c>except</c> (S6.1).</summary>
internal sealed record CompiledIpBlock(Cidr Cidr, Cidr[] Except)
{
    public bool Contains(AddressFamily family, UInt128 value)
    {
        if (!Cidr.Contains(family, value))
        {
            return false;
        }

        foreach (var e in Except)
        {
            if (e.Contains(family, value))
            {
                return false;
            }
        }

        return true;
    }

    public bool Contains(IPAddress address)
    {
        var (family, value) = Cidr.ToNumber(address);
        return Contains(family, value);
    }

    public override string ToString()
        => Except.Length == 0 ? Cidr.ToString() : $"{Cidr} except {string.Join(", ", Except)}";
}
