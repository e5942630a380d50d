using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Pipeline;
using PolicyGen.Tests.Shared;
using PolicyGen.Verify;

namespace PolicyGen.Core.Tests.Verify;

/// <summary>
/// The rendered check on npgen's own output, edited the way kustomize transformers edit it: the
/// untouched stream is proven, every change that alters meaning or ownership fails with the cause.
/// </summary>
public sealed class RenderedVerifierTests
{
    private static readonly string Intent = Path.Combine(ConformanceCase.RepositoryRoot(), "kustomize-plugin", "examples", "legacy", "base", "intents.yaml");

    private static readonly BuildResult Build = BuildPipeline.Run(Intent, new BuildOptions { Environment = "prod" });

    private static RenderedVerification Check(string stream) => RenderedVerifier.Verify(Build, [new ManifestSource("rendered.yaml", stream)]);

    private static string Stream => BuildOutput.Stream(Build);

    private static List<string> Errors(RenderedVerification check) => [.. check.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Code)];

    [Fact]
    public void The_build_output_itself_is_proven_with_other_objects_around_it()
    {
        Assert.True(Build.Succeeded);
        var stream = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: store}\n" + Stream;
        var check = Check(stream);
        Assert.True(check.Succeeded, string.Join("\n", check.Diagnostics));
        Assert.Equal(Build.Policies.Length, check.PoliciesFound);
        Assert.True(check.Proof!.FlowsChecked > 0);
    }

    [Fact]
    public void A_moved_namespace_names_the_namespace_transformer()
    {
        var check = Check(Stream.Replace("  namespace: store\n", "  namespace: store-prod\n", StringComparison.Ordinal));
        var error = Assert.Single(check.Diagnostics, d => d.Code == DiagnosticCodes.RenderedNamespaceChanged);
        Assert.Contains("from store to store-prod", error.Message);
        Assert.Contains("`namespace:`", error.Message);
        Assert.Contains(DiagnosticCodes.RenderedFlowMismatch, Errors(check));
        Assert.False(check.IsInputError);
    }

    [Fact]
    public void A_label_added_to_every_pod_selector_names_commonLabels_and_the_DNS_peer()
    {
        var check = Check(System.Text.RegularExpressions.Regex.Replace(Stream, "^( +)app: ", "$1team: store\n$1app: ", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Replace("          k8s-app: kube-dns\n", "          k8s-app: kube-dns\n          team: store\n", StringComparison.Ordinal));
        var error = Assert.Single(check.Diagnostics, d => d.Code == DiagnosticCodes.RenderedSelectorLabelsAdded);
        Assert.Contains("added team=store to spec.podSelector", error.Message);
        Assert.Contains("the DNS peer kube-system/{k8s-app=kube-dns}", error.Message);
        Assert.Contains("includeSelectors: false", error.Hint);
        Assert.Contains(DiagnosticCodes.RenderedFlowMismatch, Errors(check));
    }

    [Fact]
    public void A_prefix_on_every_name_fails_although_the_meaning_is_unchanged()
    {
        var check = Check(Stream.Replace("  name: ", "  name: prod-", StringComparison.Ordinal));
        Assert.Equal([DiagnosticCodes.RenderedNameChanged], Errors(check).Distinct());
        Assert.Contains("`namePrefix: prod-`", check.Diagnostics.Single(d => d.Severity == Severity.Error).Message);
        Assert.Empty(check.Proof!.Mismatches);
    }

    [Fact]
    public void A_widened_rule_names_the_field_and_a_patch()
    {
        var text = Stream;
        var at = text.IndexOf("      port: 8080\n", StringComparison.Ordinal);
        Assert.True(at > 0);
        var check = Check(text.Insert(at + "      port: 8080\n".Length, "    - protocol: TCP\n      port: 9090\n"));
        var error = Assert.Single(check.Diagnostics, d => d.Code == DiagnosticCodes.RenderedRuleChanged);
        Assert.Contains("store/web-ingress", error.Message);
        Assert.Contains("spec.ingress[0].ports[1] was added (9090/TCP)", error.Message);
        Assert.Contains("patches:", error.Message);
        Assert.Equal("rendered.yaml", error.Location?.File);
        Assert.Contains(check.Diagnostics, d => d.Code == DiagnosticCodes.RenderedFlowMismatch && d.Message.Contains("9090/TCP", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_policy_and_a_stale_extra_one_are_both_named()
    {
        var documents = Stream.Split("---\n").ToList();
        var webIngress = documents.Single(d => d.Contains("name: web-ingress\n", StringComparison.Ordinal));
        documents.Remove(webIngress);
        // A stale policy of an app the intent no longer has.
        documents.Add(webIngress.Replace("name: web-ingress\n", "name: legacy-ingress\n", StringComparison.Ordinal).Replace("#/spec/apps/web", "#/spec/apps/legacy", StringComparison.Ordinal));
        var check = Check(string.Join("---\n", documents));
        Assert.Contains(check.Diagnostics, d => d.Code == DiagnosticCodes.RenderedPolicyMissing && d.Message.Contains("store/web-ingress", StringComparison.Ordinal));
        Assert.Contains(check.Diagnostics, d => d.Code == DiagnosticCodes.RenderedPolicyExtra && d.Message.Contains("store/legacy-ingress", StringComparison.Ordinal));
    }

    [Fact]
    public void Metadata_labels_and_annotations_and_policies_of_other_intents_do_not_matter()
    {
        var other = Stream.Replace("npgen.dev/intent: store", "npgen.dev/intent: other", StringComparison.Ordinal).Replace("  namespace: store\n", "  namespace: elsewhere\n", StringComparison.Ordinal);
        var stream = Stream.Replace("    npgen.dev/intent: store\n", "    npgen.dev/intent: store\n    team: store\n", StringComparison.Ordinal)
            .Replace("  annotations:\n", "  annotations:\n    owner: platform\n", StringComparison.Ordinal) + other;
        var check = Check(stream);
        Assert.True(check.Succeeded, string.Join("\n", check.Diagnostics));
    }

    [Fact]
    public void A_hand_written_policy_in_a_managed_namespace_is_a_warning()
    {
        var check = Check(Stream + "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-all, namespace: store}\nspec: {podSelector: {}, ingress: [{}]}\n");
        Assert.True(check.Succeeded);
        Assert.Contains(check.Diagnostics, d => d.Code == DiagnosticCodes.RenderedForeignPolicy && d.Message.Contains("store/allow-all", StringComparison.Ordinal));
    }

    [Fact]
    public void A_stream_that_is_not_YAML_is_an_input_error()
    {
        var check = Check("kind: [unclosed\n");
        Assert.False(check.Succeeded);
        Assert.True(check.IsInputError);
    }
}
