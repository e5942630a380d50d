using PolicyGen.Evaluation;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Tests.Shared;
using PolicyGen.Validation;

namespace PolicyGen.Core.Tests.Conformance;

/// <summary>Every case in tests/conformance (S17) through the library: matrix, single queries and validation.</summary>
public sealed class ConformanceTests
{
    public static TheoryData<string> Cases() => new(ConformanceCase.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matrix_matches_the_hand_written_truth_table(string name)
    {
        var @case = ConformanceCase.Load(name);
        var evaluator = Load(@case);
        var probes = @case.Probes.Select(p => new PortProbe(p.Port, Parse(p.Protocol))).ToList();
        var matrix = ReachabilityMatrix.Compute(evaluator, probes);
        var endpoints = evaluator.Cluster.Endpoints;

        var mismatches = new List<string>();
        for (var i = 0; i < probes.Count; i++)
        {
            foreach (var ((from, to), expected) in @case.Probes[i].Cells)
            {
                var f = endpoints.IndexOf(endpoints.Single(e => e.Id == from));
                var t = endpoints.IndexOf(endpoints.Single(e => e.Id == to));
                var actual = matrix.Get(i, f, t).Allowed;
                if (actual != expected)
                {
                    mismatches.Add($"{from} -> {to} {probes[i]}: expected {(expected ? "allowed" : "denied")}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, $"{@case.Title}\n{string.Join("\n", mismatches)}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Single_queries_agree_with_the_truth_table(string name)
    {
        var @case = ConformanceCase.Load(name);
        var evaluator = Load(@case);
        var expectations = @case.Probes
            .SelectMany(p => p.Cells.Select(c => new ExpectedConnection(c.Key.From, c.Key.To, p.Port, p.Protocol, c.Value)))
            .Concat(@case.Queries);

        foreach (var query in expectations)
        {
            Assert.True(evaluator.TryResolve(query.From, out var from, out var error), error);
            Assert.True(evaluator.TryResolve(query.To, out var to, out error), error);
            var verdict = evaluator.Evaluate(from!, to!, query.Port, Parse(query.Protocol));
            Assert.True(query.Allowed == verdict.Allowed,
                $"{@case.Title}: {query.From} -> {query.To} {query.Port}/{query.Protocol}: expected {query.Allowed}, " +
                $"egress: {verdict.Egress.Reason}; ingress: {verdict.Ingress.Reason}");
            Assert.Equal(verdict.Allowed, evaluator.IsAllowed(from!, to!, query.Port, Parse(query.Protocol)));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_conformance_policy_passes_API_validation(string name)
    {
        var @case = ConformanceCase.Load(name);
        var result = ManifestLoader.Load([new ManifestSource(@case.PoliciesFile, File.ReadAllText(@case.PoliciesFile))]);
        Assert.Empty(result.Diagnostics);
        Assert.All(result.Cluster.Policies, p => Assert.Empty(PolicyValidator.Validate(p)));
    }

    private static PolicyEvaluator Load(ConformanceCase @case)
    {
        var result = ManifestLoader.Load(
            [new ManifestSource(@case.ClusterFile, File.ReadAllText(@case.ClusterFile)),
             new ManifestSource(@case.PoliciesFile, File.ReadAllText(@case.PoliciesFile))]);
        Assert.Empty(result.Diagnostics);
        return PolicyEvaluator.Create(result.Cluster);
    }

    private static Protocol Parse(string protocol)
        => ProtocolNames.TryParse(protocol, out var p) ? p : throw new InvalidDataException(protocol);
}
