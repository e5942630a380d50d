using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using PolicyGen.Model;

namespace PolicyGen.Workloads;

/// <summary>
/// The seeded synthetic workload generator behind <c>npgen bench gen</c> (docs: performance goals,
/// "Synthetic workload generator"). It builds a topology (namespaces with team and env labels,
/// apps per namespace following a Zipf law, geometric replicas, tiers web/api/db/worker, named
/// ports whose numbers differ between apps, noise labels no selector uses), a call graph, and a
/// policy mix in the k8s-netpol-scale vocabulary: default denies and other empty policies (26 %),
/// same-namespace allows from an upstream tier, cross-namespace allows by team, a monitoring
/// namespace on the metrics port everywhere, DNS egress, CIDR egress with except, matchExpressions
/// and port ranges. Every draw comes from <see cref="WorkloadRandom"/>, and everything is emitted
/// in sorted order, so the same parameters and seed give the same bytes.
/// </summary>
public static partial class WorkloadGenerator
{
    public const string KubeSystem = "kube-system";
    public const string Monitoring = "monitoring";
    public const string IngressNginx = "ingress-nginx";

    /// <summary>The private ranges that "public internet" egress excepts.</summary>
    public static readonly ImmutableArray<string> PrivateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

    private static readonly string[] Tiers = ["web", "api", "db", "worker"];
    private static readonly double[] TierWeights = Cumulative([0.25, 0.30, 0.15, 0.30]);
    private static readonly string[] Envs = ["prod", "staging", "dev"];
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static Workload Generate(WorkloadParameters parameters, ulong seed)
    {
        if (parameters.Check() is { } problem)
        {
            throw new ArgumentException(problem, nameof(parameters));
        }

        return parameters.Profile == WorkloadProfile.Fuzz ? GenerateFuzz(parameters, seed) : new Builder(parameters, seed).Build();
    }

    private static double[] Cumulative(double[] weights)
    {
        var result = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            result[i] = sum;
        }

        return result;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string RandomName(WorkloadRandom random, int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = NameAlphabet[random.Next(NameAlphabet.Length)];
        }

