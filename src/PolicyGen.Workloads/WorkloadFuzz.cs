using System.Collections.Immutable;
using System.Net;
using PolicyGen.Model;

namespace PolicyGen.Workloads;

public static partial class WorkloadGenerator
{
    private static readonly string[] FuzzNamespaces = ["w", "x", "y", "z"];
    private static readonly int[] FuzzPortNumbers = [53, 80, 81, 443, 5432, 8080, 9090];
    private static readonly string[] FuzzPortNames = ["http", "dns", "db", "metrics"];

    /// <summary>
    /// The fuzz profile: a tiny cluster that uses every corner of the semantics (docs S2-S13):
    /// every policyTypes spelling, empty rules and selectors, selector peers of each kind,
    /// matchExpressions, IPv4 and IPv6 ipBlocks with excepts that cut through pod IPs, named ports
    /// with mismatched protocols, endPort, protocol-only ports, hostNetwork pods sharing a node IP,
    /// pods without IP, dual-stack pods, workloads instead of pods, namespaces only implied by
    /// their objects, and policies in namespaces without pods. All policies pass API validation.
    /// </summary>
    private static Workload GenerateFuzz(WorkloadParameters p, ulong seed)
    {
        var r = new WorkloadRandom(seed);
        var nsCount = r.Between(2, FuzzNamespaces.Length);
        var names = FuzzNamespaces.Take(nsCount).ToArray();
        var (namespaces, workloadNamespaces) = FuzzNamespaceList(r, names);

        var endpoints = new List<Endpoint>();
        var podCount = r.Between(4, Math.Max(4, p.Pods));
        for (var k = 0; k < podCount; k++)
        {
            var nsIndex = r.Next(nsCount);
            var ns = names[nsIndex];
            endpoints.Add(FuzzEndpoint(r, k, nsIndex, ns));
        }

        var policies = new List<NetworkPolicy>();
        var policyCount = r.Between(1, Math.Max(1, p.Policies));
        var policyNamespaces = names.Append("q").ToArray(); // q: a namespace with a policy and nothing else
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < policyCount; i++)
        {
            var typesDraw = r.Next(100);
            ImmutableArray<string>? types = typesDraw < 35 ? null : typesDraw < 40 ? [] : typesDraw < 60 ? ["Ingress"] : typesDraw < 80 ? ["Egress"] : ["Ingress", "Egress"];
            var policy = new NetworkPolicy
            {
                Namespace = r.Pick(policyNamespaces),
                Name = "p" + Text(i),
                PodSelector = FuzzSelector(r, pod: true),
                PolicyTypes = types,
                Ingress = [.. Enumerable.Range(0, r.Between(0, 3)).Select(_ => FuzzRule(r))],
                Egress = [.. Enumerable.Range(0, r.Between(0, 3)).Select(_ => FuzzRule(r))],
            };
            policies.Add(policy);
            var kind = policy.Ingress.IsEmpty && policy.Egress.IsEmpty ? "empty" : "fuzz";
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        var apps = endpoints
            .Where(e => e.Labels.ContainsKey("app"))
            .GroupBy(e => (e.Namespace, App: e.Labels["app"]))
            .OrderBy(g => g.Key.Namespace, StringComparer.Ordinal).ThenBy(g => g.Key.App, StringComparer.Ordinal)
            .Select(g => new WorkloadApp(g.Key.App, g.Key.Namespace, "fuzz", "Deployment", g.Count(), Labels.Of(("app", g.Key.App)),
                g.First().Ports, false, false))
            .ToImmutableArray();
        return new Workload
        {
            Parameters = p,
            Seed = seed,
            Cluster = new Cluster
            {
                Namespaces = [.. namespaces.OrderBy(n => n.Name, StringComparer.Ordinal)],
                Endpoints = [.. endpoints.OrderBy(e => e.Namespace, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal)],
                Policies = [.. policies.OrderBy(x => x.Namespace, StringComparer.Ordinal).ThenBy(x => x.Name, StringComparer.Ordinal)],
            },
            Namespaces = [.. workloadNamespaces],
            Apps = apps,
            Calls = [],
            PolicyKinds = kinds.ToImmutableSortedDictionary(StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// The fuzz namespaces: their labels, and whether each exists as an object. Split from
    /// <see cref="GenerateFuzz"/> (CA1502); it draws from <paramref name="r"/> in the same order.
    /// </summary>
    private static (List<Namespace> Namespaces, List<WorkloadNamespace> WorkloadNamespaces) FuzzNamespaceList(WorkloadRandom r, string[] names)
    {
        var namespaces = new List<Namespace>();
        var workloadNamespaces = new List<WorkloadNamespace>();
        foreach (var name in names)
        {
            var labels = new List<(string, string)> { (Namespace.NameLabel, name) };
            if (r.Chance(0.8))
            {
                labels.Add(("ns", name));
            }

            if (r.Chance(0.6))
            {
                labels.Add(("env", r.Chance(0.5) ? "prod" : "dev"));
            }

            if (r.Chance(0.5))
            {
                labels.Add(("team", r.Chance(0.5) ? "a" : "b"));
            }

            var ns = new Namespace(name, Labels.Of([.. labels]), null);
            workloadNamespaces.Add(new WorkloadNamespace(name, ns.Labels, false, r.Chance(0.5)));
            if (r.Chance(0.85))
            {
                namespaces.Add(ns); // otherwise the namespace exists only through its objects (S5.4)
            }
        }

        return (namespaces, workloadNamespaces);
    }

    /// <summary>
    /// One fuzz pod or workload <paramref name="k"/> in namespace <paramref name="ns"/>: labels,
    /// ports, then its address shape. Split from <see cref="GenerateFuzz"/> (CA1502); the draws
    /// happen in the same order, so a seed still gives the same cluster.
    /// </summary>
    private static Endpoint FuzzEndpoint(WorkloadRandom r, int k, int nsIndex, string ns)
    {
        var labels = new List<(string, string)>();
        if (r.Chance(0.8))
        {
            labels.Add(("app", r.Pick(["a", "b", "c"])));
        }

        if (r.Chance(0.5))
        {
            labels.Add(("tier", r.Chance(0.5) ? "web" : "db"));
        }

        if (r.Chance(0.3))
        {
            labels.Add(("role", r.Chance(0.5) ? "x" : "y"));
        }

        var ports = ImmutableArray.CreateBuilder<ContainerPort>();
        var portCount = r.Between(0, 3);
        for (var i = 0; i < portCount; i++)
        {
            var name = r.Chance(0.75) ? r.Pick(FuzzPortNames) : null;
            if (name is not null && ports.Any(x => x.Name == name))
            {
                continue; // port names are unique within a pod
            }

            ports.Add(new ContainerPort(name, r.Pick(FuzzPortNumbers), FuzzProtocol(r)));
        }

        var workload = r.Chance(0.1);
        var addresses = ImmutableArray.CreateBuilder<IPAddress>();
        var hostNetwork = false;
        var shape = r.Next(100);
        if (!workload)
        {
            if (shape < 70)
            {
                addresses.Add(IPAddress.Parse($"10.{nsIndex + 1}.0.{k + 1}"));
            }
            else if (shape < 78)
            {
                addresses.Add(IPAddress.Parse($"fd00:{nsIndex + 1}::{k + 1:x}"));
            }
            else if (shape < 86)
            {
                addresses.Add(IPAddress.Parse($"10.{nsIndex + 1}.0.{k + 1}"));
                addresses.Add(IPAddress.Parse($"fd00:{nsIndex + 1}::{k + 1:x}"));
            }
            else if (shape < 93)
            {
                hostNetwork = true; // node traffic with a node IP that several pods share (S13)
                addresses.Add(IPAddress.Parse($"192.168.1.{r.Between(1, 2)}"));
            }
        }

        return new Endpoint
        {
            Namespace = ns,
            Name = (workload ? "deploy-" : "pod-") + Text(k),
            Kind = workload ? "Deployment" : "Pod",
            Labels = Labels.Of([.. labels]),
            Addresses = addresses.ToImmutable(),
            Ports = ports.ToImmutable(),
            HostNetwork = hostNetwork,
        };
    }

    private static Protocol FuzzProtocol(WorkloadRandom r)
        => r.Chance(0.6) ? Protocol.TCP : r.Chance(0.6) ? Protocol.UDP : Protocol.SCTP;

    private static LabelSelector FuzzSelector(WorkloadRandom r, bool pod)
    {
        if (r.Chance(0.3))
        {
            return LabelSelector.Everything;
        }

        var keys = pod ? new[] { "app", "tier", "role" } : ["ns", "env", "team", Namespace.NameLabel];
        var values = pod ? new[] { "a", "b", "c", "web", "db", "x", "y" } : ["w", "x", "y", "z", "q", "prod", "dev", "a", "b"];
        var matchLabels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = r.Between(0, 2); i > 0; i--)
        {
            matchLabels[r.Pick(keys)] = r.Pick(values);
        }

        var expressions = ImmutableArray.CreateBuilder<LabelSelectorRequirement>();
        for (var i = r.Between(0, 2); i > 0; i--)
        {
            var op = r.Pick([LabelOperators.In, LabelOperators.NotIn, LabelOperators.Exists, LabelOperators.DoesNotExist]);
            var list = op is LabelOperators.In or LabelOperators.NotIn
                ? Enumerable.Range(0, r.Between(1, 2)).Select(_ => r.Pick(values)).Distinct().ToImmutableArray()
                : [];
            expressions.Add(new LabelSelectorRequirement(r.Pick(keys), op, list));
        }

        return new LabelSelector { MatchLabels = Labels.Of(matchLabels), MatchExpressions = expressions.ToImmutable() };
    }

    private static PolicyRule FuzzRule(WorkloadRandom r)
    {
        if (r.Chance(0.15))
        {
            return new PolicyRule(); // {}: every peer, every port (S4.2)
        }

        var peers = ImmutableArray.CreateBuilder<PolicyPeer>();
        for (var i = r.Between(0, 3); i > 0; i--)
        {
            peers.Add(r.Next(100) switch
            {
                < 30 => new PolicyPeer { PodSelector = FuzzSelector(r, pod: true) },
                < 55 => new PolicyPeer { NamespaceSelector = FuzzSelector(r, pod: false) },
                < 80 => new PolicyPeer { NamespaceSelector = FuzzSelector(r, pod: false), PodSelector = FuzzSelector(r, pod: true) },
                _ => new PolicyPeer { IpBlock = FuzzIpBlock(r) },
            });
        }

        var ports = ImmutableArray.CreateBuilder<PolicyPort>();
        for (var i = r.Between(0, 3); i > 0; i--)
        {
            var protocol = r.Chance(0.4) ? null : FuzzProtocol(r).Name();
            var draw = r.Next(100);
            if (draw < 15)
            {
                ports.Add(new PolicyPort { Protocol = protocol }); // every port of the protocol (S7.3)
            }
            else if (draw < 70)
            {
                var number = r.Pick(FuzzPortNumbers) + r.Between(-1, 1);
                ports.Add(new PolicyPort
                {
                    Protocol = protocol,
                    Port = IntOrString.FromNumber(number),
                    EndPort = r.Chance(0.25) ? Math.Min(65535, number + r.Between(0, 100)) : null,
                });
            }
            else
            {
                ports.Add(new PolicyPort { Protocol = protocol, Port = IntOrString.FromName(r.Chance(0.9) ? r.Pick(FuzzPortNames) : "nope") });
            }
        }

        return new PolicyRule { Peers = peers.ToImmutable(), Ports = ports.ToImmutable() };
    }

    private static IpBlock FuzzIpBlock(WorkloadRandom r)
    {
        var v4 = r.Chance(0.8);
        string[] cidrs = v4
            ? ["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16", "10.1.0.0/29", "10.2.0.4/30", "192.168.1.0/24", "192.168.1.2/32", "10.3.0.1/32"]
            : ["::/0", "fd00::/16", "fd00:1::/32", "fd00:2::/120"];
        var cidrText = r.Pick(cidrs);
        if (!Cidr.TryParse(cidrText, out var cidr, out _))
        {
            throw new InvalidOperationException(cidrText);
        }

        var except = new SortedSet<string>(StringComparer.Ordinal);
        var bits = v4 ? 32 : 128;
        for (var i = r.Chance(0.5) ? r.Between(1, 2) : 0; i > 0; i--)
        {
            // A strict subset (S14.7) around an address where pods live, so excepts cut through pod IPs.
            var near = IPAddress.Parse(v4
                ? (r.Chance(0.85) ? $"10.{r.Between(1, 4)}.0.{r.Between(1, 30)}" : $"192.168.1.{r.Between(1, 2)}")
                : $"fd00:{r.Between(1, 4)}::{r.Between(1, 30):x}");
            var prefix = bits - r.Between(0, 8);
            if (!cidr.Contains(near) || prefix <= cidr.PrefixLength)
            {
                continue;
            }

            var (_, value) = Cidr.ToNumber(near);
            except.Add(new Cidr(cidr.Family, value & ~HostMask(bits, prefix), prefix).ToString());
        }

        return new IpBlock(cidrText, [.. except]);
    }

    private static UInt128 HostMask(int bits, int prefix)
    {
        var hostBits = bits - prefix;
        return hostBits == 0 ? UInt128.Zero : hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
    }
}
