using System.Collections.Immutable;
using System.Net;
using PolicyGen.Evaluation;
using PolicyGen.Model;
using PolicyGen.Workloads;

namespace PolicyGen.Core.Tests.Oracle;

/// <summary>
/// S18 property tests: generated clusters (the fuzz preset's pods and NetworkPolicies) get random
/// AdminNetworkPolicies, BaselineAdminNetworkPolicies and ClusterNetworkPolicies of both tiers next to
/// their NetworkPolicies (equal priorities, Pass, named ports, ranges and networks included), and the
/// fast evaluator's matrix, point queries and explanations must agree with the naive oracle.
/// </summary>
public sealed class ClusterLayerOracleTests
{
    private const int Clusters = 120;
    private const int Batch = 20;

    public static TheoryData<int> Batches()
    {
        var data = new TheoryData<int>();
        for (var first = 1; first <= Clusters; first += Batch)
        {
            data.Add(first);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void S18_fast_layered_evaluator_equals_the_naive_oracle_on_fuzz_clusters_with_cluster_policies(int firstSeed)
    {
        for (var seed = firstSeed; seed < firstSeed + Batch; seed++)
        {
            var cluster = OraclePropertyTests.Load(WorkloadParameters.FromPreset("fuzz")!, (ulong)seed);
            var random = new Random(seed);
            cluster = cluster with { ClusterPolicies = [.. Enumerable.Range(0, random.Next(1, 6)).Select(i => RandomPolicy(cluster, random, i))] };
            Check(cluster, $"fuzz seed {seed}");
        }
    }

    [Fact]
    public void S18_the_generated_cluster_policies_reach_every_action_tier_and_port_form()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 1; seed <= Clusters; seed++)
        {
            var cluster = OraclePropertyTests.Load(WorkloadParameters.FromPreset("fuzz")!, (ulong)seed);
            var random = new Random(seed);
            var policies = Enumerable.Range(0, random.Next(1, 6)).Select(i => RandomPolicy(cluster, random, i)).ToList();
            foreach (var p in policies)
            {
                seen.Add($"{p.Kind} {p.Tier}");
                foreach (var rule in p.Ingress.Concat(p.Egress))
                {
                    seen.Add("action " + rule.ActionText);
                    seen.UnionWith(rule.Peers.Select(x => x.Networks is not null ? "networks" : x.Pods is not null ? "pods" : "namespaces"));
                    seen.UnionWith((rule.Ports ?? []).Select(x => x.Name is not null ? "named" : x.IsRange ? "range" : "number"));
                }
            }

            if (policies.GroupBy(p => (p.Tier, p.Priority)).Any(g => g.Count() > 1))
            {
                seen.Add("equal priorities");
            }
        }

        string[] expected =
        [
            "AdminNetworkPolicy Admin", "BaselineAdminNetworkPolicy Baseline", "ClusterNetworkPolicy Admin", "ClusterNetworkPolicy Baseline",
            "action Allow", "action Deny", "action Pass", "action Accept", "networks", "pods", "namespaces", "named", "range", "number", "equal priorities",
        ];
        Assert.Empty(expected.Except(seen));
    }

