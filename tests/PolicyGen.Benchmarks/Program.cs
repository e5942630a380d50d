using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Running;
using PolicyGen.Benchmarks;
using PolicyGen.Core.Tests.Oracle;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Workloads;

// Whole-workload measurements in a fresh process, which BenchmarkDotNet does not make (peak RSS,
// first-run times, the naive baseline at 10,000 pods). Each prints human lines and one line
// "RESULT {json}" that bench/run.sh collects. Anything else goes to BenchmarkDotNet:
//   dotnet run -c Release --project tests/PolicyGen.Benchmarks -- --filter '*'
//
//   profile DIR [--warm N]   load a workload written by npgen bench gen; time parsing, the evaluator
//                            and the matrix (first run, then N warm runs); check identities, port
//                            classes and (when recorded) the reachability digest against manifest.json
//   compare BASE CAND [--runs N]
//                            goals G6 and G7: load both workloads, then alternate N evaluator+matrix
//                            runs on each (a collected heap before every run) and print both
//                            medians and their ratio, so the ratio comes from one process and one
//                            machine state
//   dump DIR [--runs N]      a kubectl-style dump (npgen bench gen --style kubectl): the parser's raw
//                            rate on its bytes, npgen's reading rate, and the digest of what was read
//   oracle DIR [--probes N] [--rows R]
//                            goal G8: the naive reference evaluator against the fast one on N port
//                            classes, every destination of R source rows spread over the workload
//                            (default: every row); results must be identical. With R below the
//                            endpoint count the naive time for the whole matrix is extrapolated
//                            from the rows it ran (its cost per row is flat), and the result says so
//   read FILE [--runs N]     MB/s of reading one manifest file: the parsers' raw event rates
//                            (YamlDotNet, SharpYaml, Utf8JsonReader) next to npgen's pruned reader and
//                            the full-tree reader it replaced (ManifestReadingFigures)
return args switch
{
    ["profile", var directory, .. var rest] => Profile(directory, Option(rest, "--warm", 0), rest.Contains("--digest")),
    ["compare", var baseline, var candidate, .. var rest] => Compare(baseline, candidate, Option(rest, "--runs", 15)),
    ["dump", var directory, .. var rest] => DumpKernel.Run(directory, Option(rest, "--runs", 3)),
    ["oracle", var directory, .. var rest] => Oracle(directory, Option(rest, "--probes", 2), Option(rest, "--rows", int.MaxValue)),
    ["read", var file, .. var rest] => ManifestReadingFigures.Run(file, Option(rest, "--runs", 5)),
    _ => RunBenchmarkDotNet(args),
};

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(EvaluatorBenchmarks).Assembly).Run(args);
    return 0;
}

static int Option(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static int Profile(string directory, int warm, bool digest)
{
    using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, WorkloadFiles.ManifestFile)));
    var expected = manifest.RootElement.GetProperty("expected");
    var clock = Stopwatch.StartNew();
    var loaded = Workloads.LoadDirectory(directory);
    var parsed = clock.Elapsed;
    var rssParse = PeakRssMb();
    var evaluator = PolicyEvaluator.Create(loaded.Cluster);
    var created = clock.Elapsed;
    var probes = WorkloadStatistics.CanonicalProbes(loaded.Cluster);
    var matrix = ReachabilityMatrix.Compute(evaluator, probes);
    var computed = clock.Elapsed;
    var c = loaded.Cluster;
    var problems = new List<string>();
    if (loaded.HasErrors)
    {
        problems.Add("the manifests do not load cleanly");
    }

    if (evaluator.IdentityCount != expected.GetProperty("identities").GetInt32())
    {
        problems.Add($"identities: evaluator {evaluator.IdentityCount}, manifest {expected.GetProperty("identities").GetInt32()}");
    }

    if (matrix.ClassCount != expected.GetProperty("portClasses").GetInt32())
    {
        problems.Add($"port classes: evaluator {matrix.ClassCount}, manifest {expected.GetProperty("portClasses").GetInt32()}");
    }

    var warmTimes = new List<double>();
    var warmStages = new List<StageTiming[]>();
    for (var run = 0; run < warm; run++)
    {
        CollectHeap();
        var again = Stopwatch.StartNew();
        var e2 = PolicyEvaluator.Create(loaded.Cluster);
        var m2 = ReachabilityMatrix.Compute(e2, probes);
        warmTimes.Add(again.Elapsed.TotalMilliseconds);
        warmStages.Add([.. e2.Timings, .. m2.Timings]);
    }

    string? sha = null;
    if (digest && expected.GetProperty("reachability").GetProperty("sha256").GetString() is { } recorded)
    {
        sha = ReachabilityDigest.Sha256(evaluator, probes);
        if (sha != recorded)
        {
            problems.Add($"reachability digest {sha} differs from manifest.json's {recorded}");
        }
    }

    var result = new Dictionary<string, object?>
    {
        ["directory"] = directory,
        ["endpoints"] = c.Endpoints.Length,
        ["namespaces"] = c.Namespaces.Length,
        ["policies"] = c.Policies.Length,
        ["identities"] = evaluator.IdentityCount,
        ["portClasses"] = matrix.ClassCount,
        ["rows"] = matrix.RowCount,
        ["parseMs"] = parsed.TotalMilliseconds,
        ["peakRssAfterParseMb"] = rssParse,
        ["evaluatorMs"] = (created - parsed).TotalMilliseconds,
        ["matrixMs"] = (computed - created).TotalMilliseconds,
        ["afterParseMs"] = (computed - parsed).TotalMilliseconds,
        ["warmMedianMs"] = warmTimes.Count == 0 ? null : warmTimes.Order().ElementAt(warmTimes.Count / 2),
        ["peakRssMb"] = PeakRssMb(),
        ["digest"] = sha,
        ["problems"] = problems,
    };
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{directory}: {c.Endpoints.Length:N0} endpoints, {c.Namespaces.Length:N0} namespaces, {c.Policies.Length:N0} policies -> {evaluator.IdentityCount:N0} identities, {matrix.ClassCount} port classes, {matrix.RowCount:N0} rows"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  parse {parsed.TotalMilliseconds:F0} ms; evaluator {(created - parsed).TotalMilliseconds:F0} ms + matrix {(computed - created).TotalMilliseconds:F0} ms (first run){(warmTimes.Count > 0 ? $", warm median {result["warmMedianMs"]:F0} ms" : "")}; peak RSS {PeakRssMb():F0} MB"));
    if (warmStages.Count > 0)
    {
        // Where a warm run spends its time: per stage, the median over the warm runs.
        Console.WriteLine("  warm stages (ms): " + StageMedians(warmStages));
    }

    foreach (var problem in problems)
    {
        Console.WriteLine("  PROBLEM: " + problem);
    }

    Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
    return problems.Count == 0 ? 0 : 1;
}

