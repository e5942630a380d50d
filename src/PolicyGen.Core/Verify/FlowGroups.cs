using System.Net;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// Turns the proof's differing flows into messages a reader can act on: one per flow as the intent
/// names it (source and destination, every witness address and port class merged), located at the
/// intent line behind it, each distinct hint once, and at most <c>shown</c> of them followed by a count.
/// </summary>
internal static partial class FlowGroups
{
    /// <summary>How many flows an error lists before it counts the rest.</summary>
    public const int Shown = 20;

    private sealed class Group(FlowMismatch first)
    {
        public FlowMismatch First { get; } = first;
        public HashSet<IPAddress> FromAddresses { get; } = [];
        public HashSet<IPAddress> ToAddresses { get; } = [];
        public Dictionary<Protocol, List<(int Low, int High)>> Ports { get; } = [];
        public SortedSet<string> OtherPorts { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// The diagnostics for <paramref name="mismatches"/> under <paramref name="code"/>. A hint
    /// already in <paramref name="hintsGiven"/> is not repeated (the set is updated).
    /// </summary>
    public static List<Diagnostic> Diagnose(IReadOnlyList<FlowMismatch> mismatches, PortClassRanges? ports, string code,
        SourceLocation? fallback, Func<FlowMismatch, string?> hint, HashSet<string> hintsGiven, int shown = Shown)
    {
        var groups = new List<Group>();
        var byKey = new Dictionary<(string, string, bool, bool), Group>();
        foreach (var m in mismatches)
        {
            var key = (m.FromName ?? m.From, m.ToName ?? m.To, m.IntentAllows, m.PoliciesAllow);
            if (!byKey.TryGetValue(key, out var group))
            {
                byKey[key] = group = new Group(m);
                groups.Add(group);
            }

            AddAddress(group.FromAddresses, m.FromName, m.FromAddress);
            AddAddress(group.ToAddresses, m.ToName, m.ToAddress);
            if (m.Probe is { } probe && ports is not null)
            {
                if (!group.Ports.TryGetValue(probe.Protocol, out var list))
                {
                    group.Ports[probe.Protocol] = list = [];
                }

                list.AddRange(ports.Of(probe));
            }
            else
            {
                group.OtherPorts.Add(m.Port);
            }
        }

        var diagnostics = new List<Diagnostic>();
        foreach (var group in groups.Take(shown))
        {
            var m = group.First;
            var portText = group.Ports.Count == 0 ? "" : PortClassRanges.Format([.. ProtocolNames.All.Where(group.Ports.ContainsKey)
                .Select(p => (p, PortClassRanges.Merge(group.Ports[p])))]);
            portText = string.Join(", ", new[] { portText }.Where(t => t.Length > 0).Concat(group.OtherPorts));
            var message = $"{End(m.FromName ?? m.From, group.FromAddresses)} -> {End(m.ToName ?? m.To, group.ToAddresses)} {portText}: "
                + $"intent {(m.IntentAllows ? "allows" : "denies")}, policies {(m.PoliciesAllow ? "allow" : "deny")} ({m.Why})";
            var text = hint(m);
            diagnostics.Add(Diagnostic.Error(code, message, m.Location ?? fallback, text is not null && hintsGiven.Add(text) ? text : null));
        }

        if (groups.Count > shown)
        {
            diagnostics.Add(Diagnostic.Error(code, $"... and {groups.Count - shown} more flows differ ({groups.Count} in all)", fallback));
        }

        return diagnostics;
    }

    private static void AddAddress(HashSet<IPAddress> set, string? name, IPAddress? address)
    {
        if (address is not null && name != address.ToString())
        {
            set.Add(address);
        }
    }

    /// <summary>The end's name, with the addresses that showed the flow (a few, then a count).</summary>
    private static string End(string name, HashSet<IPAddress> addresses)
    {
        if (addresses.Count == 0)
        {
            return name;
        }

        // In address order: IPv4 before IPv6, then by number.
        var sorted = addresses.OrderBy(a => a.AddressFamily).ThenBy(a => Convert.ToHexString(a.GetAddressBytes()), StringComparer.Ordinal);
        var listed = string.Join(", ", sorted.Take(4)) + (addresses.Count > 4 ? $" and {addresses.Count - 4} more" : "");
        return $"{name} ({listed})";
    }

    /// <summary>Replaces the names of made-up witness pods (<c>ns/npgen-peer-1</c>) in a verdict's reason with what they stand for.</summary>
    public static Func<string, string> Renamer(IEnumerable<Witness> witnesses)
    {
        var names = witnesses.Where(w => w.Pod is { } pod && pod.Name.StartsWith("npgen-", StringComparison.Ordinal))
            .GroupBy(w => w.Pod!.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Display, StringComparer.Ordinal);
        if (names.Count == 0)
        {
            return reason => reason;
        }

        return reason => WitnessPodId().Replace(reason, match => names.TryGetValue(match.Value, out var display) ? display : match.Value);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w.-])[a-z0-9][a-z0-9.-]*/npgen-[a-z0-9-]*[a-z0-9](?![\w-])")]
    private static partial System.Text.RegularExpressions.Regex WitnessPodId();
}
