using System.Text.RegularExpressions;
using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// A port given by name (<c>http</c>, <c>dns/UDP</c>), resolved as NetworkPolicy resolves named
/// ports: on the destination pod, by name and protocol (S7.4; the protocol defaults to TCP, S7.1).
/// </summary>
public sealed partial record NamedPortQuery(string Name, Protocol Protocol)
{
    /// <summary>An IANA service name (S14.5), optionally <c>/TCP</c>, <c>/UDP</c> or <c>/SCTP</c>.</summary>
    public static bool TryParse(string text, out NamedPortQuery? query)
    {
        query = null;
        var match = Pattern().Match(text);
        if (!match.Success || match.Groups[1].Value.Contains("--", StringComparison.Ordinal) || !match.Groups[1].Value.Any(char.IsAsciiLetter))
        {
            return false;
        }

        var protocol = Protocol.TCP;
        if (match.Groups[2].Success && !ProtocolNames.TryParse(match.Groups[2].Value.ToUpperInvariant(), out protocol))
        {
            return false;
        }

        query = new NamedPortQuery(match.Groups[1].Value, protocol);
        return true;
    }

    /// <summary>The container port number on <paramref name="destination"/>, or an error that names the pod's ports.</summary>
    public bool TryResolve(ConnectionEnd destination, out int port, out string? error)
    {
        port = 0;
        error = null;
        if (destination.Endpoint is not { } endpoint)
        {
            error = $"a named port resolves on the destination pod, and {destination.Display} is no pod's address; give a number (--port N[/PROTO])";
            return false;
        }

        if (endpoint.Ports.FirstOrDefault(p => p.Name == Name && p.Protocol == Protocol) is { } found)
        {
            port = found.Port;
            return true;
        }

        var declared = !endpoint.Ports.Any(p => p.Name is not null)
            ? "it declares no named container port"
            : "its named ports: " + string.Join(", ", endpoint.Ports.Where(p => p.Name is not null).Select(p => $"{p.Name}={p.Port}/{p.Protocol.Name()}"));
        var other = endpoint.Ports.FirstOrDefault(p => p.Name == Name);
        error = $"{endpoint.Id} ({endpoint.Kind}) has no {Protocol.Name()} container port named {Name}"
            + (other is null ? "" : $" ({Name} is {other.Port}/{other.Protocol.Name()}: add /{other.Protocol.Name()})") + $"; {declared}";
        return false;
    }

    public override string ToString() => $"{Name}/{Protocol.Name()}";

    [GeneratedRegex("^([a-z0-9](?:[a-z0-9-]{0,13}[a-z0-9])?)(?:/([A-Za-z]+))?$")]
    private static partial Regex Pattern();
}
