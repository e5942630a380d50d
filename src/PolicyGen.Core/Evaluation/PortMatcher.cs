using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// The <c>ports</c> part of a rule (S4.2, S7). An empty list matches every port and protocol.
/// Numeric entries match [port, endPort]; a protocol-only entry matches every port of it; a named
/// entry matches when the destination has a container port of that name and protocol with the
/// connection's number (S7.4), so it never matches an external destination.
/// </summary>
internal sealed class PortMatcher
{
    private readonly (Protocol Protocol, int Low, int High)[] ranges;
    private readonly (Protocol Protocol, string Name)[] names;

    public PortMatcher(IEnumerable<PolicyPort> ports)
    {
        var rangeList = new List<(Protocol, int, int)>();
        var nameList = new List<(Protocol, string)>();
        var invalidEntries = 0;
        foreach (var port in ports)
        {
            // S7.1: an omitted protocol is TCP. An unknown one (rejected by validation) matches nothing,
            // but the entry still counts, so the rule does not turn into "every port".
            if (!ProtocolNames.TryParse(port.Protocol ?? "TCP", out var protocol))
            {
                invalidEntries++;
                continue;
            }

            switch (port.Port)
            {
                case null:
                    rangeList.Add((protocol, 1, 65535)); // S7.3
                    break;
                case { Number: { } number }:
                    rangeList.Add((protocol, number, port.EndPort ?? number)); // S7.2
                    break;
                case { Name: { } name }:
                    nameList.Add((protocol, name));
                    break;
            }
        }

        MatchesAll = rangeList.Count == 0 && nameList.Count == 0 && invalidEntries == 0;
        ranges = [.. rangeList];
        names = [.. nameList];
    }

    public bool MatchesAll { get; }

    public IReadOnlyList<(Protocol Protocol, string Name)> Names => names;

    /// <summary>Numeric entries as inclusive ranges; a protocol-only entry is 1-65535.</summary>
    public IReadOnlyList<(Protocol Protocol, int Low, int High)> Ranges => ranges;

    /// <summary>Whether an entry that does not depend on the destination matches.</summary>
    public bool MatchesNumeric(Protocol protocol, int port)
    {
        if (MatchesAll)
        {
            return true;
        }

        foreach (var (p, low, high) in ranges)
        {
            if (p == protocol && port >= low && port <= high)
            {
                return true;
            }
        }

        return false;
    }

    /// <param name="destination">The destination identity, or null for an external address.</param>
    public bool Matches(Protocol protocol, int port, Identity? destination)
    {
        if (MatchesNumeric(protocol, port))
        {
            return true;
        }

        if (destination is null)
        {
            return false;
        }

        foreach (var (p, name) in names)
        {
            if (p == protocol && destination.NamedPorts.TryGetValue((name, p), out var numbers) && Array.IndexOf(numbers, port) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