        return new string(chars);
    }

    private static LabelSelector Match(params (string Key, string Value)[] labels) => new() { MatchLabels = Labels.Of(labels) };

    private static LabelSelector NamespaceNamed(string name) => Match((Namespace.NameLabel, name));

    private static LabelSelectorRequirement Requirement(string key, string op, params string[] values) => new(key, op, [.. values]);

    private static PolicyPort NumberPort(int port, Protocol? protocol = null, int? endPort = null)
        => new() { Port = IntOrString.FromNumber(port), Protocol = protocol?.Name(), EndPort = endPort };

    private static PolicyPort NamedPort(string name, Protocol? protocol = null)
        => new() { Port = IntOrString.FromName(name), Protocol = protocol?.Name() };

    private static IPAddress Ipv4(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    private static string Ipv4Cidr(uint network, int prefix) => $"{Ipv4(network)}/{Text(prefix)}";

    /// <summary>The state of one generation run of the realistic profiles.</summary>
    private sealed partial class Builder(WorkloadParameters p, ulong seed)
    {
        private readonly List<WorkloadNamespace> namespaces = [];
        private readonly List<WorkloadApp> apps = [];
        private readonly List<int> appNamespace = [];
        private readonly List<WorkloadCall> calls = [];
        private readonly List<Endpoint> endpoints = [];
        private readonly List<NetworkPolicy> policies = [];
        private readonly SortedDictionary<string, int> kinds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (uint Network, int Prefix)> namespaceBlocks = new(StringComparer.Ordinal);
        private readonly HashSet<string> policyIds = new(StringComparer.Ordinal);
        private List<int>[] appsByNamespace = [];
        private int podSerial;

        public Workload Build()
        {
            var root = new WorkloadRandom(seed);
            var topology = root.Fork(1);
            var pods = root.Fork(2);
            var policyRandom = root.Fork(3);

            BuildNamespaces(topology);
            BuildApps(topology);
            BuildCalls(topology);
            BuildEndpoints(pods);
            BuildPolicies(policyRandom);

            var cluster = new Cluster
            {
                Namespaces = [.. namespaces.Select(n => new Namespace(n.Name, n.Labels, null)).OrderBy(n => n.Name, StringComparer.Ordinal)],
                Endpoints = [.. endpoints.OrderBy(e => e.Namespace, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal)],
                Policies = [.. policies.OrderBy(x => x.Namespace, StringComparer.Ordinal).ThenBy(x => x.Name, StringComparer.Ordinal)],
            };
            return new Workload
            {
                Parameters = p,
                Seed = seed,
                Cluster = cluster,
                Namespaces = [.. namespaces],
                Apps = [.. apps],
                Calls = [.. calls],
                PolicyKinds = kinds.ToImmutableSortedDictionary(StringComparer.Ordinal),
            };
        }

        private int AppNamespaceCount => p.Namespaces - 3;

        private void BuildNamespaces(WorkloadRandom random)
        {
            namespaces.Add(new WorkloadNamespace(KubeSystem, Labels.Of((Namespace.NameLabel, KubeSystem)), true, false));
            namespaces.Add(new WorkloadNamespace(Monitoring, Labels.Of((Namespace.NameLabel, Monitoring), ("purpose", "monitoring")), true, false));
            namespaces.Add(new WorkloadNamespace(IngressNginx, Labels.Of((Namespace.NameLabel, IngressNginx)), true, false));
            var teams = p.Teams > 0 ? p.Teams : Math.Max(1, AppNamespaceCount / 10);
            // Default denies are empty policies, so there are never more of them than the empty share allows.
            var denyCount = Math.Min((int)Math.Round(AppNamespaceCount * p.DefaultDenyShare), (int)Math.Round(p.Policies * p.EmptyShare));
            var deny = new bool[AppNamespaceCount];
            var order = Enumerable.Range(0, AppNamespaceCount).ToList();
            random.Shuffle(order);
            foreach (var i in order.Take(denyCount))
            {
                deny[i] = true;
            }

            var width = Math.Max(3, Text(AppNamespaceCount).Length);
            for (var i = 0; i < AppNamespaceCount; i++)
            {
                var name = "ns-" + i.ToString("D" + Text(width), CultureInfo.InvariantCulture);
                var labels = new List<(string, string)>
                {
                    (Namespace.NameLabel, name),
                    ("team", "team-" + Text(random.Next(teams))),
                    ("env", random.Pick(Envs)),
                };
                if (random.Chance(0.3))
                {
                    labels.Add(("istio-injection", "enabled")); // a namespace label no selector reads
                }

                namespaces.Add(new WorkloadNamespace(name, Labels.Of([.. labels]), false, deny[i]));
            }
        }

        /// <summary>Nodes, each running one hostNetwork node-agent pod: one per 100 pods.</summary>
        private int NodeCount => Math.Clamp((p.Apps > 0 ? (int)(p.Apps * p.MeanReplicas) : p.Pods) / 100, 1, 2_000);

        private int SystemPodCount => 2 + NodeCount + 1 + 2;

        private void BuildApps(WorkloadRandom random)
        {
            // Replicas first (before the scale), so the pod total is exact when apps is not fixed.
            var replicas = new List<int>();
            if (p.Apps > 0)
            {
                for (var i = 0; i < p.Apps; i++)
                {
                    replicas.Add(random.Geometric(p.MeanReplicas, 50));
                }
            }
            else
            {
                var target = Math.Max(1, p.Pods - SystemPodCount);
                var sum = 0;
                while (sum < target)
                {
                    var r = Math.Min(random.Geometric(p.MeanReplicas, 50), target - sum);
                    replicas.Add(r);
                    sum += r;
                }
            }

            var perNamespace = ZipfCounts(replicas.Count, AppNamespaceCount, random);
            appsByNamespace = [.. Enumerable.Range(0, p.Namespaces).Select(_ => new List<int>())];

            AddSystemApps();
            var next = 0;
            for (var n = 0; n < AppNamespaceCount; n++)
            {
                var ns = namespaces[n + 3].Name;
                var tierCounters = new int[Tiers.Length];
                for (var k = 0; k < perNamespace[n]; k++)
                {
                    // The first two apps of a namespace are a web front and its API, so calls have somewhere to go.
                    var tier = k == 0 ? 0 : k == 1 ? 1 : random.PickWeighted(TierWeights);
                    var name = $"{Tiers[tier]}-{Text(tierCounters[tier]++)}";
                    var kind = random.Chance(tier == 2 ? Math.Min(0.9, p.StatefulSetShare * 5) : p.StatefulSetShare) ? "StatefulSet"
                        : random.Chance(p.DaemonSetShare) ? "DaemonSet" : "Deployment";
                    var labels = new List<(string, string)>
                    {
                        ("app", name),
                        ("tier", Tiers[tier]),
                        ("version", "v" + Text(random.Between(1, 3))),
                    };
                    if (random.Chance(0.05))
                    {
                        labels.Add(("canary", "true"));
                    }

                    AddApp(new WorkloadApp(name, ns, Tiers[tier], kind, replicas[next++] * p.ReplicaScale, Labels.Of([.. labels]),
                        Ports(Tiers[tier], random), false, false), n + 3);
                }
            }
        }

        private void AddApp(WorkloadApp app, int namespaceIndex)
        {
            appsByNamespace[namespaceIndex].Add(apps.Count);
            appNamespace.Add(namespaceIndex);
            apps.Add(app);
        }

        private void AddSystemApps()
        {
            AddApp(new WorkloadApp("coredns", KubeSystem, "dns", "Deployment", 2, Labels.Of(("k8s-app", "kube-dns")),
                [new ContainerPort("dns", 53, Protocol.UDP), new ContainerPort("dns-tcp", 53, Protocol.TCP), new ContainerPort("metrics", 9153, Protocol.TCP)],
                false, true), 0);
            AddApp(new WorkloadApp("node-agent", KubeSystem, "node", "DaemonSet", NodeCount, Labels.Of(("app", "node-agent")),
                [new ContainerPort("metrics", 9100, Protocol.TCP)], true, true), 0);
            AddApp(new WorkloadApp("prometheus", Monitoring, "monitoring", "StatefulSet", 1, Labels.Of(("app.kubernetes.io/name", "prometheus")),
                [new ContainerPort("web", 9090, Protocol.TCP)], false, true), 1);
            AddApp(new WorkloadApp("controller", IngressNginx, "ingress", "Deployment", 2, Labels.Of(("app.kubernetes.io/name", "ingress-nginx")),
                [new ContainerPort("http", 80, Protocol.TCP), new ContainerPort("https", 443, Protocol.TCP)], false, true), 2);
        }

        /// <summary>Apps per namespace: one each while they last, the rest by a Zipf law over a shuffled namespace order.</summary>
        private int[] ZipfCounts(int appCount, int namespaceCount, WorkloadRandom random)
        {
            var counts = new int[namespaceCount];
            var order = Enumerable.Range(0, namespaceCount).ToList();
            random.Shuffle(order);
            var baseline = Math.Min(appCount, namespaceCount);
            for (var i = 0; i < baseline; i++)
            {
                counts[order[i]] = 1;
            }

            var extra = appCount - baseline;
            if (extra == 0)
            {
                return counts;
            }

            var weights = new double[namespaceCount];
            var total = 0.0;
            for (var k = 0; k < namespaceCount; k++)
            {
                weights[k] = DeterministicMath.Pow(k + 1, -p.Zipf);
                total += weights[k];
            }

            // Largest remainder: floor of each quota, then one more for the largest fractions (ties by rank).
            var assigned = 0;
            var fractions = new (double Fraction, int Rank)[namespaceCount];
            for (var k = 0; k < namespaceCount; k++)
            {
                var quota = extra * weights[k] / total;
                var whole = (int)Math.Floor(quota);
                counts[order[k]] += whole;
                assigned += whole;
                fractions[k] = (quota - whole, k);
            }

            Array.Sort(fractions, (a, b) => a.Fraction != b.Fraction ? b.Fraction.CompareTo(a.Fraction) : a.Rank.CompareTo(b.Rank));
            for (var i = 0; i < extra - assigned; i++)
            {
                counts[order[fractions[i].Rank]]++;
            }

            return counts;
        }

        private ImmutableArray<ContainerPort> Ports(string tier, WorkloadRandom random)
        {
            var ports = ImmutableArray.CreateBuilder<ContainerPort>();
            string? Name(string name) => random.Chance(p.NamedPortShare) ? name : null;
            switch (tier)
            {
                case "web":
                    ports.Add(new ContainerPort(Name("http"), random.Pick([8080, 80, 3000, 8000]), Protocol.TCP));
                    break;
                case "api":
                    ports.Add(new ContainerPort(Name("http"), random.Pick([8080, 8000, 9000, 5000]), Protocol.TCP));
                    if (random.Chance(0.4))
                    {
                        ports.Add(new ContainerPort(Name("grpc"), random.Pick([50051, 9090, 8443]), Protocol.TCP));
                    }

                    break;
                case "db":
                    ports.Add(new ContainerPort(Name("db"), random.Pick([5432, 3306, 6379, 27017]), Protocol.TCP));
                    break;
            }

            if (random.Chance(tier == "worker" ? 0.6 : 0.5))
            {
                // The same name means different numbers on different apps (S7.4: resolved per destination).
                var number = random.Pick([9090, 9100, 8081, 9102]);
                if (!ports.Any(x => x.Port == number))
                {
                    ports.Add(new ContainerPort(Name("metrics"), number, Protocol.TCP));
                }
            }

            return ports.ToImmutable();
        }

        private void BuildCalls(WorkloadRandom random)
        {
            var byTeam = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var n = 3; n < namespaces.Count; n++)
            {
                var team = namespaces[n].Labels["team"];
                if (!byTeam.TryGetValue(team, out var list))
                {
                    byTeam[team] = list = [];
                }

                list.Add(n);
            }

            for (var a = 0; a < apps.Count; a++)
            {
                var app = apps[a];
                if (app.System)
                {
                    continue;
                }

                var local = appsByNamespace[appNamespace[a]];
                List<int> Tier(string tier) => [.. local.Where(i => apps[i].Tier == tier && i != a && !apps[i].Ports.IsEmpty)];
                var targets = app.Tier switch
                {
                    "web" => Tier("api"),
                    "api" => random.Chance(0.5) ? Tier("db") : [.. Tier("db"), .. Tier("api")],
                    "worker" => [.. Tier("db"), .. Tier("api")],
                    _ => [],
                };
                var wanted = Math.Min(targets.Count, random.Between(1, 2));
                var chosen = new SortedSet<int>();
                while (chosen.Count < wanted)
                {
                    chosen.Add(random.Pick(targets));
                }

                if (app.Tier is "web" or "api" && random.Chance(0.15))
                {
                    // A call into another namespace of the same team.
                    var sameTeam = byTeam[namespaces[appNamespace[a]].Labels["team"]];
                    var other = random.Pick(sameTeam);
                    var servers = appsByNamespace[other].Where(i => apps[i].Tier == "api" && !apps[i].Ports.IsEmpty).ToList();
                    if (other != appNamespace[a] && servers.Count > 0)
                    {
                        chosen.Add(random.Pick(servers));
                    }
                }

                calls.AddRange(chosen.Select(server => new WorkloadCall(a, server)));
            }
        }

        private void BuildEndpoints(WorkloadRandom random)
        {
            // Pod IPs: each namespace gets an aligned power-of-two block of 10.0.0.0/8 (namespaces in name
            // order), so a CIDR can name exactly the pods of a namespace and never splits an app.
            var podsPerNamespace = new int[namespaces.Count];
            for (var a = 0; a < apps.Count; a++)
            {
                if (!apps[a].HostNetwork)
                {
                    podsPerNamespace[appNamespace[a]] += apps[a].Replicas;
                }
            }

            var cursor = 0x0A000000u;
            foreach (var n in Enumerable.Range(0, namespaces.Count).OrderBy(i => namespaces[i].Name, StringComparer.Ordinal))
            {
                var size = (uint)Math.Max(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)podsPerNamespace[n]));
                cursor = (cursor + size - 1) & ~(size - 1);
                namespaceBlocks[namespaces[n].Name] = (cursor, 32 - System.Numerics.BitOperations.Log2(size));
                cursor += size;
            }

            var nextIp = namespaceBlocks.ToDictionary(b => b.Key, b => b.Value.Network + 1, StringComparer.Ordinal);
            var objects = p.Objects;
            for (var a = 0; a < apps.Count; a++)
            {
                var app = apps[a];
                var appRandom = random.Fork((ulong)a); // one draw per app: the replica scale does not shift other apps
                var hash = RandomName(appRandom, 10);
                if (objects == "workloads")
                {
                    endpoints.Add(new Endpoint
                    {
                        Namespace = app.Namespace,
                        Name = app.Name,
                        Kind = app.Kind,
                        Labels = app.Labels,
                        Ports = app.Ports,
                        HostNetwork = app.HostNetwork,
                    });
                    continue;
                }

                var names = new HashSet<string>(StringComparer.Ordinal);
                for (var r = 0; r < app.Replicas; r++)
                {
                    string name;
                    var labels = app.Labels.ToBuilder();
                    switch (app.Kind)
                    {
                        case "StatefulSet":
                            name = $"{app.Name}-{Text(r)}";
                            labels["controller-revision-hash"] = $"{app.Name}-{hash}";
                            labels["statefulset.kubernetes.io/pod-name"] = name;
                            break;
                        case "DaemonSet":
                            do
                            {
                                name = $"{app.Name}-{RandomName(appRandom, 5)}";
                            }
                            while (!names.Add(name));
                            labels["controller-revision-hash"] = hash;
                            labels["pod-template-generation"] = "1";
                            break;
                        default:
                            do
                            {
                                name = $"{app.Name}-{hash}-{RandomName(appRandom, 5)}";
                            }
                            while (!names.Add(name));
                            labels["pod-template-hash"] = hash; // noise: no selector reads it
                            break;
                    }

                    if (p.Profile == WorkloadProfile.UniqueLabels)
                    {
                        labels["pod-id"] = "p" + Text(podSerial);
                    }

                    podSerial++;
                    IPAddress address;
                    if (app.HostNetwork)
                    {
                        address = Ipv4(0xC0A80000u + 1 + (uint)r); // the node's IP, 192.168.0.0/16
                    }
                    else
                    {
                        address = Ipv4(nextIp[app.Namespace]++);
                    }

                    endpoints.Add(new Endpoint
                    {
                        Namespace = app.Namespace,
                        Name = name,
                        Kind = "Pod",
                        Labels = labels.ToImmutable(),
                        Addresses = [address],
                        Ports = app.Ports,
                        HostNetwork = app.HostNetwork,
                    });
                }
            }
        }

        /// <summary>The pod block of a namespace, as a CIDR (an in-cluster ipBlock, S6.2).</summary>
        private string NamespaceCidr(string ns)
        {
            var (network, prefix) = namespaceBlocks[ns];
            return Ipv4Cidr(network, prefix);
        }
    }
}
