using System.Collections.Immutable;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// The ports the proof tries. Every port range the intent or the policies mention splits the ports
/// into classes that every rule treats alike, so one port per class stands for all of them.
/// </summary>
internal static class PortProbes
{
    /// <summary>
    /// One port from each port class: the boundaries of every port range the intent or the
    /// generated policies mention, just inside and just outside, plus an unmentioned port per
    /// protocol. Ports that every range treats alike are one class and probed once.
    /// </summary>
    public static IReadOnlyList<PortProbe> For(NetworkIntent intent, ImmutableArray<NetworkPolicy> policies = default)
    {
        var ranges = MentionedRanges(intent, policies.IsDefault ? [] : policies);
        var candidates = new SortedSet<PortProbe>(PortProbe.Order);
        foreach (var protocol in ProtocolNames.All)
        {
            candidates.Add(new PortProbe(1, protocol));
            candidates.Add(new PortProbe(65535, protocol));
        }

        foreach (var range in ranges)
        {
            foreach (var port in new[] { range.Low - 1, range.Low, range.High, range.High + 1 })
            {
                if (port is >= 1 and <= 65535)
                {
                    candidates.Add(new PortProbe(port, range.Protocol));
                }
            }
        }

        var classes = new HashSet<string>(StringComparer.Ordinal);
        var probes = new List<PortProbe>();
        foreach (var probe in candidates)
        {
            var signature = probe.Protocol + ":" + string.Concat(ranges.Select(r => r.Contains(probe.Protocol, probe.Port) ? '1' : '0'));
            if (classes.Add(signature))
            {
                probes.Add(probe);
            }
        }

        return probes;
    }

    /// <summary>Every port range the intent or the policies mention, DNS included: the boundaries of the port classes.</summary>
    public static List<PortRange> MentionedRanges(NetworkIntent intent, IEnumerable<NetworkPolicy> policies)
        => [.. intent.Apps.SelectMany(a => a.Ports.Select(p => p.Range)
                .Concat(a.Ingress.SelectMany(r => r.Ports))
                .Concat(a.Calls.SelectMany(c => c.Ports)))
            .Concat(intent.Namespaces.SelectMany(n => n.Ingress.SelectMany(r => r.Ports).Concat(n.Calls.SelectMany(c => c.Ports))))
            .Concat(intent.ApiServer?.Ports ?? [])
            .Concat(intent.Expectations.Select(e => e.Port))
            .Append(new PortRange(Protocol.UDP, 53, 53))
            .Append(new PortRange(Protocol.TCP, 53, 53))
            .Concat(policies.SelectMany(p => p.Ingress.Concat(p.Egress)).SelectMany(r => r.Ports).Select(PolicyRange).OfType<PortRange>())
            .Distinct()];

    /// <summary>The numeric range of a policy port entry (a named port resolves to the witnesses' declared ports, already listed).</summary>
    private static PortRange? PolicyRange(PolicyPort port)
    {
        if (!ProtocolNames.TryParse(port.Protocol ?? "TCP", out var protocol))
        {
            return null;
        }

        return port.Port switch
        {
            null => new PortRange(protocol, 1, 65535),
            { Number: { } n } when n is >= 1 and <= 65535 => new PortRange(protocol, n, Math.Clamp(port.EndPort ?? n, n, 65535)),
            _ => null,
        };
    }
}
