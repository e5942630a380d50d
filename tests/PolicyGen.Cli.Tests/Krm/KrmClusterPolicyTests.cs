namespace PolicyGen.Cli.Tests.Krm;

/// <summary>
/// spec.cluster under kustomize: the KRM function and the legacy exec plugin hand on the cluster-scoped
/// policies `npgen build` writes, and never replace a cluster policy someone else wrote.
/// </summary>
public sealed class KrmClusterPolicyTests : IDisposable
{
    private const string Config = "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntentGenerator\nmetadata:\n  name: baseline\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\nspec:\n  intent: intents.yaml\n";

    private readonly string directory = Directory.CreateTempSubdirectory("npgen-krm-cluster-").FullName;

    public KrmClusterPolicyTests()
        => File.Copy(Path.Combine(Npgen.Repo, "examples", "cluster-baseline", "intents.yaml"), Path.Combine(directory, "intents.yaml"));

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Indent(string yaml) => yaml.Replace("\n", "\n  ", StringComparison.Ordinal).TrimEnd();

    private static int Count(string text, string kind) => text.Split('\n').Count(l => l.Trim() == $"kind: {kind}");

    [Fact]
    public void The_function_emits_the_same_cluster_policies_as_npgen_build()
    {
        var build = Npgen.Run("build", Path.Combine(directory, "intents.yaml"));
        Assert.Equal(0, build.ExitCode);
        var input = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n  " + Indent(Config) + "\n";
        var run = Npgen.RunIn(directory, null, input, "krm");
        Assert.Equal(0, run.ExitCode);
        foreach (var kind in new[] { "NetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy" })
        {
            Assert.True(Count(build.StdOut, kind) > 0, kind);
            Assert.Equal(Count(build.StdOut, kind), Count(run.StdOut, kind));
        }

        Assert.Contains("config.kubernetes.io/path: \"netpol/cluster_scoped/baselineadminnetworkpolicy-default.yaml\"", run.StdOut);
        Assert.Contains("cluster-scoped policies", run.StdOut);
    }

    [Fact]
    public void A_hand_written_baseline_policy_in_the_input_is_refused_not_replaced()
    {
        const string Foreign = "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata:\n  name: default\nspec:\n  subject:\n    namespaces: {}\n  ingress: []\n";
        var input = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- " + Indent(Foreign) + "\nfunctionConfig:\n  " + Indent(Config) + "\n";
        var run = Npgen.RunIn(directory, null, input, "krm");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("NPG713", run.StdErr + run.StdOut);
        Assert.Contains("BaselineAdminNetworkPolicy", run.StdErr + run.StdOut);
    }
}