static int Compare(string baselineDirectory, string candidateDirectory, int runs)
{
    var workloads = new[] { baselineDirectory, candidateDirectory }
        .Select(d => Workloads.LoadDirectory(d).Cluster)
        .Select(c => (Cluster: c, Probes: WorkloadStatistics.CanonicalProbes(c)))
        .ToArray();
    var times = new[] { new List<double>(), new List<double>() };
    // CPU time of the process next to wall time: on a machine shared with other work, waiting for a
    // core inflates wall time but not CPU time, so the CPU ratio is the steadier of the two there.
    var cpu = new[] { new List<double>(), new List<double>() };
    var stages = new[] { new List<StageTiming[]>(), new List<StageTiming[]>() };
    var identities = new int[2];
    for (var run = -1; run < runs; run++)
    {
        for (var w = 0; w < 2; w++)
        {
            CollectHeap();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var evaluator = PolicyEvaluator.Create(workloads[w].Cluster);
            var matrix = ReachabilityMatrix.Compute(evaluator, workloads[w].Probes);
            if (run >= 0)
            {
                cpu[w].Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
                times[w].Add(clock.Elapsed.TotalMilliseconds); // run -1 warms both up
                stages[w].Add([.. evaluator.Timings, .. matrix.Timings]);
            }

            identities[w] = evaluator.IdentityCount;
        }
    }

    var medians = times.Select(t => t.Order().ElementAt(t.Count / 2)).ToArray();
    var cpuMedians = cpu.Select(t => t.Order().ElementAt(t.Count / 2)).ToArray();
    var result = new Dictionary<string, object?>
    {
        ["baseline"] = baselineDirectory,
        ["candidate"] = candidateDirectory,
        ["baselineEndpoints"] = workloads[0].Cluster.Endpoints.Length,
        ["candidateEndpoints"] = workloads[1].Cluster.Endpoints.Length,
        ["baselineIdentities"] = identities[0],
        ["candidateIdentities"] = identities[1],
        ["baselineMedianMs"] = medians[0],
        ["candidateMedianMs"] = medians[1],
        ["baselineTimesMs"] = times[0],
        ["candidateTimesMs"] = times[1],
        ["ratio"] = medians[1] / medians[0],
        ["baselineCpuMedianMs"] = cpuMedians[0],
        ["candidateCpuMedianMs"] = cpuMedians[1],
        ["cpuRatio"] = cpuMedians[1] / cpuMedians[0],
        ["runs"] = runs,
    };
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{baselineDirectory} ({identities[0]:N0} identities) {medians[0]:F0} ms -> {candidateDirectory} ({identities[1]:N0} identities) {medians[1]:F0} ms: {medians[1] / medians[0]:F2}x (medians of {runs} alternating runs)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  CPU time of the process: {cpuMedians[0]:F0} ms -> {cpuMedians[1]:F0} ms: {cpuMedians[1] / cpuMedians[0]:F2}x"));
    for (var w = 0; w < 2; w++)
    {
        Console.WriteLine($"  {(w == 0 ? "baseline" : "candidate")} stages (ms, medians): {StageMedians(stages[w])}");
    }

    Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
    return 0;
}

