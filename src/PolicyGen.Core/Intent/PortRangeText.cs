using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PolicyGen.Model;

namespace PolicyGen.Intent;

/// <summary>The intent's port text, <c>N[/PROTO]</c> or <c>A-B[/PROTO]</c> (TCP when no protocol is written), parsed in one place.</summary>
internal static class PortRangeText
{
    public static bool TryParse(string text, [NotNullWhen(true)] out PortRange? range)
    {
        range = null;
        var parts = text.Split('/');
        var protocol = Protocol.TCP;
        var bounds = parts[0].Split('-');
        if (parts.Length > 2 || (parts.Length == 2 && !ProtocolNames.TryParse(parts[1].ToUpperInvariant(), out protocol))
            || bounds.Length > 2
            || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low)
            || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var high)
            || low is < 1 or > 65535 || high is < 1 or > 65535 || high < low)
        {
            return false;
        }

        range = new PortRange(protocol, low, high);
        return true;
    }
}
