using System.Collections.Immutable;
using System.Globalization;
using System.Net.Sockets;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// One connectivity change between two policy sets, in words:
/// <c>+ shop/web -> shop/api 8080/TCP</c> (now allowed) or <c>- monitoring/* -> shop-data/db 5432/TCP</c> (no longer allowed).
/// </summary>
public sealed record FlowChange(bool Added, string From, string To, string Ports)
{
    /// <summary>The ports of <see cref="Ports"/> as ranges, adjacent ones merged (every protocol's 1-65535 for all ports).</summary>
    public ImmutableArray<PortRange> PortRanges { get; init; } = [];

    // PortRanges is Ports as ranges: equal Ports mean equal ranges, so equality stays that of the text.
    public bool Equals(FlowChange? other)
        => other is not null && Added == other.Added && From == other.From && To == other.To && Ports == other.Ports;

    public override int GetHashCode() => HashCode.Combine(Added, From, To, Ports);

    public override string ToString() => $"{(Added ? "+" : "-")} {From} -> {To} {Ports}";
}

/// <summary>What a new policy set allows that the old one did not (<see cref="Added"/>), and the reverse.</summary>
public sealed record ConnectivityChanges(ImmutableArray<FlowChange> Added, ImmutableArray<FlowChange> Removed)
{
    public bool IsEmpty => Added.IsEmpty && Removed.IsEmpty;

    /// <summary>Added first, then removed, each sorted by source, destination and ports.</summary>
    public IEnumerable<FlowChange> All => Added.Concat(Removed);
}

/// <summary>
/// Compares what two sets of NetworkPolicies allow, with the core evaluator, on one witness cluster:
/// the intent's witnesses (<see cref="IntentVerifier"/>) plus a pod for every selector either set
/// names, every port class either set or the intent distinguishes, and every piece of the address
/// space that an ipBlock of either set cuts out. Text diffs of YAML say which lines moved; this says
/// who can now reach whom, and who no longer can.
/// </summary>
public static class ConnectivityDiff
{
    private const string OtherPod = "npgen-other";
    private const string ElsewhereNamespace = "npgen-elsewhere";
    private static readonly ImmutableSortedDictionary<string, string> OtherLabels = Labels.Of(("npgen.dev/witness", "other"));

    public static ConnectivityChanges Compare(NetworkIntent intent, ImmutableArray<AppConnectivity> apps,
        IReadOnlyList<NetworkPolicy> before, IReadOnlyList<NetworkPolicy> after)
        => Compare(intent, apps, before, after, null, null);

