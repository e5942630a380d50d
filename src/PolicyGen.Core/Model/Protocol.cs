namespace PolicyGen.Model;

/// <summary>The L4 protocols NetworkPolicy can name (S1.1). Anything else is undefined by the API.</summary>
public enum Protocol
{
    TCP,
    UDP,
    SCTP,
}
