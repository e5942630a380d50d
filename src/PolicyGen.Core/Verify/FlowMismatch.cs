using System.Net;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;

namespace PolicyGen.Verify;

/// <summary>
/// One flow (a witness pair on one port class) where the generated policies and the intent
/// disagree. <see cref="From"/> and <see cref="To"/> name the ends with their address; the
/// optional parts let messages group flows by end (<see cref="FromName"/>, <see cref="ToName"/>),
/// merge ports, and point at the intent line behind the flow.
/// </summary>
public sealed record FlowMismatch(string From, string To, string Port, bool IntentAllows, bool PoliciesAllow, string Why)
{
    /// <summary>The source as the intent names it, without its address: flows are grouped by it.</summary>
    public string? FromName { get; init; }

    /// <summary>The destination as the intent names it, without its address.</summary>
    public string? ToName { get; init; }

    public IPAddress? FromAddress { get; init; }
    public IPAddress? ToAddress { get; init; }

    /// <summary>The port probed; it stands for every port of its class.</summary>
    public PortProbe? Probe { get; init; }

    /// <summary>The intent line that declared the edge behind the flow (or the app whose policy allows it).</summary>
    public SourceLocation? Location { get; init; }

    public override string ToString()
        => $"{From} -> {To} {Port}: intent {(IntentAllows ? "allows" : "denies")}, policies {(PoliciesAllow ? "allow" : "deny")} ({Why})";
}