    /// <param name="workloads">Real namespaces and pods to add to the witnesses (their ports name named ports).</param>
    /// <param name="progress">0 to 1 over the evaluation of both sides.</param>
    public static ConnectivityChanges Compare(NetworkIntent intent, ImmutableArray<AppConnectivity> apps,
        IReadOnlyList<NetworkPolicy> before, IReadOnlyList<NetworkPolicy> after, Cluster? workloads, IProgress<double>? progress)
    {
        var world = WitnessWorld.Build(intent, apps, [.. before.Concat(after)], workloads);
        var old = PolicyEvaluator.Create(new Cluster { Namespaces = world.Namespaces, Endpoints = world.Endpoints, Policies = [.. before] });
        var now = PolicyEvaluator.Create(new Cluster { Namespaces = world.Namespaces, Endpoints = world.Endpoints, Policies = [.. after] });
        var ports = PortClasses(PortProbes.MentionedRanges(intent, before.Concat(after)));
        var probes = ports.Select(c => new PortProbe(c.Low, c.Protocol)).ToList();
        var oldMatrix = ReachabilityMatrix.Compute(old, probes, progress is null ? null : new Scaled(progress, 0, 0.4));
        var newMatrix = ReachabilityMatrix.Compute(now, probes, progress is null ? null : new Scaled(progress, 0.4, 0.4));

        // Raw changes: (added, from, to) -> the port classes whose verdict flipped.
        var changes = new Dictionary<(bool Added, End From, End To), SortedSet<int>>();
        void Record(bool added, End from, End to, int portClass)
        {
            if (!changes.TryGetValue((added, from, to), out var set))
            {
                changes[(added, from, to)] = set = [];
            }

            set.Add(portClass);
        }

        var endpoints = world.Endpoints;
        var pods = endpoints.Select((e, i) => new End(i, -1)).ToArray();
        RecordPodChanges(oldMatrix, newMatrix, probes.Count, pods, Record);

        // Addresses: one per atom of the address space cut by every ipBlock of both sets. Only pods
        // isolated in some direction by either set can see a difference.
        var blocks = before.Concat(after).SelectMany(pol => pol.Ingress.Concat(pol.Egress)).SelectMany(r => r.Peers)
            .Select(peer => peer.IpBlock).OfType<IpBlock>().Select(Compile).OfType<CompiledIpBlock>()
            .DistinctBy(b => b.ToString()).ToList();
        var atoms = new IpAtoms(blocks.SelectMany(b => b.Except.Prepend(b.Cidr)));
        RecordAddressChanges(old, now, endpoints, atoms, probes, pods, progress, Record);

        var namer = new Namer(world, atoms, blocks);
        var portRanges = new Dictionary<string, ImmutableArray<PortRange>>(StringComparer.Ordinal);
        var lines = new List<Line>();
        // Addresses: the atoms with the same pod, direction and ports become one address set.
        foreach (var group in changes.Where(c => c.Key.From.Atom >= 0 || c.Key.To.Atom >= 0)
            .GroupBy(c => (c.Key.Added, Pod: c.Key.From.Atom >= 0 ? c.Key.To : c.Key.From, Inbound: c.Key.From.Atom >= 0, Ports: FormatPorts(c.Value, ports, portRanges))))
        {
            var text = namer.Addresses(group.Select(c => group.Key.Inbound ? c.Key.From.Atom : c.Key.To.Atom));
            var pod = namer.Pod(group.Key.Pod.Pod);
            lines.Add(group.Key.Inbound
                ? new Line(group.Key.Added, [new Named(text, null, -1)], [pod], group.Key.Ports)
                : new Line(group.Key.Added, [pod], [new Named(text, null, -1)], group.Key.Ports));
        }

        lines.AddRange(changes.Where(c => c.Key.From.Atom < 0 && c.Key.To.Atom < 0)
            .Select(c => new Line(c.Key.Added, [namer.Pod(c.Key.From.Pod)], [namer.Pod(c.Key.To.Pod)], FormatPorts(c.Value, ports, portRanges))));

        // Many pods of one namespace changing alike become ns/*: first on the source side, then on the destination side.
        lines = Collapse(lines, namer, sources: true);
        lines = Collapse(lines, namer, sources: false);
        var flows = lines.SelectMany(l => l.From.SelectMany(f => l.To.Select(t => new FlowChange(l.Added, f.Text, t.Text, l.Ports) { PortRanges = RangesOf(l.Ports) })))
            .Distinct()
            .OrderBy(c => c.From, StringComparer.Ordinal).ThenBy(c => c.To, StringComparer.Ordinal).ThenBy(c => c.Ports, StringComparer.Ordinal)
            .ToList();
        progress?.Report(1);
        return new ConnectivityChanges([.. flows.Where(f => f.Added)], [.. flows.Where(f => !f.Added)]);

        ImmutableArray<PortRange> RangesOf(string text) => portRanges[text];
    }

    /// <summary>Progress of one stage as a slice of the whole.</summary>
    private sealed class Scaled(IProgress<double> whole, double start, double weight) : IProgress<double>
    {
        public void Report(double value) => whole.Report(start + (weight * value));
    }

    /// <summary>Every pod pair and port class whose verdict differs between the two sets.</summary>
    private static void RecordPodChanges(ReachabilityMatrix oldMatrix, ReachabilityMatrix newMatrix, int probeCount, End[] pods, Action<bool, End, End, int> record)
    {
        for (var p = 0; p < probeCount; p++)
        {
            for (var f = 0; f < pods.Length; f++)
            {
                for (var t = 0; t < pods.Length; t++)
                {
                    if (f == t)
                    {
                        continue;
                    }

                    var was = oldMatrix.Get(p, f, t).Allowed;
                    var isNow = newMatrix.Get(p, f, t).Allowed;
                    if (was != isNow)
                    {
                        record(isNow, pods[f], pods[t], p);
                    }
                }
            }
        }
    }

