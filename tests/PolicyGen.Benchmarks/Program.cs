using System.Diagnostics;
using BenchmarkDotNet.Running;
using PolicyGen.Benchmarks;
using PolicyGen.Evaluation;

// "peak" runs the full-reachability workload once in a fresh process and prints wall time and
// peak RSS (VmHWM), which BenchmarkDotNet does not report. Anything else goes to BenchmarkDotNet:
//   dotnet run -c Release --project tests/PolicyGen.Benchmarks -- --filter '*'
if (args is ["peak", ..])
{
    var cluster = SyntheticCluster.Create(500, 5, 4, 4, 42);
    var before = PeakRssMb();
    var watch = Stopwatch.StartNew();
    var evaluator = PolicyEvaluator.Create(cluster);
    var matrix = ReachabilityMatrix.Compute(evaluator, evaluator.MentionedPorts());
    watch.Stop();
    Console.WriteLine($"pods={cluster.Endpoints.Length} namespaces={cluster.Namespaces.Length} policies={cluster.Policies.Length} " +
        $"identities={evaluator.IdentityCount} ports={matrix.Probes.Count}");
    Console.WriteLine($"full reachability: {watch.Elapsed.TotalMilliseconds:F0} ms (first run, JIT included); " +
        $"peak RSS {PeakRssMb():F0} MB (after building the cluster in memory: {before:F0} MB)");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(EvaluatorBenchmarks).Assembly).Run(args);
return 0;

static double PeakRssMb()
{
    var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
}
