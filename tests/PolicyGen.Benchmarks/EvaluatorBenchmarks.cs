using BenchmarkDotNet.Attributes;
using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Benchmarks;

/// <summary>
/// Issue 2 targets on one core: full reachability of 10,000 pods / 500 namespaces / 2,000 policies
/// under 250 ms, and one query after loading under 1 µs.
/// </summary>
[MemoryDiagnoser]
public class EvaluatorBenchmarks
{
    private Cluster cluster = null!;
    private PolicyEvaluator evaluator = null!;
    private IReadOnlyList<PortProbe> ports = null!;
    private ConnectionEnd from = null!;
    private ConnectionEnd to = null!;

    [GlobalSetup]
    public void Setup()
    {
        cluster = SyntheticCluster.Create(namespaces: 500, appsPerNamespace: 5, replicas: 4, policiesPerNamespace: 4, seed: 42);
        evaluator = PolicyEvaluator.Create(cluster);
        ports = evaluator.MentionedPorts();
        evaluator.TryResolve("ns-00007/app-1-0", out var a, out _);
        evaluator.TryResolve("ns-00019/app-2-3", out var b, out _);
        (from, to) = (a!, b!);
    }

    /// <summary>Index the cluster (identities, selectors, policies) and compute every pair on every mentioned port.</summary>
    [Benchmark]
    public ReachabilityMatrix FullReachability() => ReachabilityMatrix.Compute(PolicyEvaluator.Create(cluster), ports);

    [Benchmark]
    public PolicyEvaluator BuildEvaluator() => PolicyEvaluator.Create(cluster);

    [Benchmark]
    public bool SingleQuery() => evaluator.IsAllowed(from, to, 9090, Protocol.TCP);

    [Benchmark]
    public Verdict SingleQueryExplained() => evaluator.Evaluate(from, to, 9090, Protocol.TCP);
}
