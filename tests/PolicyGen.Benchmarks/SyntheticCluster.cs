using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using PolicyGen.Model;

namespace PolicyGen.Benchmarks;

/// <summary>
/// A seeded, shaped-like-production cluster for measuring the evaluator: namespaces with team
/// labels, several apps per namespace with replicas (each pod with an irrelevant
/// pod-template-hash label, as in real clusters), named ports, and per namespace a default deny,
/// same-namespace app-to-app rules, a cross-namespace rule by team label and an egress ipBlock.
/// </summary>
public static class SyntheticCluster
{
    public static Cluster Create(int namespaces, int appsPerNamespace, int replicas, int policiesPerNamespace, ulong seed)
    {
        var random = new SplitMix64(seed);
        var nsList = ImmutableArray.CreateBuilder<Namespace>();
        var endpoints = ImmutableArray.CreateBuilder<Endpoint>();
        var policies = ImmutableArray.CreateBuilder<NetworkPolicy>();
        var ip = 0x0A000000u; // 10.0.0.0
        for (var n = 0; n < namespaces; n++)
        {
            var ns = $"ns-{n:D5}";
            nsList.Add(Namespace.Create(ns, [KeyValuePair.Create("team", $"team-{n % 20}"), KeyValuePair.Create("env", n % 3 == 0 ? "prod" : "dev")], null));
            for (var a = 0; a < appsPerNamespace; a++)
            {
                for (var r = 0; r < replicas; r++)
                {
                    ip++;
                    endpoints.Add(new Endpoint
                    {
                        Namespace = ns,
                        Name = $"app-{a}-{r}",
                        Kind = "Pod",
                        Labels = Labels.Of(("app", $"app-{a}"), ("tier", a % 2 == 0 ? "web" : "backend"),
                            ("pod-template-hash", random.Next(1_000_000).ToString(CultureInfo.InvariantCulture))),
                        Addresses = [new IPAddress([(byte)(ip >> 24), (byte)(ip >> 16), (byte)(ip >> 8), (byte)ip])],
                        Ports = [new ContainerPort("http", 8080 + (a % 3), Protocol.TCP), new ContainerPort("metrics", 9090, Protocol.TCP)],
                    });
                }
            }

            policies.Add(new NetworkPolicy
            {
                Namespace = ns,
                Name = "default-deny",
                PolicyTypes = ["Ingress", "Egress"],
            });
            for (var p = 1; p < policiesPerNamespace; p++)
            {
                var app = $"app-{random.Next(appsPerNamespace)}";
                var peerApp = $"app-{random.Next(appsPerNamespace)}";
                var team = $"team-{random.Next(20)}";
                policies.Add(new NetworkPolicy
                {
                    Namespace = ns,
                    Name = $"allow-{p}",
                    PodSelector = new LabelSelector { MatchLabels = Labels.Of(("app", app)) },
                    PolicyTypes = ["Ingress", "Egress"],
                    Ingress =
                    [
                        new PolicyRule
                        {
                            Peers = [new PolicyPeer { PodSelector = new LabelSelector { MatchLabels = Labels.Of(("app", peerApp)) } }],
                            Ports = [new PolicyPort { Port = IntOrString.FromName("http") }],
                        },
                        new PolicyRule
                        {
                            Peers =
                            [
                                new PolicyPeer
                                {
                                    NamespaceSelector = new LabelSelector { MatchLabels = Labels.Of(("team", team)) },
                                    PodSelector = new LabelSelector
                                    {
                                        MatchExpressions = [new LabelSelectorRequirement("tier", LabelOperators.In, ["web", "backend"])],
                                    },
                                },
                            ],
                            Ports = [new PolicyPort { Port = IntOrString.FromNumber(9090) }],
                        },
                    ],
                    Egress =
                    [
                        new PolicyRule
                        {
                            Peers = [new PolicyPeer { NamespaceSelector = new LabelSelector { MatchLabels = Labels.Of(("team", team)) } }],
                            Ports = [new PolicyPort { Port = IntOrString.FromName("http") }],
                        },
                        new PolicyRule
                        {
                            Peers = [new PolicyPeer { IpBlock = new IpBlock("0.0.0.0/0", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]) }],
                            Ports = [new PolicyPort { Port = IntOrString.FromNumber(443) }],
                        },
                    ],
                });
            }
        }

        return new Cluster { Namespaces = nsList.ToImmutable(), Endpoints = endpoints.ToImmutable(), Policies = policies.ToImmutable() };
    }

    /// <summary>A tiny deterministic PRNG so the cluster is the same on every machine and run.</summary>
    private sealed class SplitMix64(ulong state)
    {
        public int Next(int bound)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (int)((z ^ (z >> 31)) % (ulong)bound);
        }
    }
}
