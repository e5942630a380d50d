using System.Collections.Immutable;
using System.Net;
using PolicyGen.Core.Tests.Evaluation;
using PolicyGen.Core.Tests.Review;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using PolicyGen.Tests.Shared;
using PolicyGen.Verify;
using PolicyGen.Workloads;

namespace PolicyGen.Core.Tests.Verify;

/// <summary>
/// The proof's verdicts between a pod and an address come from each rule's answers put together
/// (<see cref="ExternalVerdictCache"/>) instead of asking the evaluator flow by flow: they must be
/// the evaluator's own answers for every identity, address, probe and direction.
/// </summary>
public sealed class ExternalVerdictTests : IDisposable
{
    private static string Examples => Path.Combine(ConformanceCase.RepositoryRoot(), "examples");

    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("npgen-external-verdicts-");

    public void Dispose() => scratch.Delete(recursive: true);

    private static readonly string[] Addresses = ["10.9.1.1", "10.2.3.4", "192.168.7.7", "8.8.8.8", "fd00:1::99", "fd00:9::1", "2001:db8::1"];

    public static TheoryData<string, string> ExampleBuilds() => ImportRoundTripTests.ExampleBuilds();

    /// <summary>Asserts every pod-address verdict equals the evaluator's; returns how many were compared.</summary>
    private static int AssertSameAsEvaluator(PolicyEvaluator evaluator, ImmutableArray<Witness> witnesses, int[] identity, IReadOnlyList<PortProbe> probes)
    {
        var addresses = Enumerable.Range(0, witnesses.Length).Where(w => identity[w] < 0).ToArray();
        var cache = new ExternalVerdictCache(evaluator, witnesses, identity, addresses, probes);
        var numbers = new AddressNumbers(witnesses);
        var compared = 0;
        for (var p = 0; p < probes.Count; p++)
        {
            for (var pod = 0; pod < witnesses.Length; pod++)
            {
                if (identity[pod] < 0)
                {
                    continue;
                }

                foreach (var address in addresses)
                {
                    Assert.True(numbers.AllowsExternal(evaluator, identity[pod], PolicyDirection.Egress, address, probes[p]) == cache.Allows(pod, address, p),
                        $"{witnesses[pod].Display} -> {witnesses[address].FullDisplay} on {probes[p]}");
                    Assert.True(numbers.AllowsExternal(evaluator, identity[pod], PolicyDirection.Ingress, address, probes[p]) == cache.Allows(address, pod, p),
                        $"{witnesses[address].FullDisplay} -> {witnesses[pod].Display} on {probes[p]}");
                    compared += 2;
                }
            }
        }

        return compared;
    }

    /// <summary>The witnesses, evaluator and probes the proof builds for an intent's policies.</summary>
    private static int AssertSameAsEvaluator(BuildResult build)
    {
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        var intent = build.Intent!;
        var (apps, _) = AppConnectivity.Of(intent);
        ImmutableArray<NetworkPolicy> policies = [.. build.Policies.Select(p => p.Parsed)];
        var world = WitnessWorld.Build(intent, apps, policies);
        var evaluator = PolicyEvaluator.Create(new Cluster { Namespaces = world.Namespaces, Endpoints = world.Endpoints, Policies = policies });
        var identity = world.Witnesses.Select(w => w.IsPod ? evaluator.IdentityOf(world.IndexOf(w)) : -1).ToArray();
        return AssertSameAsEvaluator(evaluator, world.Witnesses, identity, PortProbes.For(intent, policies));
    }

    [Theory]
    [MemberData(nameof(ExampleBuilds))]
    public void Every_example_gets_the_evaluators_verdicts_between_pods_and_addresses(string example, string environment)
        => AssertSameAsEvaluator(BuildPipeline.Run(Path.Combine(Examples, example, "intents.yaml"),
            new BuildOptions { Environment = environment.Length == 0 ? null : environment, Verify = false }));

    [Fact]
    public void A_generated_intent_gets_the_evaluators_verdicts_between_pods_and_addresses()
    {
        var intent = Path.Join(scratch.FullName, "intent.yaml");
        File.WriteAllText(intent, WorkloadIntentWriter.Write(WorkloadGenerator.Generate(WorkloadParameters.FromPreset("M")! with { Apps = 200 }, 1)));
        Assert.True(AssertSameAsEvaluator(BuildPipeline.Run(intent, new BuildOptions { Verify = false })) > 10_000);
    }

    [Fact]
    public void Named_ports_empty_peer_lists_ipv6_and_port_ranges_get_the_evaluators_verdicts()
    {
        // Ingress rules that name ports resolve them on the pod (S7.4): those identities are asked of the evaluator.
        var evaluator = Scenario.Create()
            .Namespace("x", "ns=x")
            .Pods("""
                x/a app=a ip=10.1.0.1 port=http:8080 port=dns:53/UDP
                x/b app=b ip=10.1.0.2 port=http:9090
                x/c app=c ip=fd00:1::3 port=http:8080
                x/d app=d ip=10.1.0.4
                """)
            .Policy("x/a", """
                podSelector: {matchLabels: {app: a}}
                policyTypes: [Ingress, Egress]
                ingress:
                - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.9.0.0/16]}}]
                  ports: [{port: http}]
                - from: [{ipBlock: {cidr: 192.168.0.0/16}}]
                  ports: [{port: 9000, endPort: 9100}]
                egress:
                - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
                  ports: [{port: 443}, {port: http}]
                - ports: [{port: 53, protocol: UDP}]
                """)
            .Policy("x/b", """
                podSelector: {matchLabels: {app: b}}
                ingress:
                - {}
                egress:
                - to: [{ipBlock: {cidr: 'fd00::/16'}}]
                """)
            .Policy("x/c", """
                podSelector: {matchLabels: {app: c}}
                policyTypes: [Ingress, Egress]
                ingress:
                - from: [{ipBlock: {cidr: 'fd00::/16', except: ['fd00:9::/32']}}]
                  ports: [{protocol: SCTP}]
                """)
            .Build().Evaluator;
        var pods = evaluator.Cluster.Endpoints.Select(e => new Witness(e.Id, e, null, null));
        var addresses = Addresses.Select(a => new Witness(a, null, IPAddress.Parse(a), null));
        ImmutableArray<Witness> witnesses = [.. pods, .. addresses];
        var identity = witnesses.Select((w, i) => w.IsPod ? evaluator.IdentityOf(i) : -1).ToArray();
        PortProbe[] probes = [new(53, Protocol.UDP), new(53, Protocol.TCP), new(443, Protocol.TCP), new(8080, Protocol.TCP), new(9090, Protocol.TCP),
            new(9050, Protocol.TCP), new(9101, Protocol.TCP), new(80, Protocol.SCTP)];
        Assert.Equal(4 * 7 * 2 * probes.Length, AssertSameAsEvaluator(evaluator, witnesses, identity, probes));
    }
}
