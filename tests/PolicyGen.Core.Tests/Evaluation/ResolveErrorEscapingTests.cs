using PolicyGen.Evaluation;
using PolicyGen.Manifests;

namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>An unknown name lists the namespace's pods: names from the manifests stay on one line, escaped.</summary>
public sealed class ResolveErrorEscapingTests
{
    [Fact]
    public void A_pod_name_with_a_newline_or_escape_is_listed_escaped_on_one_line()
    {
        const string Yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"a\\nb\\u001b[2J\"\n  namespace: x\n";
        var evaluator = PolicyEvaluator.Create(ManifestLoader.LoadText("pods.yaml", Yaml).Cluster);
        Assert.False(evaluator.TryResolve("x/q\u001b[31m", out _, out var error));
        Assert.NotNull(error);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain('\u001b', error);
        Assert.Contains("x/a", error);
    }
}