    private static void Check(Cluster cluster, string label)
    {
        var mismatches = new List<string>();
        foreach (var options in new[] { EvaluationOptions.Default, new EvaluationOptions { HostNetwork = HostNetworkMode.Pod } })
        {
            var oracle = new NaiveEvaluator(cluster, true, options.HostNetwork == HostNetworkMode.Node);
            var fast = PolicyEvaluator.Create(cluster, options);
            var probes = Probes(cluster);
            var matrix = ReachabilityMatrix.Compute(fast, probes);
            var ends = cluster.Endpoints.Select(e => fast.TryResolve(e.Id, out var end, out _) ? end! : throw new InvalidOperationException(e.Id)).ToList();
            IPAddress[] externals = [IPAddress.Parse("8.8.8.8"), IPAddress.Parse("10.1.0.200"), IPAddress.Parse("10.200.0.1"), IPAddress.Parse("fd00:1::ff")];
            for (var k = 0; k < probes.Count; k++)
            {
                var (port, protocol) = (probes[k].Port, probes[k].Protocol);
                for (var f = 0; f < ends.Count; f++)
                {
                    for (var t = 0; t < ends.Count; t++)
                    {
                        var expected = oracle.Evaluate(f, t, port, protocol);
                        var cell = matrix.Get(k, f, t);
                        var single = fast.IsAllowed(ends[f], ends[t], port, protocol);
                        var explained = fast.Evaluate(ends[f], ends[t], port, protocol);
                        if (cell.Allowed != expected.Allowed || cell.Ingress != expected.Ingress || cell.Egress != expected.Egress || single != expected.Allowed
                            || explained.Allowed != expected.Allowed || explained.Ingress.Allowed != expected.Ingress || explained.Egress.Allowed != expected.Egress)
                        {
                            mismatches.Add($"{label} {options.HostNetwork}: {ends[f]} -> {ends[t]} {port}/{protocol}: oracle {expected}, matrix {cell}, IsAllowed {single}, eval {explained.Allowed}: {explained.Egress.Reason} / {explained.Ingress.Reason}");
                        }
                    }

                    foreach (var address in externals)
                    {
                        var external = ConnectionEnd.External(address);
                        if (fast.IsAllowed(external, ends[f], port, protocol) != oracle.FromExternal(address, f, port, protocol)
                            || fast.Evaluate(external, ends[f], port, protocol).Allowed != oracle.FromExternal(address, f, port, protocol))
                        {
                            mismatches.Add($"{label}: {address} -> {ends[f]} {port}/{protocol}: oracle {oracle.FromExternal(address, f, port, protocol)}");
                        }

                        if (fast.IsAllowed(ends[f], external, port, protocol) != oracle.ToExternal(f, address, port, protocol)
                            || fast.Evaluate(ends[f], external, port, protocol).Allowed != oracle.ToExternal(f, address, port, protocol))
                        {
                            mismatches.Add($"{label}: {ends[f]} -> {address} {port}/{protocol}: oracle {oracle.ToExternal(f, address, port, protocol)}");
                        }
                    }
                }
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} cells differ:\n{string.Join("\n", mismatches.Take(20))}");
    }

    /// <summary>Every number a rule or a container port names, its neighbours, and a far port, for each protocol.</summary>
    private static List<PortProbe> Probes(Cluster cluster)
    {
        var numbers = new SortedSet<int> { 1, 80, 443, 9999 };
        foreach (var port in cluster.Endpoints.SelectMany(e => e.Ports))
        {
            numbers.Add(port.Port);
        }

        foreach (var entry in cluster.ClusterPolicies.SelectMany(p => p.Ingress.Concat(p.Egress)).SelectMany(r => r.Ports ?? []))
        {
            foreach (var n in new[] { entry.Start, entry.End }.OfType<int>())
            {
                numbers.UnionWith([n - 1, n, n + 1]);
            }
        }

        return [.. numbers.Where(n => n is >= 1 and <= 65535).Take(24).SelectMany(n => new[] { Protocol.TCP, Protocol.UDP, Protocol.SCTP }.Select(p => new PortProbe(n, p)))];
    }

    private static ClusterPolicy RandomPolicy(Cluster cluster, Random random, int index)
    {
        var kind = (ClusterPolicyKind)random.Next(3);
        var tier = kind switch
        {
            ClusterPolicyKind.AdminNetworkPolicy => ClusterPolicyTier.Admin,
            ClusterPolicyKind.BaselineAdminNetworkPolicy => ClusterPolicyTier.Baseline,
            _ => random.Next(2) == 0 ? ClusterPolicyTier.Admin : ClusterPolicyTier.Baseline,
        };
        ClusterPolicyRule Rule(bool egress)
        {
            string[] actions = kind switch
            {
                ClusterPolicyKind.AdminNetworkPolicy => ["Allow", "Deny", "Pass"],
                ClusterPolicyKind.BaselineAdminNetworkPolicy => ["Allow", "Deny"],
                _ => ["Accept", "Deny", "Pass"],
            };
            return new ClusterPolicyRule
            {
                ActionText = actions[random.Next(actions.Length)],
                Peers = [.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => Peer(cluster, random, egress))],
                Ports = random.Next(3) == 0 ? null : [.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => Port(cluster, random))],
            };
        }

