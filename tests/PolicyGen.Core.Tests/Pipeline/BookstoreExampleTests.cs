using PolicyGen.Core.Tests.Evaluation;
using PolicyGen.Evaluation;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using PolicyGen.Tests.Shared;

namespace PolicyGen.Core.Tests.Pipeline;

/// <summary>
/// The bookstore example against the policy people write by hand for it: on a cluster of pods that
/// the two could treat differently, every pair of ends gets the same verdict from both.
/// </summary>
public sealed class BookstoreExampleTests
{
    private const string HandWritten = """
        kind: NetworkPolicy
        apiVersion: networking.k8s.io/v1
        metadata:
          name: api-allow
          namespace: default
        spec:
          podSelector:
            matchLabels:
              app: bookstore
              role: api
          ingress:
          - from:
            - podSelector:
                matchLabels:
                  app: bookstore
          - from:
            - podSelector:
                matchLabels:
                  app: inventory
        """;

    private static readonly PortProbe[] Probes = [new(80, Protocol.TCP), new(8080, Protocol.TCP), new(53, Protocol.UDP)];

    private static readonly string[] OutsideAddresses = ["203.0.113.9", "10.0.0.1"];

    /// <summary>The bookstore pods, their neighbours, and pods with the same labels in another namespace.</summary>
    private static Cluster Pods() => Scenario.Create()
        .Namespace("default")
        .Namespace("staging", "env=staging")
        .Namespace("kube-system")
        .Pods("""
            default/api app=bookstore role=api ip=10.1.0.1 port=http:8080
            default/frontend app=bookstore role=frontend ip=10.1.0.2 port=http:80
            default/admin app=bookstore role=admin ip=10.1.0.3
            default/bookstore-only app=bookstore ip=10.1.0.4
            default/inventory app=inventory ip=10.1.0.5 port=http:8080
            default/unrelated app=other ip=10.1.0.6 port=http:80
            default/unlabelled ip=10.1.0.7
            staging/api app=bookstore role=api ip=10.2.0.1 port=http:8080
            staging/frontend app=bookstore role=frontend ip=10.2.0.2
            staging/inventory app=inventory ip=10.2.0.5
            staging/unrelated app=other ip=10.2.0.6
            kube-system/coredns k8s-app=kube-dns ip=10.3.0.10 port=dns:53/UDP
            """)
        .Build().Evaluator.Cluster;

    [Fact]
    public void Bookstore_output_is_semantically_equal_to_the_hand_written_policy()
    {
        var build = BuildPipeline.Run(Path.Combine(ConformanceCase.RepositoryRoot(), "examples", "bookstore", "intents.yaml"), new BuildOptions());
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        var handWritten = ManifestLoader.LoadText("api-allow.yaml", HandWritten);
        Assert.True(handWritten.Diagnostics.IsEmpty, string.Join("\n", handWritten.Diagnostics));
        Assert.Single(handWritten.Cluster.Policies);

        var pods = Pods();
        var generated = PolicyEvaluator.Create(pods with { Policies = [.. build.Policies.Select(p => p.Parsed)] });
        var reference = PolicyEvaluator.Create(pods with { Policies = handWritten.Cluster.Policies });
        var generatedMatrix = ReachabilityMatrix.Compute(generated, Probes);
        var referenceMatrix = ReachabilityMatrix.Compute(reference, Probes);

        var ends = pods.Endpoints.Select(e => e.Id).Concat(OutsideAddresses).ToList();
        var differences = new List<string>();
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        var denied = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < Probes.Length; p++)
        {
            var probe = Probes[p];
            foreach (var from in ends)
            {
                foreach (var to in ends)
                {
                    if (from == to)
                    {
                        continue;
                    }

                    var g = Verdict(generated, generatedMatrix, p, from, to);
                    var r = Verdict(reference, referenceMatrix, p, from, to);
                    var pair = $"{from} -> {to} {probe}";
                    (r ? allowed : denied).Add(pair);
                    if (g != r)
                    {
                        differences.Add($"{pair}: generated {(g ? "allows" : "denies")}, hand-written {(r ? "allows" : "denies")}");
                    }
                }
            }
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences));

        // The comparison is not vacuous: it covers both sides of the policy's meaning.
        Assert.Contains("default/frontend -> default/api 8080/TCP", allowed);
        Assert.Contains("default/bookstore-only -> default/api 80/TCP", allowed);
        Assert.Contains("default/inventory -> default/api 53/UDP", allowed);
        Assert.Contains("default/unrelated -> default/api 8080/TCP", denied);
        Assert.Contains("staging/frontend -> default/api 8080/TCP", denied);
        Assert.Contains("staging/inventory -> default/api 8080/TCP", denied);
        Assert.Contains("203.0.113.9 -> default/api 8080/TCP", denied);
        Assert.Contains("default/unrelated -> staging/api 8080/TCP", allowed);
        Assert.Contains("default/api -> default/unrelated 80/TCP", allowed);
    }

    /// <summary>Pod pairs from the matrix; pairs with an outside address from the evaluator itself.</summary>
    private static bool Verdict(PolicyEvaluator evaluator, ReachabilityMatrix matrix, int probe, string from, string to)
    {
        Assert.True(evaluator.TryResolve(from, out var source, out var error), error);
        Assert.True(evaluator.TryResolve(to, out var destination, out error), error);
        var port = matrix.Probes[probe];
        var verdict = evaluator.Evaluate(source!, destination!, port.Port, port.Protocol).Allowed;
        if (!source!.IsExternal && !destination!.IsExternal)
        {
            var cell = matrix.Get(probe, source.EndpointIndex, destination.EndpointIndex).Allowed;
            Assert.True(cell == verdict, $"{from} -> {to} {port}: the matrix and the evaluator disagree");
        }

        return verdict;
    }
}
