using System.Globalization;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>A destination port and protocol to test, written <c>80/TCP</c>.</summary>
public sealed record PortProbe(int Port, Protocol Protocol)
{
    public override string ToString() => $"{Port.ToString(CultureInfo.InvariantCulture)}/{Protocol.Name()}";

    /// <summary>Parses <c>80</c>, <c>80/TCP</c>, <c>53/udp</c>. The protocol defaults to TCP, as in policies (S7.1).</summary>
    public static bool TryParse(string text, out PortProbe probe)
    {
        probe = new PortProbe(0, Protocol.TCP);
        var parts = text.Split('/');
        if (parts.Length > 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        var protocol = Protocol.TCP;
        if (parts.Length == 2 && !ProtocolNames.TryParse(parts[1].ToUpperInvariant(), out protocol))
        {
            return false;
        }

        probe = new PortProbe(port, protocol);
        return true;
    }

    /// <summary>Protocol first (TCP, UDP, SCTP), then port: the order the matrix prints.</summary>
    public static IComparer<PortProbe> Order { get; } = Comparer<PortProbe>.Create(
        (a, b) => a.Protocol != b.Protocol ? a.Protocol.CompareTo(b.Protocol) : a.Port.CompareTo(b.Port));
}
