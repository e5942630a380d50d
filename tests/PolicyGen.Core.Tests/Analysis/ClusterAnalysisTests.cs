using PolicyGen.Analysis;
using PolicyGen.Diagnostics;
using PolicyGen.Tests.Shared;

namespace PolicyGen.Core.Tests.Analysis;

/// <summary>The front half of eval and matrix: each stage's result, and the first failing stage stops the rest.</summary>
public sealed class ClusterAnalysisTests : IDisposable
{
    private static readonly string Example = Path.Combine(ConformanceCase.RepositoryRoot(), "examples", "cluster");
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-analysis-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private static ClusterAnalysisResult Run(string[] files, string stdin = "", AnalysisIntent? intent = null)
        => ClusterAnalysis.Run(new ClusterAnalysisRequest { Files = [.. files], StandardInput = () => new StringReader(stdin), Intent = intent });

    [Fact]
    public void Usable_manifests_give_an_evaluator_and_the_time_of_each_stage()
    {
        var result = Run([Example]);

        Assert.NotNull(result.Evaluator);
        Assert.NotNull(result.Load.Cluster);
        Assert.Empty(result.PolicyErrors);
        Assert.Equal(["read manifests", "check policies"], result.Timings.Take(2).Select(t => t.Stage));
    }

    [Fact]
    public void A_missing_file_stops_at_the_input_with_its_error()
    {
        var result = Run([Path.Combine(temp, "nope.yaml")]);

        Assert.Null(result.Load.Cluster);
        Assert.Null(result.Evaluator);
        Assert.Equal(1, result.Load.ErrorCount);
        Assert.Null(result.Intent);
    }

    [Fact]
    public void A_policy_the_API_server_would_reject_is_named_and_nothing_is_evaluated()
    {
        var policy = Path.Combine(temp, "bad.yaml");
        File.WriteAllText(policy, """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: bad, namespace: shop}
            spec:
              podSelector: {}
              ingress:
              - from:
                - ipBlock: {cidr: 10.0.0.0/33}
            """);

        var result = Run([policy]);

        Assert.Null(result.Evaluator);
        var error = Assert.Single(result.PolicyErrors);
        Assert.Equal("shop/bad", error.Policy.Id);
        Assert.Contains("bad.yaml:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_intent_and_manifests_both_from_stdin_are_refused_before_anything_is_read()
    {
        var result = Run(["-"], stdin: File.ReadAllText(Path.Combine(Example, "namespaces.yaml")), intent: new AnalysisIntent("-", null, [], "eval -f MANIFESTS --intent"));

        Assert.Null(result.Evaluator);
        Assert.Equal(DiagnosticCodes.StdinReadTwice, result.Intent?.ReadError?.Code);
        Assert.Null(result.Intent?.Build);
    }
}
