using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Manifests;
using PolicyGen.Pipeline;
using PolicyGen.Tests.Shared;

namespace PolicyGen.Core.Tests.ClusterIntent;

/// <summary>
/// <c>spec.cluster</c> through a whole build: rendered by the templates (golden), readable by the
/// evaluator's own reader, one priority per object, and proven layer by layer: a template that
/// changes what the cluster-wide policies mean fails the proof, naming a namespace the intent never names.
/// </summary>
public sealed class ClusterBuildTests : IDisposable
{
    private static readonly string Root = ConformanceCase.RepositoryRoot();
    private static readonly string Example = Path.Combine(Root, "examples", "cluster-baseline", "intents.yaml");
    private static readonly string Golden = Path.Combine(Root, "tests", "PolicyGen.Core.Tests", "ClusterIntent", "golden");
    private readonly string templates = Path.Combine(Path.GetTempPath(), "npgen-cluster-templates-" + Guid.NewGuid().ToString("N"));

    public ClusterBuildTests() => Directory.CreateDirectory(templates);

    public void Dispose() => Directory.Delete(templates, recursive: true);

    private static BuildResult Build(ClusterOutputKind? output = null, string? templatesDirectory = null)
        => BuildPipeline.Run(Example, new BuildOptions { ClusterOutput = output, TemplatesDirectory = templatesDirectory });

    private static string ClusterStream(BuildResult build) => string.Concat(build.ClusterPolicies.Select(p => "---\n" + p.Yaml));

    private void Override(string template, string from, string to)
    {
        var text = TemplateSet.Bundled(template)!;
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(templates, template), text.Replace(from, to, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ClusterOutputKind.AdminNetworkPolicy, "anp-banp-v1alpha1.yaml")]
    [InlineData(ClusterOutputKind.ClusterNetworkPolicy, "cnp-v1alpha2.yaml")]
    public void Each_output_kind_renders_its_golden_objects_and_proves(ClusterOutputKind output, string golden)
    {
        var build = Build(output);
        Assert.True(build.Succeeded, string.Join('\n', build.Diagnostics));
        var path = Path.Combine(Golden, golden);
        if (Environment.GetEnvironmentVariable("NPGEN_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Golden);
            File.WriteAllText(path, ClusterStream(build));
        }

        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), ClusterStream(build));
        Assert.Equal(ClusterStream(build), ClusterStream(Build(output))); // deterministic
    }

    [Theory]
    [InlineData(ClusterOutputKind.AdminNetworkPolicy)]
    [InlineData(ClusterOutputKind.ClusterNetworkPolicy)]
    public void The_evaluators_reader_reads_every_object_back_without_a_word_and_no_two_share_a_priority(ClusterOutputKind output)
    {
        var build = Build(output);
        var loaded = ManifestLoader.LoadText("out.yaml", ClusterStream(build));
        Assert.Empty(loaded.Diagnostics);
        Assert.Equal(build.ClusterPolicies.Select(p => $"{p.Plan.Name}={p.Plan.Priority}").Order(StringComparer.Ordinal),
            loaded.Cluster.ClusterPolicies.Select(p => $"{p.Name}={p.Priority}").Order(StringComparer.Ordinal));
        var admin = build.ClusterPolicies.Where(p => p.Plan.Tier == "Admin").Select(p => p.Plan.Priority!.Value).ToList();
        Assert.Equal(Enumerable.Range(20, admin.Count), admin); // written in priority order, one number each
    }

    [Fact]
    public void A_template_that_turns_the_admin_Allow_into_Pass_fails_the_proof_at_a_namespace_the_intent_never_names()
    {
        Override("_cluster_rules_v1alpha1.sbn", "action: {{ q rule.action }}",
            "action: {{ if rule.action == \"Allow\" && policy.kind == \"AdminNetworkPolicy\" }}Pass{{ else }}{{ q rule.action }}{{ end }}");
        var build = Build(templatesDirectory: templates);
        Assert.False(build.Succeeded);
        var mismatches = build.Diagnostics.Where(d => d.Code == DiagnosticCodes.VerificationMismatch).ToList();
        Assert.Contains(mismatches, d => d.Message.Contains("npgen-created-later", StringComparison.Ordinal)
            && d.Message.Contains("DNS", StringComparison.Ordinal) && d.Message.Contains("baseline tier", StringComparison.Ordinal));
        Assert.Contains("_cluster_rules_v1alpha1.sbn", mismatches[0].Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_baseline_template_without_its_ingress_rule_fails_the_proof_for_new_namespaces()
    {
        Override("baseline-admin-network-policy.sbn", "{{~ if policy.ingress.size > 0 ~}}", "{{~ if false ~}}");
        var build = Build(templatesDirectory: templates);
        Assert.Contains(build.Diagnostics, d => d.Code == DiagnosticCodes.VerificationMismatch
            && d.Message.Contains("-> npgen-created-later/any-pod", StringComparison.Ordinal)
            && d.Message.Contains("the intent denies it", StringComparison.Ordinal));
    }

    [Fact]
    public void A_ClusterNetworkPolicy_template_that_drops_the_protection_fails_the_proof()
    {
        Override("cluster-network-policy.sbn", "  tier: {{ q policy.tier }}", "  tier: {{ if policy.name | string.contains \"protect\" }}Baseline{{ else }}{{ q policy.tier }}{{ end }}");
        var build = Build(ClusterOutputKind.ClusterNetworkPolicy, templates);
        Assert.False(build.Succeeded);
        Assert.Contains(build.Diagnostics, d => d.Code == DiagnosticCodes.VerificationMismatch && d.Message.Contains("-> vault/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_template_writing_what_the_API_server_refuses_is_NPG336()
    {
        Override("admin-network-policy.sbn", "  priority: {{ policy.priority }}", "  priority: {{ policy.priority + 5000 }}");
        var build = Build(templatesDirectory: templates);
        Assert.Contains(build.Diagnostics, d => d.Code == DiagnosticCodes.ClusterPolicyInvalid && d.Message.Contains("spec.priority", StringComparison.Ordinal));
        Assert.Empty(build.ClusterPolicies.Where(p => p.Plan.Tier == "Admin"));
    }

    [Fact]
    public void An_intent_without_the_section_builds_no_cluster_object()
    {
        var build = BuildPipeline.Run(Path.Combine(Root, "examples", "bookstore", "intents.yaml"), new BuildOptions { ClusterOutput = ClusterOutputKind.ClusterNetworkPolicy });
        Assert.True(build.Succeeded);
        Assert.Empty(build.ClusterPolicies);
        Assert.DoesNotContain("policy.networking.k8s.io", BuildOutput.Stream(build), StringComparison.Ordinal);
    }
}
