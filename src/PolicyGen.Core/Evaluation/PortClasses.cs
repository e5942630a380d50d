using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// The port space of each protocol cut into classes that every rule treats alike: cuts at 1, at
/// every numeric entry's port and endPort + 1, and at every number (and number + 1) that a named
/// entry resolves to on some identity (S7). Only effective rules count (S3). Testing one port of a
/// class, its first, answers for the whole class, for every pair.
/// </summary>
internal sealed class PortClasses
{
    private readonly int[][] cuts; // per protocol, ascending, starting with 1
    private readonly int[] offset; // class index of each protocol's first class

    private PortClasses(int[][] cuts)
    {
        this.cuts = cuts;
        offset = new int[cuts.Length];
        for (var p = 1; p < cuts.Length; p++)
        {
            offset[p] = offset[p - 1] + cuts[p - 1].Length;
        }

        Count = offset[^1] + cuts[^1].Length;
    }

    public int Count { get; }

    public static PortClasses Of(PolicyEvaluator evaluator)
    {
        var sets = ProtocolNames.All.Select(_ => new SortedSet<int> { 1 }).ToArray();
        var names = new HashSet<(string, Protocol)>();
        var matchers = evaluator.Policies.SelectMany(p => p.Rules(PolicyDirection.Ingress).Concat(p.Rules(PolicyDirection.Egress))).Select(r => r.Ports)
            .Concat(evaluator.Layers.AllRules.Select(r => r.Ports)); // S18: cluster policy ports cut classes too
        foreach (var ports in matchers)
        {
            foreach (var (protocol, low, high) in ports.Ranges)
            {
                Cut(sets[(int)protocol], low);
                Cut(sets[(int)protocol], high + 1);
            }

            foreach (var (protocol, name) in ports.Names)
            {
                names.Add((name, protocol));
            }
        }

        foreach (var identity in evaluator.Identities)
        {
            foreach (var ((name, protocol), numbers) in identity.NamedPorts)
            {
                if (names.Contains((name, protocol)))
                {
                    foreach (var number in numbers)
                    {
                        Cut(sets[(int)protocol], number);
                        Cut(sets[(int)protocol], number + 1);
                    }
                }
            }
        }

        return new PortClasses([.. sets.Select(s => s.ToArray())]);

        static void Cut(SortedSet<int> set, int port)
        {
            if (port is >= 1 and <= 65535)
            {
                set.Add(port);
            }
        }
    }

    public int ClassOf(Protocol protocol, int port)
    {
        var list = cuts[(int)protocol];
        var index = Array.BinarySearch(list, port);
        return offset[(int)protocol] + (index >= 0 ? index : Math.Max(0, ~index - 1));
    }

    /// <summary>The first port of a class.</summary>
    public PortProbe Representative(int cls)
    {
        var p = Array.FindLastIndex(offset, o => o <= cls);
        return new PortProbe(cuts[p][cls - offset[p]], (Protocol)p);
    }

    /// <summary>Every class, by its first port: TCP, UDP, SCTP, each ascending.</summary>
    public IReadOnlyList<PortProbe> Representatives() => [.. Enumerable.Range(0, Count).Select(Representative)];
}
