using System.Text.Json;
using PolicyGen.Tests.Shared;

namespace PolicyGen.Cli.Tests;

/// <summary>Every conformance case (S17) through the built CLI: npgen matrix -o json and npgen eval -o json.</summary>
public sealed class ConformanceCliTests
{
    public static TheoryData<string> Cases() => new(ConformanceCase.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matrix_json_matches_the_truth_table(string name)
    {
        var @case = ConformanceCase.Load(name);
        var args = new List<string> { "matrix", "-f", @case.ClusterFile, "-f", @case.PoliciesFile, "-o", "json", "--pairs" };
        foreach (var probe in @case.Probes)
        {
            args.AddRange(["--port", $"{probe.Port}/{probe.Protocol}"]);
        }

        var run = Npgen.Run([.. args]);
        Assert.True(run.ExitCode == 0, run.ToString());

        using var json = JsonDocument.Parse(run.StdOut);
        var results = json.RootElement.GetProperty("results").EnumerateArray()
            .ToDictionary(r => (r.GetProperty("from").GetString()!, r.GetProperty("to").GetString()!,
                r.GetProperty("port").GetInt32(), r.GetProperty("protocol").GetString()!));
        Assert.Equal(@case.Probes.Sum(p => p.Cells.Count), results.Count);
        foreach (var probe in @case.Probes)
        {
            foreach (var ((from, to), expected) in probe.Cells)
            {
                var result = results[(from, to, probe.Port, probe.Protocol)];
                Assert.True(expected == result.GetProperty("allowed").GetBoolean(),
                    $"{@case.Title}: {from} -> {to} {probe.Port}/{probe.Protocol} expected {(expected ? "allowed" : "denied")}");
                // S8.1: allowed is exactly the conjunction of the two halves, except for self traffic (S12).
                if (from != to)
                {
                    Assert.Equal(result.GetProperty("allowed").GetBoolean(),
                        result.GetProperty("ingress").GetBoolean() && result.GetProperty("egress").GetBoolean());
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Eval_json_answers_the_queries_and_sample_cells(string name)
    {
        var @case = ConformanceCase.Load(name);
        var probe = @case.Probes[0];
        var samples = @case.Queries
            .Concat(probe.Cells.Where(c => c.Key.From != c.Key.To).GroupBy(c => c.Value).Select(g => g.First())
                .Select(c => new ExpectedConnection(c.Key.From, c.Key.To, probe.Port, probe.Protocol, c.Value)));

        foreach (var query in samples)
        {
            var run = Npgen.Run("eval", "-f", @case.ClusterFile, "-f", @case.PoliciesFile,
                "--from", query.From, "--to", query.To, "--port", $"{query.Port}/{query.Protocol}", "-o", "json");
            Assert.True(run.ExitCode == 0, run.ToString());
            using var json = JsonDocument.Parse(run.StdOut);
            var root = json.RootElement;
            Assert.Equal(query.From, root.GetProperty("from").GetString());
            Assert.Equal(query.To, root.GetProperty("to").GetString());
            Assert.Equal(query.Port, root.GetProperty("port").GetInt32());
            Assert.Equal(query.Protocol, root.GetProperty("protocol").GetString());
            Assert.True(query.Allowed == root.GetProperty("allowed").GetBoolean(), $"{@case.Title}: {query}\n{run.StdOut}");
            Assert.Equal(root.GetProperty("allowed").GetBoolean(),
                root.GetProperty("ingress").GetBoolean() && root.GetProperty("egress").GetBoolean());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("explanation").GetProperty("ingress").GetProperty("reason").GetString()));
        }
    }
}
