using BenchmarkDotNet.Attributes;
using PolicyGen.Evaluation;
using PolicyGen.Model;
using PolicyGen.Workloads;

namespace PolicyGen.Benchmarks;

/// <summary>
/// In-process kernels on generated workloads (after parsing): building the evaluator (identities,
/// label index, compiled policies), the full reachability matrix over every port class, and point
/// queries (goals G4, G9). <c>Preset</c> S is the CI smoke size; M is the goal size.
/// </summary>
[MemoryDiagnoser]
public class EvaluatorBenchmarks
{
    private Cluster cluster = null!;
    private PolicyEvaluator evaluator = null!;
    private ReachabilityMatrix matrix = null!;
    private IReadOnlyList<PortProbe> probes = null!;
    private ConnectionEnd from = null!;
    private ConnectionEnd to = null!;
    private int fromIndex;
    private int toIndex;

    /// <summary>The workload: M, or NPGEN_BENCH_PRESET (S for the CI smoke run).</summary>
    public string Preset { get; set; } = Environment.GetEnvironmentVariable("NPGEN_BENCH_PRESET") ?? "M";

    [GlobalSetup]
    public void Setup()
    {
        cluster = Workloads.Load(Preset);
        evaluator = PolicyEvaluator.Create(cluster);
        probes = WorkloadStatistics.CanonicalProbes(cluster);
        matrix = ReachabilityMatrix.Compute(evaluator, probes);
        // Two pods in different namespaces whose policies both apply: a query that walks rules on both sides.
        var isolated = Enumerable.Range(0, cluster.Endpoints.Length).Where(e => cluster.Endpoints[e].Namespace.StartsWith("ns-", StringComparison.Ordinal)).ToList();
        fromIndex = isolated[isolated.Count / 3];
        toIndex = isolated[(2 * isolated.Count) / 3];
        evaluator.TryResolve(cluster.Endpoints[fromIndex].Id, out var a, out _);
        evaluator.TryResolve(cluster.Endpoints[toIndex].Id, out var b, out _);
        (from, to) = (a!, b!);
    }

    /// <summary>G4: index the cluster and compute every pair on every port class.</summary>
    [Benchmark]
    public ReachabilityMatrix FullReachability() => ReachabilityMatrix.Compute(PolicyEvaluator.Create(cluster), probes);

    [Benchmark]
    public PolicyEvaluator BuildEvaluator() => PolicyEvaluator.Create(cluster);

    [Benchmark]
    public ReachabilityMatrix MatrixOnly() => ReachabilityMatrix.Compute(evaluator, probes);

    /// <summary>G9: one query after the build, through the evaluator's rules.</summary>
    [Benchmark]
    public bool SingleQuery() => evaluator.IsAllowed(from, to, 8080, Protocol.TCP);

    /// <summary>G9: one query after the build, from the computed matrix.</summary>
    [Benchmark]
    public PairVerdict MatrixQuery() => matrix.Get(probes.Count / 2, fromIndex, toIndex);

    [Benchmark]
    public Verdict SingleQueryExplained() => evaluator.Evaluate(from, to, 8080, Protocol.TCP);
}

/// <summary>The bulk path of npgen build (goal G2): generate, render, validate and verify an intent of N apps in process.</summary>
[MemoryDiagnoser]
public class BuildBenchmarks
{
    private string intentPath = "";

    /// <summary>Apps in the intent: 1,000, or 50 when NPGEN_BENCH_PRESET is S (the CI smoke run).</summary>
    public int Apps { get; set; } = Environment.GetEnvironmentVariable("NPGEN_BENCH_PRESET") == "S" ? 50 : 1000;

    [GlobalSetup]
    public void Setup()
    {
        var parameters = WorkloadParameters.FromPreset("M")! with { Apps = Apps };
        var workload = WorkloadGenerator.Generate(parameters, 1);
        var dir = Directory.CreateTempSubdirectory("npgen-bench-build-").FullName;
        intentPath = Path.Combine(dir, "intent.yaml");
        File.WriteAllText(intentPath, WorkloadIntentWriter.Write(workload));
    }

    [Benchmark]
    public bool BuildAndVerify() => Pipeline.BuildPipeline.Run(intentPath, new Pipeline.BuildOptions()).Succeeded;

    [Benchmark]
    public bool BuildWithoutVerify() => Pipeline.BuildPipeline.Run(intentPath, new Pipeline.BuildOptions { Verify = false }).Succeeded;
}
