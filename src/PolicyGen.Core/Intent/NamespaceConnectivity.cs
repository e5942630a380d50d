using System.Collections.Immutable;
using PolicyGen.Model;

namespace PolicyGen.Intent;

/// <summary>
/// What the namespace-wide rules of one namespace (<c>spec.namespaces.&lt;ns&gt;.ingress</c>,
/// <c>calls</c>, <c>ingress: none</c>, <c>egress: none</c>) mean for every pod of it, pods of no app
/// included: whether they isolate the pods in each direction and which edges they allow. A pod of an
/// app gets the union of these edges and its app's (NetworkPolicy rules add up).
/// </summary>
public sealed record NamespaceConnectivity(IntentNamespace Namespace, bool IngressIsolated, bool EgressIsolated,
    ImmutableArray<Edge> Inbound, ImmutableArray<Edge> Outbound)
{
    /// <summary>The namespaces with namespace-wide rules, in intent order.</summary>
    public static ImmutableArray<NamespaceConnectivity> Of(NetworkIntent intent)
    {
        var result = ImmutableArray.CreateBuilder<NamespaceConnectivity>();
        foreach (var ns in intent.Namespaces.Where(n => n.IngressIsolated || n.EgressIsolated))
        {
            var inbound = ns.Ingress.SelectMany(rule => rule.From.Select(peer => new Edge(peer, rule.Ports, rule.Source))).ToImmutableArray();
            var outbound = new List<Edge>();
            if (!ns.EgressNone)
            {
                outbound.AddRange(ns.Calls.Select(c => new Edge(c.To, c.Ports, c.Source)));
                if (HasDnsRule(intent, ns))
                {
                    outbound.AddRange(intent.Dns.Peers.Select(peer => new Edge(peer, DnsPorts, DnsSource(intent), IsDns: true)));
                }
            }

            result.Add(new NamespaceConnectivity(ns, ns.IngressIsolated, ns.EgressIsolated, inbound, [.. outbound]));
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// Whether the namespace-wide egress carries the automatic DNS rule: it isolates egress with an
    /// allow-list (<c>calls</c>), DNS is on for the intent and the namespace, and it is not <c>egress: none</c>.
    /// </summary>
    public static bool HasDnsRule(NetworkIntent intent, IntentNamespace ns)
        => intent.Dns.Enabled && ns.Dns && !ns.EgressNone && ns.EgressIsolated;

    public static readonly ImmutableArray<PortRange> DnsPorts = [new PortRange(Protocol.UDP, 53, 53), new PortRange(Protocol.TCP, 53, 53)];

    public static IntentSource DnsSource(NetworkIntent intent) => intent.Dns.Source ?? intent.Source with { JsonPointer = "/spec/defaults/dns" };
}