        return new ClusterPolicy
        {
            Kind = kind,
            ApiVersion = kind == ClusterPolicyKind.ClusterNetworkPolicy ? "policy.networking.k8s.io/v1alpha2" : "policy.networking.k8s.io/v1alpha1",
            Name = kind == ClusterPolicyKind.BaselineAdminNetworkPolicy ? "default" : $"p{index}",
            TierText = kind == ClusterPolicyKind.ClusterNetworkPolicy ? tier.ToString() : null,
            Priority = kind == ClusterPolicyKind.BaselineAdminNetworkPolicy ? null : random.Next(3),
            Subject = Peer(cluster, random, egress: false),
            Ingress = [.. Enumerable.Range(0, random.Next(3)).Select(_ => Rule(false))],
            Egress = [.. Enumerable.Range(0, random.Next(3)).Select(_ => Rule(true))],
        };
    }

    private static ClusterPolicyPeer Peer(Cluster cluster, Random random, bool egress)
    {
        switch (random.Next(egress ? 4 : 3))
        {
            case 0:
                return new ClusterPolicyPeer { Namespaces = NamespaceSelector(cluster, random), FieldCount = 1 };
            case 1 or 2:
                return new ClusterPolicyPeer { Pods = new NamespacedPods(NamespaceSelector(cluster, random), PodSelector(cluster, random)), FieldCount = 1 };
            default:
                var pod = cluster.Endpoints.Where(e => !e.Addresses.IsEmpty).ToList() is { Count: > 0 } withIp ? withIp[random.Next(withIp.Count)] : null;
                string[] options = pod is null ? ["10.0.0.0/8"] : [$"{pod.Addresses[0]}/{(pod.Addresses[0].AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)}", "10.0.0.0/8", "10.1.0.0/16", "fd00::/8"];
                return new ClusterPolicyPeer { Networks = [options[random.Next(options.Length)]], FieldCount = 1 };
        }
    }

    private static LabelSelector NamespaceSelector(Cluster cluster, Random random)
    {
        if (random.Next(3) == 0 || cluster.Namespaces.IsEmpty)
        {
            return LabelSelector.Everything;
        }

        var ns = cluster.Namespaces[random.Next(cluster.Namespaces.Length)];
        return new LabelSelector { MatchLabels = Labels.Of([new KeyValuePair<string, string>(Namespace.NameLabel, ns.Name)]) };
    }

    private static LabelSelector PodSelector(Cluster cluster, Random random)
    {
        var labelled = cluster.Endpoints.Where(e => e.Labels.Count > 0).ToList();
        if (random.Next(3) == 0 || labelled.Count == 0)
        {
            return LabelSelector.Everything;
        }

        var pod = labelled[random.Next(labelled.Count)];
        var label = pod.Labels.ElementAt(random.Next(pod.Labels.Count));
        return new LabelSelector { MatchLabels = Labels.Of([label]) };
    }

    private static ClusterPolicyPort Port(Cluster cluster, Random random)
    {
        string[] protocols = ["TCP", "UDP", "SCTP"];
        switch (random.Next(3))
        {
            case 0:
                var names = cluster.Endpoints.SelectMany(e => e.Ports).Select(p => p.Name).OfType<string>().Distinct().ToList();
                return names.Count == 0 ? new ClusterPolicyPort { Protocol = "TCP", Start = 80, End = 80, FieldCount = 1 } : new ClusterPolicyPort { Name = names[random.Next(names.Count)], FieldCount = 1 };
            case 1:
                var start = random.Next(1, 200);
                return new ClusterPolicyPort { Protocol = protocols[random.Next(3)], Start = start, End = start + random.Next(1, 500), IsRange = true, FieldCount = 1 };
            default:
                var ports = cluster.Endpoints.SelectMany(e => e.Ports).Select(p => p.Port).DefaultIfEmpty(80).ToList();
                var number = ports[random.Next(ports.Count)];
                return new ClusterPolicyPort { Protocol = random.Next(4) == 0 ? null : protocols[random.Next(3)], Start = number, End = number, FieldCount = 1 };
        }
    }
}
