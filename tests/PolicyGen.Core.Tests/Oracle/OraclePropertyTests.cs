using System.Net;
using PolicyGen.Evaluation;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Validation;
using PolicyGen.Workloads;

namespace PolicyGen.Core.Tests.Oracle;

/// <summary>
/// Property tests: on hundreds of generated clusters (the fuzz preset uses every corner of the
/// semantics; small S, unique-labels, port-soup and wide-selectors clusters add realistic shapes),
/// the fast evaluator must give bit-identical answers to the naive oracle for every ordered pair,
/// every port class and every option mode, for the bulk matrix and for point queries, pods and
/// external addresses alike; and the canonical digests must agree.
/// </summary>
public sealed class OraclePropertyTests
{
    private const int FuzzClusters = 400;
    private const int Batch = 25;

    private static readonly EvaluationOptions[] Modes =
    [
        EvaluationOptions.Default,
        new() { SelfTraffic = SelfTrafficMode.Evaluate },
        new() { HostNetwork = HostNetworkMode.Pod },
        new() { SelfTraffic = SelfTrafficMode.Evaluate, HostNetwork = HostNetworkMode.Pod },
    ];

    public static TheoryData<int> FuzzBatches()
    {
        var data = new TheoryData<int>();
        for (var first = 1; first <= FuzzClusters; first += Batch)
        {
            data.Add(first);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FuzzBatches))]
    public void S8_fast_evaluator_equals_the_naive_oracle_on_fuzz_clusters(int firstSeed)
    {
        for (var seed = firstSeed; seed < firstSeed + Batch; seed++)
        {
            Check(Load(WorkloadParameters.FromPreset("fuzz")!, (ulong)seed), $"fuzz seed {seed}");
        }
    }

    [Theory]
    [InlineData("S", 1)]
    [InlineData("S", 2)]
    [InlineData("S", 3)]
    [InlineData("unique-labels", 1)]
    [InlineData("port-soup", 1)]
    [InlineData("wide-selectors", 1)]
    [InlineData("real", 1)]
    public void S8_fast_evaluator_equals_the_naive_oracle_on_small_realistic_clusters(string preset, int seed)
    {
        // Shrunk to about 100 pods so every pair on every port class stays cheap for the oracle
        // (port-soup to fewer policies: each brings a dozen port classes).
        var parameters = WorkloadParameters.FromPreset(preset)! with { Namespaces = 8, Pods = 100, Policies = preset == "port-soup" ? 12 : 40 };
        Check(Load(parameters, (ulong)seed), $"{preset} seed {seed}");
    }

    [Fact]
    public void The_fuzz_preset_really_reaches_the_corners_it_is_meant_to_cover()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 1; seed <= FuzzClusters; seed++)
        {
            var cluster = Load(WorkloadParameters.FromPreset("fuzz")!, (ulong)seed);
            foreach (var e in cluster.Endpoints)
            {
                if (e.HostNetwork) seen.Add("hostNetwork");
                if (e.Addresses.IsEmpty && e.Kind == "Pod") seen.Add("pod without IP");
                if (e.Addresses.Length == 2) seen.Add("dual stack");
                if (e.Kind != "Pod") seen.Add("workload");
                if (e.Ports.Any(p => p.Protocol == Protocol.SCTP)) seen.Add("SCTP container port");
            }

            foreach (var p in cluster.Policies)
            {
                seen.Add(p.PolicyTypes is null ? "policyTypes absent" : p.PolicyTypes.Value.IsEmpty ? "policyTypes []" : "policyTypes " + string.Join("+", p.PolicyTypes.Value));
                if (p.PolicyTypes is null && p.Ingress.IsEmpty && !p.Egress.IsEmpty) seen.Add("egress-only without policyTypes (S3.3)");
                foreach (var rule in p.Ingress.Concat(p.Egress))
                {
                    if (rule.Peers.IsEmpty && rule.Ports.IsEmpty) seen.Add("empty rule");
                    foreach (var peer in rule.Peers)
                    {
                        if (peer.IpBlock is { Except.IsEmpty: false }) seen.Add("ipBlock with except");
                        if (peer.IpBlock?.Cidr.Contains(':', StringComparison.Ordinal) == true) seen.Add("IPv6 ipBlock");
                        if (peer.PodSelector is not null && peer.NamespaceSelector is not null) seen.Add("pod and namespace selector in one peer");
                        if (peer.PodSelector?.MatchExpressions.Any(x => x.Operator == "NotIn") == true) seen.Add("NotIn");
                        if (peer.NamespaceSelector?.MatchExpressions.Any(x => x.Operator == "DoesNotExist") == true) seen.Add("namespace DoesNotExist");
                    }

                    foreach (var port in rule.Ports)
                    {
                        if (port.Port?.Name is not null) seen.Add("named port");
                        if (port.Port is null) seen.Add("protocol-only port");
                        if (port.EndPort is not null) seen.Add("endPort");
                        if (port.Protocol == "SCTP") seen.Add("SCTP rule");
                    }
                }
            }

            if (cluster.Policies.Any(p => !cluster.Endpoints.Any(e => e.Namespace == p.Namespace))) seen.Add("policy in a namespace without pods");
        }

        string[] expected =
        [
            "hostNetwork", "pod without IP", "dual stack", "workload", "SCTP container port", "policyTypes absent", "policyTypes []",
            "policyTypes Ingress", "policyTypes Egress", "policyTypes Ingress+Egress", "egress-only without policyTypes (S3.3)",
            "empty rule", "ipBlock with except", "IPv6 ipBlock", "pod and namespace selector in one peer", "NotIn",
            "namespace DoesNotExist", "named port", "protocol-only port", "endPort", "SCTP rule", "policy in a namespace without pods",
        ];
        Assert.Empty(expected.Except(seen));
    }

    /// <summary>Generates, writes the manifests as YAML and reads them back like any user input; they must load and validate cleanly.</summary>
    internal static Cluster Load(WorkloadParameters parameters, ulong seed)
    {
        var workload = WorkloadGenerator.Generate(parameters, seed);
        var yaml = new StringWriter();
        foreach (var ns in workload.Cluster.Namespaces)
        {
            ManifestWriter.WriteNamespace(yaml, ns);
        }

        foreach (var endpoint in workload.Cluster.Endpoints)
        {
            ManifestWriter.WriteEndpoint(yaml, endpoint);
        }

        foreach (var policy in workload.Cluster.Policies)
        {
            ManifestWriter.WritePolicy(yaml, policy);
        }

        var loaded = ManifestLoader.LoadText("generated.yaml", yaml.ToString());
        Assert.True(loaded.Diagnostics.IsEmpty, string.Join("\n", loaded.Diagnostics));
        var problems = loaded.Cluster.Policies.SelectMany(p => PolicyValidator.Validate(p).Select(x => x.Format(p))).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(workload.Cluster.Endpoints.Length, loaded.Cluster.Endpoints.Length);
        Assert.Equal(workload.Cluster.Policies.Length, loaded.Cluster.Policies.Length);
        return loaded.Cluster;
    }

    internal static void Check(Cluster cluster, string label)
    {
        var mismatches = new List<string>();
        var externals = ExternalAddresses(cluster);
        foreach (var options in Modes)
        {
            var mode = $"{label}, self-traffic {options.SelfTraffic}, host-network {options.HostNetwork}";
            var oracle = new NaiveEvaluator(cluster, options.SelfTraffic == SelfTrafficMode.Allow, options.HostNetwork == HostNetworkMode.Node);
            var fast = PolicyEvaluator.Create(cluster, options);
            var probes = oracle.CanonicalProbes();
            Assert.Equal(probes, WorkloadStatistics.CanonicalProbes(cluster).Select(p => (p.Port, p.Protocol)));
            var portProbes = probes.Select(p => new PortProbe(p.Port, p.Protocol)).ToList();
            var matrix = ReachabilityMatrix.Compute(fast, portProbes);
            var ends = cluster.Endpoints.Select(e => fast.TryResolve(e.Id, out var end, out _) ? end! : throw new InvalidOperationException(e.Id)).ToList();
            for (var k = 0; k < probes.Count; k++)
            {
                var (port, protocol) = probes[k];
                for (var f = 0; f < ends.Count; f++)
                {
                    for (var t = 0; t < ends.Count; t++)
                    {
                        var expected = oracle.Evaluate(f, t, port, protocol);
                        var cell = matrix.Get(k, f, t);
                        var single = fast.IsAllowed(ends[f], ends[t], port, protocol);
                        if (cell.Allowed != expected.Allowed || cell.Ingress != expected.Ingress || cell.Egress != expected.Egress || single != expected.Allowed)
                        {
                            mismatches.Add($"{mode}: {ends[f]} -> {ends[t]} {port}/{protocol}: oracle {expected}, matrix {cell}, IsAllowed {single}");
                        }
                    }

                    foreach (var address in externals)
                    {
                        var external = ConnectionEnd.External(address);
                        if (fast.IsAllowed(external, ends[f], port, protocol) != oracle.FromExternal(address, f, port, protocol))
                        {
                            mismatches.Add($"{mode}: {address} -> {ends[f]} {port}/{protocol}: oracle {oracle.FromExternal(address, f, port, protocol)}");
                        }

                        if (fast.IsAllowed(ends[f], external, port, protocol) != oracle.ToExternal(f, address, port, protocol))
                        {
                            mismatches.Add($"{mode}: {ends[f]} -> {address} {port}/{protocol}: oracle {oracle.ToExternal(f, address, port, protocol)}");
                        }
                    }
                }
            }

            Assert.True(mismatches.Count == 0, $"{mismatches.Count} cells differ:\n{string.Join("\n", mismatches.Take(30))}");
            Assert.Equal(WorkloadStatistics.ExpectedIdentities(cluster, options), fast.IdentityCount);
            if (options == EvaluationOptions.Default)
            {
                Assert.Equal(oracle.Digest(), ReachabilityDigest.Sha256(fast, portProbes));
            }
        }
    }

    /// <summary>Addresses around every ipBlock boundary (inside and just outside), plus a few fixed ones.</summary>
    private static List<IPAddress> ExternalAddresses(Cluster cluster)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal) { "8.8.8.8", "10.1.0.200", "192.168.1.3", "fd00:1::ff", "2001:db8::1" };
        foreach (var block in cluster.Policies.SelectMany(p => p.Ingress.Concat(p.Egress)).SelectMany(r => r.Peers).Select(p => p.IpBlock).OfType<IpBlock>())
        {
            foreach (var text in block.Except.Prepend(block.Cidr))
            {
                if (Cidr.TryParse(text, out var cidr, out _))
                {
                    var max = cidr.Family == System.Net.Sockets.AddressFamily.InterNetwork ? (UInt128)uint.MaxValue : UInt128.MaxValue;
                    foreach (var value in new[] { cidr.Network, cidr.Last, cidr.Network - 1, cidr.Last + 1 })
                    {
                        if (value <= max)
                        {
                            result.Add(Cidr.ToAddress(cidr.Family, value).ToString());
                        }
                    }
                }
            }
        }

        return [.. result.Select(IPAddress.Parse)];
    }
}
