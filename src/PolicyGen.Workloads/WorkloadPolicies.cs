using System.Collections.Immutable;
using PolicyGen.Model;

namespace PolicyGen.Workloads;

public static partial class WorkloadGenerator
{
    private sealed partial class Builder
    {
        private static readonly string[] KindNames =
        [
            "upstream", "cross-namespace", "monitoring", "dns-egress", "cidr-egress", "ingress-controller",
            "match-expressions", "port-range", "same-namespace",
        ];

        private Dictionary<int, List<int>> callers = [];
        private List<int> userApps = [];

        private void BuildPolicies(WorkloadRandom random)
        {
            callers = calls.GroupBy(c => c.Server).ToDictionary(g => g.Key, g => g.Select(c => c.Client).ToList());
            userApps = [.. Enumerable.Range(0, apps.Count).Where(a => !apps[a].System)];
            if (userApps.Count == 0)
            {
                return;
            }

            var empty = (int)Math.Round(p.Policies * p.EmptyShare);
            foreach (var ns in namespaces.Where(n => n.DefaultDeny))
            {
                var both = random.Chance(0.7);
                Add("default-deny", new NetworkPolicy
                {
                    Namespace = ns.Name,
                    Name = "default-deny",
                    PodSelector = LabelSelector.Everything,
                    PolicyTypes = both ? ["Ingress", "Egress"] : ["Ingress"],
                });
                empty--;
            }

            for (var i = 0; i < empty; i++)
            {
                // An app-level deny: the app is isolated in one direction and nothing is allowed (an empty policy).
                var app = apps[random.Pick(userApps)];
                var ingress = random.Chance(0.7);
                Add("deny-app", new NetworkPolicy
                {
                    Namespace = app.Namespace,
                    Name = $"deny-{app.Name}-{(ingress ? "ingress" : "egress")}",
                    PodSelector = Match(("app", app.Name)),
                    PolicyTypes = [ingress ? "Ingress" : "Egress"],
                });
            }

            var weights = Cumulative(
            [
                p.UpstreamWeight, p.CrossNamespaceWeight, p.MonitoringWeight, p.DnsWeight, p.CidrWeight,
                p.IngressControllerWeight, p.MatchExpressionsWeight, p.PortRangeWeight, p.SameNamespaceWeight,
            ]);
            var nonEmpty = p.Policies - policies.Count;
            for (var i = 0; i < nonEmpty; i++)
            {
                var a = random.Pick(userApps);
                if (p.Profile == WorkloadProfile.WideSelectors)
                {
                    Add("wide", Wide(random, a));
                    continue;
                }

                var kind = weights[^1] > 0 ? random.PickWeighted(weights) : 0;
                var policy = kind switch
                {
                    0 => Upstream(random, a),
                    1 => CrossNamespace(random, a),
                    2 => MonitoringPolicy(random, a),
                    3 => DnsEgress(a),
                    4 => CidrEgress(random, a),
                    5 => FromIngressController(random, a),
                    6 => MatchExpressions(random, a),
                    7 => PortRange(random, a),
                    _ => SameNamespace(a),
                };
                Add(KindNames[kind], policy);
            }
        }