    /// <summary>Every pod, address atom and port class whose verdict differs between the two sets, in either direction.</summary>
    private static void RecordAddressChanges(PolicyEvaluator old, PolicyEvaluator now, ImmutableArray<Endpoint> endpoints, IpAtoms atoms,
        List<PortProbe> probes, End[] pods, IProgress<double>? progress, Action<bool, End, End, int> record)
    {
        var ends = endpoints.Select((e, i) => { old.TryResolve(e.Id, out var end, out _); return end!; }).ToArray();
        var addresses = Enumerable.Range(0, atoms.Count).Select(a =>
        {
            var (family, start) = atoms.Start(a);
            return ConnectionEnd.External(Cidr.ToAddress(family, start));
        }).ToArray();
        for (var f = 0; f < endpoints.Length; f++)
        {
            progress?.Report(0.8 + (0.2 * f / endpoints.Length));
            var egress = IsIsolated(old, now, ends[f], PolicyDirection.Egress);
            var ingress = IsIsolated(old, now, ends[f], PolicyDirection.Ingress);
            for (var p = 0; p < probes.Count && (egress || ingress); p++)
            {
                for (var a = 0; a < addresses.Length; a++)
                {
                    var (port, protocol) = (probes[p].Port, probes[p].Protocol);
                    if (egress && old.IsAllowed(ends[f], addresses[a], port, protocol) is var was && was != now.IsAllowed(ends[f], addresses[a], port, protocol))
                    {
                        record(!was, pods[f], new End(-1, a), p);
                    }

                    if (ingress && old.IsAllowed(addresses[a], ends[f], port, protocol) is var wasIn && wasIn != now.IsAllowed(addresses[a], ends[f], port, protocol))
                    {
                        record(!wasIn, new End(-1, a), pods[f], p);
                    }
                }
            }
        }
    }

    private static bool IsIsolated(PolicyEvaluator old, PolicyEvaluator now, ConnectionEnd end, PolicyDirection direction)
        => old.PoliciesOf(old.IdentityOf(end.EndpointIndex), direction).Length > 0
            || now.PoliciesOf(now.IdentityOf(end.EndpointIndex), direction).Length > 0;

    private static CompiledIpBlock? Compile(IpBlock block)
    {
        if (!Cidr.TryParse(block.Cidr, out var cidr, out _))
        {
            return null;
        }

        var except = new List<Cidr>();
        foreach (var text in block.Except)
        {
            if (Cidr.TryParse(text, out var e, out _))
            {
                except.Add(e);
            }
        }

        return new CompiledIpBlock(cidr, [.. except]);
    }

    /// <summary>
    /// The port axis cut at every boundary of every mentioned range: within one class every range
    /// treats every port alike, so one probe per class decides it.
    /// </summary>
    private static List<PortRange> PortClasses(List<PortRange> ranges)
    {
        var classes = new List<PortRange>();
        foreach (var protocol in ProtocolNames.All)
        {
            var bounds = new SortedSet<int> { 1 };
            foreach (var range in ranges.Where(r => r.Protocol == protocol))
            {
                bounds.Add(Math.Clamp(range.Low, 1, 65535));
                if (range.High < 65535)
                {
                    bounds.Add(Math.Max(range.High + 1, 1));
                }
            }

            var list = bounds.ToList();
            for (var i = 0; i < list.Count; i++)
            {
                classes.Add(new PortRange(protocol, list[i], i + 1 < list.Count ? list[i + 1] - 1 : 65535));
            }
        }

        return classes;
    }

    /// <summary><c>8080/TCP</c>, <c>7000-7100/TCP, 53/UDP</c>, or <c>all ports</c>; adjacent classes are merged.</summary>
    private static string FormatPorts(IEnumerable<int> classIndexes, List<PortRange> classes, Dictionary<string, ImmutableArray<PortRange>> ranges)
    {
        var merged = MergePorts(classIndexes, classes);
        var text = merged.Count == ProtocolNames.All.Count && merged.All(r => r.Low == 1 && r.High == 65535)
            ? "all ports"
            : string.Join(", ", merged.Select(r => r.ToString()));
        ranges.TryAdd(text, [.. merged]);
        return text;
    }

