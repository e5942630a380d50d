using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using PolicyGen.Benchmarks;
using PolicyGen.Evaluation;
using PolicyGen.Manifests;
using PolicyGen.Workloads;

// "profile DIR" loads a generated workload (npgen bench gen) in a fresh process and prints the time
// of each stage and the peak RSS (VmHWM), which BenchmarkDotNet does not report. Anything else goes
// to BenchmarkDotNet:
//   dotnet run -c Release --project tests/PolicyGen.Benchmarks -- --filter '*'
if (args is ["profile", var directory, ..])
{
    var clock = Stopwatch.StartNew();
    var (sources, _) = ManifestFiles.Read([Path.Combine(directory, WorkloadFiles.ManifestsDirectory)], () => "");
    var read = clock.Elapsed;
    var loaded = ManifestLoader.Load(sources);
    var parsed = clock.Elapsed;
    sources = default;
    var rssAfterParse = PeakRssMb();
    if (args.Contains("--parse-only"))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read {read.TotalMilliseconds:F0} ms, parse {(parsed - read).TotalMilliseconds:F0} ms, peak RSS {rssAfterParse:F0} MB"));
        return 0;
    }

    var evaluator = PolicyEvaluator.Create(loaded.Cluster);
    var created = clock.Elapsed;
    var probes = WorkloadStatistics.CanonicalProbes(loaded.Cluster);
    var matrix = ReachabilityMatrix.Compute(evaluator, probes);
    var computed = clock.Elapsed;
    GC.KeepAlive(matrix);
    var c = loaded.Cluster;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{directory}: {c.Endpoints.Length} endpoints, {c.Namespaces.Length} namespaces, {c.Policies.Length} policies; {evaluator.IdentityCount} identities, {probes.Count} probes"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"read {read.TotalMilliseconds:F0} ms, parse {(parsed - read).TotalMilliseconds:F0} ms (peak RSS {rssAfterParse:F0} MB), evaluator {(created - parsed).TotalMilliseconds:F0} ms, matrix {(computed - created).TotalMilliseconds:F0} ms; peak RSS {PeakRssMb():F0} MB"));
    for (var run = 0; run < (args.Contains("--warm") ? 5 : 0); run++)
    {
        var again = Stopwatch.StartNew();
        var e2 = PolicyEvaluator.Create(loaded.Cluster);
        var t1 = again.Elapsed;
        var m2 = ReachabilityMatrix.Compute(e2, probes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm run {run + 1}: evaluator {t1.TotalMilliseconds:F0} ms, matrix {(again.Elapsed - t1).TotalMilliseconds:F0} ms ({m2.RowCount} rows)"));
    }
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(EvaluatorBenchmarks).Assembly).Run(args);
return 0;

static double PeakRssMb()
{
    var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}
