using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PolicyGen.Model;

/// <summary>
/// A parsed CIDR. Addresses are held as 128-bit integers so IPv4 and IPv6 share one code path;
/// the family is kept apart because an address never matches a block of the other family (S6.1).
/// </summary>
public readonly record struct Cidr(AddressFamily Family, UInt128 Network, int PrefixLength)
{
    public int Bits => Family == AddressFamily.InterNetwork ? 32 : 128;

    /// <summary>The last address inside the block.</summary>
    public UInt128 Last => Network | HostMask(Bits, PrefixLength);

    public bool Contains(AddressFamily family, UInt128 address)
        => family == Family && address >= Network && address <= Last;

    public bool Contains(IPAddress address)
    {
        var (family, value) = ToNumber(address);
        return Contains(family, value);
    }

    /// <summary>S14.7: a strict subset lies inside this block and has a longer prefix.</summary>
    public bool IsStrictSupersetOf(Cidr other)
        => other.Family == Family && other.PrefixLength > PrefixLength && Contains(Family, other.Network);

    public override string ToString()
        => $"{ToAddress(Family, Network)}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Parses <c>address/prefix</c>. <paramref name="canonical"/> is false when the text has host
    /// bits set, leading zeros or another spelling than the canonical one (S14.7).
    /// </summary>
    public static bool TryParse(string text, out Cidr cidr, out bool canonical)
    {
        cidr = default;
        canonical = false;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            return false;
        }

        var addressText = text[..slash];
        var prefixText = text[(slash + 1)..];
        if (!prefixText.All(char.IsAsciiDigit) || prefixText.Length > 3
            || addressText.Contains('%', StringComparison.Ordinal) // no IPv6 zone ids in a CIDR
            || !IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        var family = address.AddressFamily;
        var isV4Text = !addressText.Contains(':', StringComparison.Ordinal);
        if ((family == AddressFamily.InterNetwork) != isV4Text || (isV4Text && addressText.Count(c => c == '.') != 3))
        {
            return false; // IPAddress accepts "10" or "10.1" as IPv4; the API does not.
        }

        var prefix = int.Parse(prefixText, CultureInfo.InvariantCulture);
        var bits = family == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix > bits)
        {
            return false;
        }

        var (_, value) = ToNumber(address);
        var network = value & ~HostMask(bits, prefix);
        cidr = new Cidr(family, network, prefix);
        canonical = network == value && cidr.ToString() == text;
        return true;
    }

    public static (AddressFamily Family, UInt128 Value) ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        UInt128 value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return (address.AddressFamily, value);
    }

    public static IPAddress ToAddress(AddressFamily family, UInt128 value)
    {
        var length = family == AddressFamily.InterNetwork ? 4 : 16;
        var bytes = new byte[length];
        for (var i = length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        return new IPAddress(bytes);
    }

    private static UInt128 HostMask(int bits, int prefix)
    {
        var hostBits = bits - prefix;
        return hostBits == 0 ? UInt128.Zero : hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
    }
}