        /// <summary>Adds a policy under a name no other policy of its namespace has (a numeric suffix when needed).</summary>
        private void Add(string kind, NetworkPolicy policy)
        {
            var name = policy.Name;
            for (var n = 2; !policyIds.Add($"{policy.Namespace}/{name}"); n++)
            {
                name = $"{policy.Name}-{Text(n)}";
            }

            policies.Add(policy with { Name = name });
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        private static NetworkPolicy Ingress(WorkloadApp app, string name, LabelSelector podSelector, params PolicyRule[] rules) => new()
        {
            Namespace = app.Namespace,
            Name = name,
            PodSelector = podSelector,
            PolicyTypes = ["Ingress"],
            Ingress = [.. rules],
        };

        private static NetworkPolicy Egress(WorkloadApp app, string name, LabelSelector podSelector, params PolicyRule[] rules) => new()
        {
            Namespace = app.Namespace,
            Name = name,
            PodSelector = podSelector,
            PolicyTypes = ["Egress"],
            Egress = [.. rules],
        };

        private static PolicyRule Rule(IEnumerable<PolicyPeer> peers, IEnumerable<PolicyPort> ports) => new() { Peers = [.. peers], Ports = [.. ports] };

        private static PolicyPeer PodPeer(LabelSelector selector) => new() { PodSelector = selector };

        /// <summary>The app's first port, by name (resolved on the destination, S7.4) or by number; none when the app has no port.</summary>
        private List<PolicyPort> PortsOf(WorkloadRandom random, WorkloadApp app)
        {
            if (p.Profile == WorkloadProfile.PortSoup)
            {
                return Soup(random);
            }

            if (app.Ports.IsEmpty)
            {
                return [];
            }

            var port = app.Ports[0];
            return port.Name is { } name && random.Chance(0.6)
                ? [NamedPort(name, random.Chance(0.3) ? port.Protocol : null)]
                : [NumberPort(port.Port, port.Protocol == Protocol.TCP && random.Chance(0.5) ? null : port.Protocol)];
        }

        /// <summary>Port-soup: several overlapping ranges and single ports over three protocols.</summary>
        private static List<PolicyPort> Soup(WorkloadRandom random)
        {
            var ports = new List<PolicyPort>();
            var count = random.Between(3, 8);
            for (var i = 0; i < count; i++)
            {
                var protocol = random.Chance(0.6) ? Protocol.TCP : random.Chance(0.75) ? Protocol.UDP : Protocol.SCTP;
                var low = random.Between(1, 60_000);
                ports.Add(random.Chance(0.3)
                    ? NumberPort(low, protocol)
                    : random.Chance(0.1) ? NamedPort(random.Pick(["http", "grpc", "metrics", "db"]), protocol)
                    : NumberPort(low, protocol, Math.Min(65535, low + random.Between(1, 2_000))));
            }

            return ports;
        }

        /// <summary>LOCAL_PODS / POD_SELECTORS: the app accepts its callers (or its upstream tier) of its own namespace.</summary>
        private NetworkPolicy Upstream(WorkloadRandom random, int a)
        {
            var app = apps[a];
            var local = callers.GetValueOrDefault(a, []).Where(c => apps[c].Namespace == app.Namespace).ToList();
            var upstream = app.Tier switch { "web" => "web", "api" => "web", "db" => "api", _ => "api" };
            List<PolicyPeer> peers;
            string from;
            if (p.Profile == WorkloadProfile.UniqueLabels && random.Chance(0.5))
            {
                // Individual pods by a label that only they carry: no two pods can share an identity.
                var candidates = endpoints.Where(e => e.Namespace == app.Namespace).ToList();
                var ids = Enumerable.Range(0, random.Between(1, 5)).Select(_ => random.Pick(candidates).Labels["pod-id"]).Distinct().Order(StringComparer.Ordinal);
                peers = [PodPeer(new LabelSelector { MatchExpressions = [Requirement("pod-id", LabelOperators.In, [.. ids])] })];
                from = "pods";
            }
            else if (local.Count > 0 && random.Chance(0.5))
            {
                peers = [.. local.Take(3).Select(c => PodPeer(Match(("app", apps[c].Name))))];
                from = "callers";
            }
            else
            {
                peers = [PodPeer(Match(("tier", upstream)))];
                from = upstream;
            }

            return Ingress(app, $"allow-{app.Name}-from-{from}", Match(("app", app.Name)), Rule(peers, PortsOf(random, app)));
        }

        /// <summary>PEER_NAMESPACES / PEER_PODS: pods of a team's namespaces (optionally only one tier) may call the app.</summary>
        private NetworkPolicy CrossNamespace(WorkloadRandom random, int a)
        {
            var app = apps[a];
            var team = namespaces[3 + random.Next(AppNamespaceCount)].Labels["team"];
            var peer = random.Chance(0.8)
                ? new PolicyPeer { NamespaceSelector = Match(("team", team)), PodSelector = Match(("tier", random.Chance(0.5) ? "web" : "api")) }
                : new PolicyPeer { NamespaceSelector = Match(("team", team)) };
            var ports = app.Ports.IsEmpty || p.Profile == WorkloadProfile.PortSoup ? PortsOf(random, app) : [NumberPort(app.Ports[0].Port)];
            return Ingress(app, $"allow-{app.Name}-from-{team}", Match(("app", app.Name)), Rule([peer], ports));
        }

        /// <summary>The monitoring namespace scrapes every pod of the namespace on the port named metrics.</summary>
        private NetworkPolicy MonitoringPolicy(WorkloadRandom random, int a)
        {
            var app = apps[a];
            var peer = new PolicyPeer { NamespaceSelector = NamespaceNamed(Monitoring), PodSelector = Match(("app.kubernetes.io/name", "prometheus")) };
            var selector = random.Chance(0.7) ? LabelSelector.Everything : Match(("tier", app.Tier));
            return Ingress(app, "allow-monitoring", selector, Rule([peer], [NamedPort("metrics")]));
        }

        /// <summary>Egress to kube-dns on 53/UDP and 53/TCP for every pod of the namespace.</summary>
        private NetworkPolicy DnsEgress(int a)
        {
            var peer = new PolicyPeer { NamespaceSelector = NamespaceNamed(KubeSystem), PodSelector = Match(("k8s-app", "kube-dns")) };
            return Egress(apps[a], "allow-dns", LabelSelector.Everything, Rule([peer], [NumberPort(53, Protocol.UDP), NumberPort(53, Protocol.TCP)]));
        }

        /// <summary>CIDRS: the public internet on 443 (0.0.0.0/0 except the private ranges), or another namespace's pod range.</summary>
        private NetworkPolicy CidrEgress(WorkloadRandom random, int a)
        {
            var app = apps[a];
            if (random.Chance(0.7))
            {
                var internet = new PolicyPeer { IpBlock = new IpBlock("0.0.0.0/0", PrivateRanges) };
                return Egress(app, $"allow-{app.Name}-internet", Match(("app", app.Name)), Rule([internet], [NumberPort(443, Protocol.TCP)]));
            }

            var target = namespaces[3 + random.Next(AppNamespaceCount)].Name;
            var block = new PolicyPeer { IpBlock = new IpBlock(NamespaceCidr(target), []) };
            return Egress(app, $"allow-{app.Name}-to-{target}-pods", Match(("app", app.Name)),
                Rule([block], p.Profile == WorkloadProfile.PortSoup ? Soup(random) : [NumberPort(8080, Protocol.TCP)]));
        }

        private NetworkPolicy FromIngressController(WorkloadRandom random, int a)
        {
            var app = apps[a];
            var peer = new PolicyPeer { NamespaceSelector = NamespaceNamed(IngressNginx), PodSelector = Match(("app.kubernetes.io/name", "ingress-nginx")) };
            return Ingress(app, $"allow-{app.Name}-from-ingress", Match(("app", app.Name)), Rule([peer], PortsOf(random, app)));
        }

        /// <summary>In / NotIn / Exists / DoesNotExist on pod and namespace labels.</summary>
        private NetworkPolicy MatchExpressions(WorkloadRandom random, int a)
        {
            var app = apps[a];
            var selector = new LabelSelector { MatchExpressions = [Requirement("tier", LabelOperators.In, "api", "worker")] };
            var local = PodPeer(new LabelSelector
            {
                MatchExpressions = [Requirement("version", LabelOperators.NotIn, "v1"), Requirement("canary", LabelOperators.DoesNotExist)],
            });
            var remote = new PolicyPeer
            {
                NamespaceSelector = new LabelSelector
                {
                    MatchExpressions = [Requirement("env", LabelOperators.In, "prod", "staging"), Requirement("team", LabelOperators.Exists)],
                },
                PodSelector = new LabelSelector { MatchExpressions = [Requirement("tier", LabelOperators.Exists)] },
            };
            var ports = p.Profile == WorkloadProfile.PortSoup ? Soup(random) : [NumberPort(random.Pick([8080, 8000, 9000]))];
            return Ingress(app, "allow-by-expressions", selector, Rule([local, remote], ports));
        }

        /// <summary>PORT_RANGES: a range with endPort from every pod of the namespace.</summary>
        private NetworkPolicy PortRange(WorkloadRandom random, int a)
        {
            var app = apps[a];
            var ports = p.Profile == WorkloadProfile.PortSoup ? Soup(random) : random.Pick<List<PolicyPort>>(
            [
                [NumberPort(8000, null, 8100)],
                [NumberPort(30000, Protocol.TCP, 32767)],
                [NumberPort(5000, Protocol.UDP, 5100)],
            ]);
            return Ingress(app, $"allow-{app.Name}-range", Match(("app", app.Name)), Rule([PodPeer(LabelSelector.Everything)], ports));
        }

        private NetworkPolicy SameNamespace(int a)
            => Ingress(apps[a], "allow-same-namespace", LabelSelector.Everything, Rule([PodPeer(LabelSelector.Everything)], []));

        /// <summary>wide-selectors: every policy selects the whole namespace and every peer is every namespace.</summary>
        private NetworkPolicy Wide(WorkloadRandom random, int a)
        {
            var app = apps[a];
            var peer = random.Chance(0.5)
                ? new PolicyPeer { NamespaceSelector = LabelSelector.Everything }
                : new PolicyPeer { NamespaceSelector = LabelSelector.Everything, PodSelector = LabelSelector.Everything };
            var ports = random.Chance(0.3) ? new List<PolicyPort>() : [NumberPort(random.Pick([80, 443, 8080, 9090, 5432]))];
            return random.Next(3) switch
            {
                0 => Ingress(app, "wide-ingress", LabelSelector.Everything, Rule([peer], ports)),
                1 => Egress(app, "wide-egress", LabelSelector.Everything, Rule([peer], ports)),
                _ => new NetworkPolicy
                {
                    Namespace = app.Namespace,
                    Name = "wide-both",
                    PolicyTypes = ["Ingress", "Egress"],
                    Ingress = [Rule([peer], ports)],
                    Egress = [Rule([peer], ports)],
                },
            };
        }
    }
}
