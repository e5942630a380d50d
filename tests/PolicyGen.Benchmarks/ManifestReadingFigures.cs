using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PolicyGen.Manifests;

namespace PolicyGen.Benchmarks;

/// <summary>
/// <c>read FILE [--runs N]</c>: MB/s of reading one manifest file, in one process so the figures
/// compare: the parsers' raw rates (YamlDotNet's and SharpYaml's events, Utf8JsonReader's tokens),
/// the loader through the pruned readers (what npgen does), and through the full-tree reader
/// (what it did). Each load checks that both readers give the same object counts.
/// </summary>
public static class ManifestReadingFigures
{
    public static int Run(string file, int runs)
    {
        var bytes = File.ReadAllBytes(file);
        var megabytes = bytes.Length / 1e6;
        var json = bytes.AsSpan().TrimStart(" \t\r\n"u8) is [(byte)'{' or (byte)'[', ..];
        var kernels = new List<(string Name, Func<long> Run)>
        {
            ("YamlDotNet Parser events", () => YamlDotNetEvents(bytes)),
            ("SharpYaml 3.17 Parser events", () => SharpYamlEvents(bytes)),
        };
        if (json)
        {
            kernels.Add(("Utf8JsonReader tokens", () => JsonTokens(bytes)));
        }

        kernels.Add(("npgen pruned reader (loader)", () => Load(file, ManifestReading.Pruned)));
        kernels.Add(("full-tree reader (loader, before)", () => Load(file, ManifestReading.FullTree)));

        var result = new Dictionary<string, object?> { ["file"] = file, ["megabytes"] = megabytes, ["json"] = json };
        var counts = new Dictionary<string, long>();
        var times = kernels.ToDictionary(k => k.Name, _ => new List<double>());

        // Rounds alternate the kernels, so a busy machine slows them alike; the fastest run is the
        // least disturbed one, reported next to the median.
        for (var run = -1; run < runs; run++)
        {
            foreach (var (name, kernel) in kernels)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var clock = Stopwatch.StartNew();
                counts[name] = kernel();
                if (run >= 0)
                {
                    times[name].Add(clock.Elapsed.TotalSeconds); // run -1 warms up
                }
            }
        }

        foreach (var (name, _) in kernels)
        {
            var median = times[name].Order().ElementAt(times[name].Count / 2);
            var fastest = times[name].Min();
            result[name] = new Dictionary<string, object>
            {
                ["medianMs"] = median * 1000,
                ["fastestMs"] = fastest * 1000,
                ["mbPerSecond"] = megabytes / fastest,
                ["count"] = counts[name],
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-36} fastest {fastest * 1000,7:F0} ms {megabytes / fastest,7:F1} MB/s, median {median * 1000,7:F0} ms  ({counts[name]:N0})"));
        }

        var same = counts["npgen pruned reader (loader)"] == counts["full-tree reader (loader, before)"];
        result["sameAnswer"] = same;
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        return same ? 0 : 1;
    }

    private static long Load(string file, ManifestReading reading)
    {
        var loaded = ManifestLoader.Load([ManifestSource.FromFile(file)], null, reading);
        if (loaded.HasErrors)
        {
            throw new InvalidOperationException(string.Join("\n", loaded.Diagnostics.Take(5)));
        }

        var c = loaded.Cluster;
        return c.Endpoints.Length + c.Namespaces.Length + c.Policies.Length + loaded.Skipped.Length;
    }

    private static long YamlDotNetEvents(byte[] bytes)
    {
        using var text = new StreamReader(new MemoryStream(bytes));
        var parser = new YamlDotNet.Core.Parser(text);
        long events = 0;
        while (parser.MoveNext())
        {
            events++;
        }

        return events;
    }

    private static long SharpYamlEvents(byte[] bytes)
    {
        using var text = new StreamReader(new MemoryStream(bytes));
        var parser = SharpYaml.Parser.CreateParser(text);
        long events = 0;
        while (parser.MoveNext())
        {
            events++;
        }

        return events;
    }

    private static long JsonTokens(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 1002 });
        long tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }
}
