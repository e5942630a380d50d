namespace PolicyGen.Model;

public static class ProtocolNames
{
    public static readonly IReadOnlyList<Protocol> All = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

    /// <summary>Case-sensitive, as the API server checks it (S14.2).</summary>
    public static bool TryParse(string? text, out Protocol protocol)
    {
        switch (text)
        {
            case "TCP": protocol = Protocol.TCP; return true;
            case "UDP": protocol = Protocol.UDP; return true;
            case "SCTP": protocol = Protocol.SCTP; return true;
            default: protocol = default; return false;
        }
    }

    public static string Name(this Protocol protocol) => protocol switch
    {
        Protocol.TCP => "TCP",
        Protocol.UDP => "UDP",
        Protocol.SCTP => "SCTP",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };
}