static int Oracle(string directory, int probeCount, int rowCount)
{
    var loaded = Workloads.LoadDirectory(directory);
    var cluster = loaded.Cluster;
    var all = WorkloadStatistics.CanonicalProbes(cluster);
    // Spread the probes over the classes (the first is port 1/TCP, usually denied everywhere).
    var probes = Enumerable.Range(0, probeCount).Select(i => all[(int)((i + 0.5) * all.Count / probeCount)]).ToList();
    var clock = Stopwatch.StartNew();
    var evaluator = PolicyEvaluator.Create(cluster);
    var matrix = ReachabilityMatrix.Compute(evaluator, probes);
    var fast = clock.Elapsed.TotalMilliseconds;

    var naive = new NaiveEvaluator(cluster);
    var n = cluster.Endpoints.Length;
    long differences = 0;
    long allowed = 0;
    clock.Restart();
    // Source rows spread evenly, so every namespace and kind of endpoint takes part.
    var rows = Math.Min(rowCount, n);
    var sources = Enumerable.Range(0, rows).Select(i => (int)((long)i * n / rows)).ToArray();
    var oracleAnswers = new bool[n];
    double oracleMs = 0;
    double fastCellsMs = 0;
    var cellClock = new Stopwatch();
    for (var p = 0; p < probes.Count; p++)
    {
        foreach (var f in sources)
        {
            var rowStart = clock.Elapsed;
            for (var t = 0; t < n; t++)
            {
                oracleAnswers[t] = naive.Evaluate(f, t, probes[p].Port, probes[p].Protocol).Allowed;
            }

            oracleMs += (clock.Elapsed - rowStart).TotalMilliseconds;
            cellClock.Start();
            for (var t = 0; t < n; t++)
            {
                var cell = matrix.Get(p, f, t).Allowed;
                allowed += cell ? 1 : 0;
                differences += cell != oracleAnswers[t] ? 1 : 0;
            }

            cellClock.Stop();
        }
    }

    fastCellsMs = cellClock.Elapsed.TotalMilliseconds;
    var checkedCells = (long)rows * n * probes.Count;
    var sampled = rows < n;
    // Per-row cost is flat, so the whole matrix would take n/rows times as long.
    var naiveFullMs = oracleMs * n / rows;
    var fastCellsFullMs = fastCellsMs * n / rows;
    var result = new Dictionary<string, object?>
    {
        ["directory"] = directory,
        ["endpoints"] = n,
        ["probes"] = probes.Select(p => p.ToString()).ToList(),
        ["cells"] = (long)n * n * probes.Count,
        ["sourceRows"] = rows,
        ["checkedCells"] = checkedCells,
        ["allowedCells"] = allowed,
        ["differences"] = differences,
        ["naiveMeasuredMs"] = oracleMs,
        ["naiveExtrapolated"] = sampled,
        ["naiveMs"] = naiveFullMs,
        ["fastMs"] = fast,
        ["fastWithCellReadoutMs"] = fast + fastCellsFullMs,
        ["speedup"] = naiveFullMs / fast,
        ["speedupWithCellReadout"] = naiveFullMs / (fast + fastCellsFullMs),
    };
    var extrapolated = sampled ? string.Create(CultureInfo.InvariantCulture, $" (whole matrix extrapolated: {naiveFullMs:F0} ms)") : "";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{directory}: {n:N0} endpoints, {probes.Count} port classes, {checkedCells:N0} of {result["cells"]:N0} cells checked ({rows:N0} source rows, {allowed:N0} allowed): naive {oracleMs:F0} ms{extrapolated}, fast {fast:F0} ms for the whole matrix (+{fastCellsFullMs:F0} ms to read every cell); speedup {naiveFullMs / fast:F0}x; {differences} differences"));
    Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
    return differences == 0 ? 0 : 1;
}

// Each timed run starts from a collected heap, as BenchmarkDotNet does, so a collection of an
// earlier run's garbage is not charged to a later one (on bigger heaps it skews ratios).
static void CollectHeap()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
}

// Per stage, the median over the runs: where a warm run spends its time.
static string StageMedians(List<StageTiming[]> runs)
    => string.Join(", ", runs[0].Select((t, i) => string.Create(CultureInfo.InvariantCulture,
        $"{t.Stage} {runs.Select(r => r[i].Elapsed.TotalMilliseconds).Order().ElementAt(runs.Count / 2):F1}")));

static double PeakRssMb()
{
    var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}
