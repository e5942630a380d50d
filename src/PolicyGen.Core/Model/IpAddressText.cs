using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PolicyGen.Model;

/// <summary>
/// An IP address as Kubernetes writes one. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
/// alone is too lenient: it reads "203.0.113" as 203.0.0.113 and "10.1" as 10.0.0.1, takes hex
/// ("0x0a.0.0.1") and reads "010" as octal (8), while the API server reads leading zeros as decimal
/// (010 = 10); for IPv6 it accepts brackets ("[::1]") and zones ("::1%0"), which the API server rejects.
/// A typo must be an error, never an answer about another address.
/// </summary>
public static class IpAddressText
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (!text.Contains(':', StringComparison.Ordinal))
        {
            return TryParseDottedDecimal(text, out address);
        }

        if (text.AsSpan().ContainsAnyExcept(Ipv6Characters) || !IPAddress.TryParse(text, out address)
            || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            address = null;
            return false;
        }

        return true;
    }

    private static readonly SearchValues<char> Ipv6Characters = SearchValues.Create("0123456789abcdefABCDEF:.");

    /// <summary>Four decimal octets, each 0-255; leading zeros are allowed and read as decimal.</summary>
    private static bool TryParseDottedDecimal(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        // By hand rather than Split: every pod of a cluster dump has one or two (no garbage per address).
        address = null;
        Span<byte> bytes = stackalloc byte[4];
        var rest = text.AsSpan();
        for (var i = 0; i < 4; i++)
        {
            var dot = rest.IndexOf('.');
            if ((dot < 0) != (i == 3))
            {
                return false;
            }

            var part = dot < 0 ? rest : rest[..dot];
            rest = dot < 0 ? [] : rest[(dot + 1)..];
            var digits = part.TrimStart('0');
            if (part.Length == 0 || part.ContainsAnyExceptInRange('0', '9') || digits.Length > 3)
            {
                return false;
            }

            var value = digits.Length == 0 ? 0 : int.Parse(digits, CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return false;
            }

            bytes[i] = (byte)value;
        }

        address = new IPAddress(bytes);
        return true;
    }
}
