using System.Text.Json;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// npgen matrix -o json at scale (the grouped form) and npgen bench gen: the grouped answer must
/// mean exactly what the per-pair results say, and a generated workload must be byte-identical
/// for a seed, load cleanly and build from its intent.
/// </summary>
public sealed class MatrixJsonAndBenchTests
{
    [Fact]
    public void Grouped_json_means_the_same_as_the_pair_list()
    {
        var dir = Directory.CreateTempSubdirectory("npgen-bench-").FullName;
        try
        {
            var gen = Npgen.Run("bench", "gen", "--preset", "S", "--seed", "7", "-o", dir);
            Assert.True(gen.ExitCode == 0, gen.ToString());
            var run = Npgen.Run("matrix", "-f", Path.Combine(dir, "manifests"), "-o", "json", "--pairs", "always");
            Assert.True(run.ExitCode == 0, run.ToString());
            using var json = JsonDocument.Parse(run.StdOut);
            var root = json.RootElement;
            var endpoints = root.GetProperty("endpoints").EnumerateArray().Select(e => (Id: e.GetProperty("id").GetString()!, Kind: e.GetProperty("kind").GetString()!, Group: e.GetProperty("group").GetInt32())).ToList();
            var rows = root.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().Select(x => (x[0].GetInt32(), x[1].GetInt32())).ToList()).ToList();
            var ports = root.GetProperty("ports").EnumerateArray().Select(p => (p.GetProperty("port").GetInt32(), p.GetProperty("protocol").GetString()!)).ToList();
            var egress = root.GetProperty("egress").EnumerateArray().Select(a => a.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? -1 : v.GetInt32()).ToArray()).ToList();
            var ingress = root.GetProperty("ingress").EnumerateArray().Select(a => a.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? -1 : v.GetInt32()).ToArray()).ToList();
            var index = endpoints.Select((e, i) => (e.Id, i)).ToDictionary(x => x.Id, x => x.i);
            var portIndex = ports.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
            bool In(int row, int group) => row < 0 || rows[row].Any(r => group >= r.Item1 && group < r.Item2);
            var checkedCells = 0;
            foreach (var cell in root.GetProperty("results").EnumerateArray())
            {
                var f = index[cell.GetProperty("from").GetString()!];
                var t = index[cell.GetProperty("to").GetString()!];
                var p = portIndex[(cell.GetProperty("port").GetInt32(), cell.GetProperty("protocol").GetString()!)];
                var self = f == t && endpoints[f].Kind == "Pod";
                var eg = self || In(egress[p][endpoints[f].Group], endpoints[t].Group);
                var ing = self || In(ingress[p][endpoints[t].Group], endpoints[f].Group);
                Assert.Equal(cell.GetProperty("egress").GetBoolean(), eg);
                Assert.Equal(cell.GetProperty("ingress").GetBoolean(), ing);
                Assert.Equal(cell.GetProperty("allowed").GetBoolean(), eg && ing);
                checkedCells++;
            }

            Assert.Equal(endpoints.Count * endpoints.Count * ports.Count, checkedCells);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Bench_gen_is_byte_identical_for_a_seed_and_its_intent_builds()
    {
        var a = Directory.CreateTempSubdirectory("npgen-bench-a-").FullName;
        var b = Directory.CreateTempSubdirectory("npgen-bench-b-").FullName;
        try
        {
            foreach (var dir in new[] { a, b })
            {
                var gen = Npgen.Run("bench", "gen", "--preset", "S", "--seed", "42", "-o", dir);
                Assert.True(gen.ExitCode == 0, gen.ToString());
            }

            foreach (var file in Directory.EnumerateFiles(a, "*", SearchOption.AllDirectories))
            {
                var other = Path.Combine(b, Path.GetRelativePath(a, file));
                Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(other)), $"{file} differs between two runs");
            }

            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(a, "manifest.json")));
            var expected = manifest.RootElement.GetProperty("expected");
            Assert.Equal(64, expected.GetProperty("reachability").GetProperty("sha256").GetString()!.Length);
            Assert.True(expected.GetProperty("identities").GetInt32() > 0);

            var build = Npgen.Run("verify", Path.Combine(a, "intent.yaml"));
            Assert.True(build.ExitCode == 0, build.ToString());

            var other2 = Npgen.Run("bench", "gen", "--preset", "S", "--seed", "43", "-o", b);
            Assert.Equal(0, other2.ExitCode);
            Assert.NotEqual(File.ReadAllText(Path.Combine(a, "manifests", "policies.yaml")), File.ReadAllText(Path.Combine(b, "manifests", "policies.yaml")));
        }
        finally
        {
            Directory.Delete(a, recursive: true);
            Directory.Delete(b, recursive: true);
        }
    }

    [Fact]
    public void Bench_gen_says_when_the_reachability_digest_matches_the_naive_oracle()
    {
        // S seed 1 is in the shipped table of digests the naive oracle computed (OracleDigestTableTests).
        var dir = Directory.CreateTempSubdirectory("npgen-bench-oracle-").FullName;
        try
        {
            var gen = Npgen.Run("bench", "gen", "--preset", "S", "--seed", "1", "-o", dir);
            Assert.True(gen.ExitCode == 0, gen.ToString());
            Assert.Contains("= oracle", gen.StdOut);
            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
            var reachability = manifest.RootElement.GetProperty("expected").GetProperty("reachability");
            Assert.True(reachability.GetProperty("matchesOracle").GetBoolean());
            Assert.Equal(reachability.GetProperty("sha256").GetString(), reachability.GetProperty("oracleSha256").GetString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Bench_gen_rejects_unknown_parameters_with_the_list_of_keys()
    {
        var run = Npgen.Run("bench", "gen", "--preset", "S", "--set", "podz=3", "-o", Path.GetTempPath());
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown parameter \"podz\"", run.StdErr);
        Assert.Contains("namespaces", run.StdErr);
    }

    [Fact]
    public void A_usage_error_in_a_subcommand_points_at_that_subcommands_help()
    {
        var run = Npgen.Run("bench", "gen", "--preset", "XL", "-o", Path.GetTempPath());
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'XL' not recognized", run.StdErr);
        Assert.Contains("Run 'npgen bench gen --help' for usage and examples.", run.StdErr);

        var seed = Npgen.Run("bench", "gen", "--preset", "S", "--seed", "-3", "-o", Path.GetTempPath());
        Assert.Equal(2, seed.ExitCode);
        Assert.Contains("--seed: \"-3\" is not a seed; use a whole number from 0 to 18446744073709551615", seed.StdErr);
    }
}
