using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PolicyGen.Evaluation;
using PolicyGen.Manifests;
using PolicyGen.Workloads;

namespace PolicyGen.Benchmarks;

/// <summary>
/// <c>dump DIR</c>: reading a kubectl-style dump (npgen bench gen --style kubectl) against the
/// parser's own rate on the same bytes, in one process. The raw rate is the floor under any reader:
/// Utf8JsonReader walking every token (JSON), YamlDotNet's Parser producing every event (YAML).
/// npgen's rate is its manifest reader over the same file (as <c>npgen matrix -f</c> reads it). The answer is checked: the reachability
/// digest of what was read must be the one in manifest.json (the plain output's).
/// </summary>
public static class DumpKernel
{
    public static int Run(string directory, int runs)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, WorkloadFiles.ManifestFile)));
        var root = manifest.RootElement;
        var file = root.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!)
            .Single(p => p.StartsWith(WorkloadFiles.ManifestsDirectory + "/", StringComparison.Ordinal));
        var path = Path.Combine(directory, file);
        var bytes = new FileInfo(path).Length;
        var json = path.EndsWith(".json", StringComparison.Ordinal);

        int Walk() => json ? WalkJson(path) : WalkYaml(path);
        Walk(); // warm-up: the parser's code is compiled before it is timed, as npgen's is by its first read below
        var raw = Median(runs, Walk);
        LoadResult? loaded = null;
        var first = Time(() => loaded = WorkloadFiles.ReadManifests(directory));
        var read = Median(runs, () => WorkloadFiles.ReadManifests(directory));
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var collections = GC.CollectionCount(0);
        WorkloadFiles.ReadManifests(directory);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        collections = GC.CollectionCount(0) - collections;
        var (answer, owned) = Check(loaded!, root.GetProperty("expected").GetProperty("reachability"));
        var pods = loaded!.Cluster.Endpoints.Count(e => e.Kind == "Pod");
        double Rate(double ms) => bytes / 1e6 / (ms / 1000);
        var result = new Dictionary<string, object?>
        {
            ["file"] = file,
            ["format"] = json ? "json" : "yaml",
            ["bytes"] = bytes,
            ["pods"] = pods,
            ["bytesPerPod"] = pods == 0 ? 0 : bytes / pods,
            ["rawParser"] = json ? "System.Text.Json Utf8JsonReader (every token)" : "YamlDotNet Parser (every event)",
            ["rawMs"] = raw,
            ["rawMBps"] = Rate(raw),
            ["readFirstMs"] = first,
            ["readMs"] = read,
            ["readMBps"] = Rate(read),
            ["readShareOfRaw"] = raw / read,
            ["readAllocatedMB"] = allocated / 1e6,
            ["readGen0Collections"] = collections,
            ["ownedWorkloadsRead"] = owned,
            ["answer"] = answer,
            ["runs"] = runs,
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}: {bytes / 1e6:F1} MB, {pods:N0} pods ({(pods == 0 ? 0 : bytes / pods):N0} bytes per pod); raw parser {Rate(raw):F0} MB/s, npgen reads {Rate(read):F0} MB/s ({100 * raw / read:F0} % of raw; first read {first:F0} ms; {allocated / 1e6:F0} MB allocated per read, {collections} gen0 collections); answer: {answer}"));
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        return answer.StartsWith("DIFFERENT", StringComparison.Ordinal) ? 1 : 0;
    }

    /// <summary>
    /// The digest of what was read, against manifest.json. A reader that counts the dump's
    /// Deployments and ReplicaSets next to their pods reads more endpoints than the cluster has; the
    /// pods' digest is then what is compared, and the result says so.
    /// </summary>
    private static (string Answer, int Owned) Check(LoadResult loaded, JsonElement expected)
    {
        if (loaded.HasErrors)
        {
            return ("DIFFERENT: the dump does not load cleanly: " + loaded.Diagnostics.First(d => d.Severity == Diagnostics.Severity.Error), 0);
        }

        if (expected.GetProperty("sha256").ValueKind != JsonValueKind.String)
        {
            return ("not checked (manifest.json has no digest)", 0);
        }

        var cluster = loaded.Cluster;
        var owned = cluster.Endpoints.Count(e => e.Kind != "Pod");
        var pods = owned == 0 ? cluster : cluster with { Endpoints = [.. cluster.Endpoints.Where(e => e.Kind == "Pod")] };
        var sha = ReachabilityDigest.Sha256(PolicyEvaluator.Create(pods), WorkloadStatistics.CanonicalProbes(pods));
        return sha != expected.GetProperty("sha256").GetString() ? ($"DIFFERENT: digest {sha[..16]}", owned)
            : owned == 0 ? ("same digest as the plain output", 0)
            : ($"same pods' digest as the plain output; {owned} Deployments/ReplicaSets read as endpoints of their own", owned);
    }

    private static int WalkJson(string path)
    {
        var data = File.ReadAllBytes(path);
        var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 256 });
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    private static int WalkYaml(string path)
    {
        using var text = new StreamReader(path);
        var parser = new YamlDotNet.Core.Parser(text);
        var events = 0;
        while (parser.MoveNext())
        {
            events++;
        }

        return events;
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median<T>(int runs, Func<T> action)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            times.Add(Time(() => action()));
        }

        return times.Order().ElementAt(times.Count / 2);
    }
}
