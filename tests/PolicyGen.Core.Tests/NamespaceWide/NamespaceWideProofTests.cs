using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Pipeline;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.NamespaceWide;

/// <summary>
/// The proof knows the namespace-wide rules: a template edit that drops or widens them fails the
/// build (NPG400) on a flow that involves a pod of no app in that namespace.
/// </summary>
public sealed class NamespaceWideProofTests : IDisposable
{
    /// <summary>Recipe 04's namespace (every pod accepts only its own namespace) and a namespace-wide egress allow-list.</summary>
    private const string Intent = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: recipes}
        spec:
          namespaces:
            secondary:
              ingress:
              - from: [{namespace: secondary}]
              calls:
              - {namespace: secondary, ports: [80/TCP]}
          apps:
            web:
              namespace: secondary
              selector: {app: web}
        """;

    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("npgen-nswide-templates-");

    public void Dispose() => scratch.Delete(recursive: true);

    /// <summary>Every bundled template in a folder, with the edits applied (each must change its file).</summary>
    private string Templates(params (string Template, string Find, string Replace)[] edits)
    {
        foreach (var name in TemplateSet.BundledNames)
        {
            var text = TemplateSet.Bundled(name)!;
            foreach (var (_, find, replace) in edits.Where(e => e.Template == name))
            {
                Assert.True(text.Contains(find, StringComparison.Ordinal), $"{name} has no \"{find}\" to edit");
                text = text.Replace(find, replace, StringComparison.Ordinal);
            }

            File.WriteAllText(Path.Join(scratch.FullName, name), text);
        }

        Assert.All(edits, e => Assert.Contains(e.Template, TemplateSet.BundledNames));
        return scratch.FullName;
    }

    private static BuildResult Build(string? templates) => BuildPipeline.Run(LoadValid(Intent), new BuildOptions { TemplatesDirectory = templates });

    /// <summary>How the proof names the witness pod of secondary that no app selects.</summary>
    private const string NoAppPod = "a pod in namespace secondary that no app selects";

    [Fact]
    public void The_bundled_namespace_templates_prove_equal_to_the_intent()
    {
        var result = Build(Templates());
        Assert.True(result.Succeeded, Dump(result.Diagnostics));
        Assert.Empty(result.Verification!.Mismatches);
        Assert.Contains(result.Policies, p => p.TemplatePath.EndsWith("namespace-ingress.sbn", StringComparison.Ordinal));
    }

    [Fact]
    public void A_namespace_ingress_template_that_drops_the_rules_fails_the_proof_on_a_pod_of_no_app()
    {
        var result = Build(Templates(("namespace-ingress.sbn", "ingress:{{ if policy.ingress.size == 0 }} []{{ end }}", "ingress: []"),
            ("namespace-ingress.sbn", "{{ include \"_rules.sbn\" ~}}", "")));
        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.VerificationMismatch);
        // That pod belongs to no app: only the namespace-wide rule allowed it to be reached.
        Assert.Contains(result.Verification!.Mismatches, m => m.To == NoAppPod && m.IntentAllows && !m.PoliciesAllow);
    }

    [Fact]
    public void A_namespace_ingress_template_that_widens_the_rules_fails_the_proof()
    {
        var result = Build(Templates(("namespace-ingress.sbn", "ingress:{{ if policy.ingress.size == 0 }} []{{ end }}", "ingress:\n  - {}"),
            ("namespace-ingress.sbn", "{{ include \"_rules.sbn\" ~}}", "")));
        Assert.False(result.Succeeded);
        Assert.Contains(result.Verification!.Mismatches, m => m.To == NoAppPod && !m.From.StartsWith("secondary/", StringComparison.Ordinal) && !m.IntentAllows && m.PoliciesAllow);
    }

    [Fact]
    public void A_namespace_egress_template_that_drops_the_rules_fails_the_proof()
    {
        var result = Build(Templates(("namespace-egress.sbn", "egress:{{ if policy.egress.size == 0 }} []{{ end }}", "egress: []"),
            ("namespace-egress.sbn", "{{ include \"_rules.sbn\" ~}}", "")));
        Assert.False(result.Succeeded);
        Assert.Contains(result.Verification!.Mismatches, m => m.From == NoAppPod && m.IntentAllows && !m.PoliciesAllow);
    }
}