    private static List<PortRange> MergePorts(IEnumerable<int> classIndexes, List<PortRange> classes)
    {
        var merged = new List<PortRange>();
        foreach (var range in classIndexes.Select(i => classes[i]).OrderBy(r => r.Protocol).ThenBy(r => r.Low))
        {
            if (merged.Count > 0 && merged[^1].Protocol == range.Protocol && merged[^1].High + 1 == range.Low)
            {
                merged[^1] = merged[^1] with { High = range.High };
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    private static List<Line> Collapse(List<Line> lines, Namer namer, bool sources)
    {
        var result = new List<Line>();
        foreach (var group in lines.GroupBy(l => (l.Added, Other: string.Join("\n", (sources ? l.To : l.From).Select(n => n.Text)), l.Ports)))
        {
            var first = group.First();
            var side = group.SelectMany(l => sources ? l.From : l.To).DistinctBy(n => n.Text).ToList();
            var collapsed = new List<Named>();
            foreach (var byNamespace in side.GroupBy(n => n.Namespace))
            {
                var members = byNamespace.ToList();
                if (byNamespace.Key is { } ns && namer.PodsIn(ns).All(i => members.Any(m => m.Pod == i)))
                {
                    collapsed.Add(new Named($"{namer.NamespaceText(ns)}/*", ns, -1));
                }
                else
                {
                    collapsed.AddRange(members);
                }
            }

            result.Add(sources ? first with { From = collapsed } : first with { To = collapsed });
        }

        return result;
    }

    /// <summary>A pod witness (index into the world's endpoints) or an address atom.</summary>
    private readonly record struct End(int Pod, int Atom);

    /// <summary>A displayed end; <see cref="Namespace"/> and <see cref="Pod"/> are set for a single pod.</summary>
    private sealed record Named(string Text, string? Namespace, int Pod);

    private sealed record Line(bool Added, List<Named> From, List<Named> To, string Ports);

    private sealed class Namer(WitnessWorld world, IpAtoms atoms, List<CompiledIpBlock> blocks)
    {
        private readonly Dictionary<string, List<int>> podsByNamespace = world.Endpoints.Select((e, i) => (e.Namespace, i))
            .GroupBy(x => x.Namespace, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.i).ToList(), StringComparer.Ordinal);

        public List<int> PodsIn(string ns) => podsByNamespace[ns];

        public string NamespaceText(string ns)
        {
            if (ns == ElsewhereNamespace)
            {
                return "(other namespaces)";
            }

            if (ns.StartsWith("npgen-", StringComparison.Ordinal) && world.NamespaceLabels.TryGetValue(ns, out var labels))
            {
                return $"(namespaces {Labels.Format(labels.Where(l => l.Key != Namespace.NameLabel).ToDictionary())})";
            }

            return ns;
        }

        public Named Pod(int index)
        {
            var endpoint = world.Endpoints[index];
            var witness = world.Witnesses.First(w => ReferenceEquals(w.Pod, endpoint));
            var name = witness.Workload ? endpoint.Name
                : witness.App is { } app ? app.Name
                : endpoint.Name == OtherPod || endpoint.Labels.SequenceEqual(OtherLabels) ? "(other pods)"
                : $"{{{Labels.Format(endpoint.Labels)}}}";
            return new Named($"{NamespaceText(endpoint.Namespace)}/{name}", endpoint.Namespace, index);
        }

        /// <summary>
        /// A set of atoms as the ipBlock of either policy set that covers exactly them
        /// (<c>0.0.0.0/0 except 10.0.0.0/8</c>), else as CIDRs and ranges.
        /// </summary>
        public string Addresses(IEnumerable<int> atomIndexes)
        {
            var set = atomIndexes.ToHashSet();
            foreach (var block in blocks)
            {
                var covered = Enumerable.Range(0, atoms.Count).Where(a => { var (f, s) = atoms.Start(a); return block.Contains(f, s); }).ToHashSet();
                if (covered.SetEquals(set))
                {
                    return block.ToString();
                }
            }

            var parts = new List<string>();
            var sorted = set.Order().ToList();
            for (var i = 0; i < sorted.Count; i++)
            {
                var (family, start) = atoms.Start(sorted[i]);
                while (i + 1 < sorted.Count && sorted[i + 1] == sorted[i] + 1 && atoms.Start(sorted[i + 1]).Family == family)
                {
                    i++;
                }

                var end = sorted[i] + 1 < atoms.Count && atoms.Start(sorted[i] + 1) is var next && next.Family == family
                    ? next.Start - 1
                    : family == AddressFamily.InterNetwork ? (UInt128)uint.MaxValue : UInt128.MaxValue;
                parts.Add(RangeText(family, start, end));
            }

            return string.Join(", ", parts);
        }

        private static string RangeText(AddressFamily family, UInt128 start, UInt128 end)
        {
            var bits = family == AddressFamily.InterNetwork ? 32 : 128;
            for (var hostBits = bits; hostBits >= 0; hostBits--)
            {
                var mask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
                if ((start & mask) == 0 && start + mask == end)
                {
                    return new Cidr(family, start, bits - hostBits).ToString();
                }
            }

            return $"{Cidr.ToAddress(family, start)}-{Cidr.ToAddress(family, end)}";
        }
    }
}
