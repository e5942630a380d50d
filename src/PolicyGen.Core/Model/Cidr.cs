using System.Diagnostics.CodeAnalysis;
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
        if (prefixText.AsSpan().ContainsAnyExceptInRange('0', '9') || prefixText.Length > 3)
        {
            return false;
        }

        if (!IpAddressText.TryParse(addressText, out var address))
        {
            return false;
        }

        var family = address.AddressFamily;

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

    /// <summary>
    /// Whether the text's address is IPv4-mapped IPv6 (<c>::ffff:10.0.0.0/104</c>). Such a block is
    /// ambiguous: Go's net.IPNet (and so the CNIs written in Go) matches IPv4 addresses against its
    /// last 32 bits (10.0.0.0/8 here; /0 when the prefix is shorter than 96), npgen's evaluator reads
    /// it as IPv6. The API server rejects it under StrictIPCIDRValidation
    /// (k8s.io/apimachinery/pkg/util/validation/ip.go: "must not have an IPv4-mapped IPv6 address").
    /// </summary>
    public static bool IsIPv4MappedText(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? text : text[..slash];
        return address.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(address, out var ip) && ip.IsIPv4MappedToIPv6;
    }

    /// <summary>The IPv4 block Go reads an IPv4-mapped CIDR as (see <see cref="IsIPv4MappedText"/>).</summary>
    public Cidr AsGoReadsIPv4()
        => new(AddressFamily.InterNetwork, (Network & 0xFFFF_FFFF) & ~HostMask(32, Math.Max(0, PrefixLength - 96)), Math.Max(0, PrefixLength - 96));

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
