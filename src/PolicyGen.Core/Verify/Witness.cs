using System.Net;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// A test subject for the proof: a pod standing for an app, a pod the intent does not allow (other
/// labels, another namespace, part of an app's labels), a pod matching a declared peer, or an
/// address inside or outside a network. <see cref="Display"/> names it as the intent's author
/// knows it (an app, a peer as written, a network, a preset) or, for a made-up pod, says what it
/// stands for; many witnesses may share one display (all addresses of a network), and messages
/// group flows by it. <see cref="Workload"/> marks a real pod or workload read from manifests
/// (npgen diff -f), shown by its own name.
/// </summary>
internal sealed record Witness(string Display, Endpoint? Pod, IPAddress? Address, App? App, bool Workload = false)
{
    public bool IsPod => Pod is not null;

    /// <summary>The display with the address, when the display does not already say it.</summary>
    public string FullDisplay => Address is null || Display == Address.ToString() ? Display : $"{Display} ({Address})";
}
