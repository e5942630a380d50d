using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Pipeline;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Compile;

/// <summary>
/// Edited copies of the bundled templates (<c>--templates DIR</c>): any edit that changes what the
/// policies allow fails verification naming the flow, a broken template names its file and line,
/// and a template that renders the wrong objects is refused before verification.
/// </summary>
public sealed class TemplateTamperTests : IDisposable
{
    /// <summary>
    /// web (namespace shop, not managed) calls api in the managed namespace backend; api also
    /// accepts monitoring and office. api-ingress has one rule per peer: 0 monitoring, 1 office
    /// (two ipBlocks), 2 web (an AND peer: namespace and pods).
    /// </summary>
    private const string Intent = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shop}
        spec:
          namespaces:
            shop: {}
            backend: {managed: true}
          networks:
            office: [10.20.0.0/16, 10.30.0.0/16]
          apps:
            web:
              namespace: shop
              selector: {app: web}
              calls:
              - app: api
            api:
              namespace: backend
              selector: {app: api, tier: backend}
              ports: {http: 8080/TCP}
              ingress:
              - from: [{namespace: monitoring}, {network: office}]
                ports: [http]
        """;

    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("npgen-templates-");

    public void Dispose() => scratch.Delete(recursive: true);

    private string Dir => scratch.FullName;

    private string PathOf(string template) => Path.Join(Dir, template);

    /// <summary>Copies every bundled template into the temp folder, applying the edits (each must change its file).</summary>
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

            File.WriteAllText(PathOf(name), text);
        }

        Assert.All(edits, e => Assert.Contains(e.Template, TemplateSet.BundledNames));
        return Dir;
    }

    private static BuildResult Build(string? templates, string intent = Intent)
        => BuildPipeline.Run(LoadValid(intent), new BuildOptions { TemplatesDirectory = templates });

    private static GeneratedPolicy Policy(BuildResult result, string name) => result.Policies.Single(p => p.Plan.Name == name);

    /// <summary>
    /// The build failed verification, and one NPG400 names exactly this flow and verdict, at the
    /// intent line behind it; every flow is listed once, and each distinct hint (naming the edited
    /// template) is printed once.
    /// </summary>
    private Diagnostic AssertMismatch(BuildResult result, string flow, int line, string template = "_rules.sbn")
    {
        Assert.False(result.Succeeded);
        Assert.NotNull(result.Verification);
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticCodes.VerificationMismatch, d.Code));
        var mismatch = result.Diagnostics.FirstOrDefault(d => d.Message.StartsWith(flow, StringComparison.Ordinal));
        Assert.True(mismatch is not null, $"no mismatch \"{flow}...\" among:\n{Dump(result.Diagnostics)}");
        Assert.Equal(IntentFile, mismatch.Location?.File);
        Assert.True(line == mismatch.Location!.Line, $"expected line {line}, got {mismatch.Location}:\n{Dump(result.Diagnostics)}");
        Assert.All(result.Diagnostics, d => Assert.DoesNotContain("npgen-", d.Message, StringComparison.Ordinal)); // no made-up witness names
        var flows = result.Diagnostics.Where(d => d.Message.Contains(": intent ", StringComparison.Ordinal))
            .Select(d => d.Message[..d.Message.IndexOf(": intent ", StringComparison.Ordinal)]).ToList();
        Assert.Equal(flows.Count, flows.Distinct().Count());
        var hints = result.Diagnostics.Select(d => d.Hint).OfType<string>().ToList();
        Assert.NotEmpty(hints);
        Assert.Equal(hints.Count, hints.Distinct().Count());
        Assert.All(hints, h => Assert.Contains(PathOf(template), h, StringComparison.Ordinal));
        return mismatch;
    }

    // ---- (e) an untouched copy ---------------------------------------------------------------

    [Fact]
    public void Untouched_copy_builds_the_same_policies()
    {
        var bundled = Build(null);
        var copy = Build(Templates());
        Assert.True(bundled.Succeeded, Dump(bundled.Diagnostics));
        Assert.True(copy.Succeeded, Dump(copy.Diagnostics));
        Assert.Empty(copy.Verification!.Mismatches);
        Assert.Equal(bundled.Policies.Select(p => p.Yaml), copy.Policies.Select(p => p.Yaml));
        Assert.All(copy.Policies, p => Assert.StartsWith(Dir, p.TemplatePath, StringComparison.Ordinal));
    }

    // ---- (a) narrowing: the intent allows, the policies deny -----------------------------------

    [Fact]
    public void Dropping_the_namespace_selector_turns_the_and_peer_into_a_same_namespace_peer_and_fails()
    {
        var result = Build(Templates(("_rules.sbn", "{{~ if peer.namespace_labels ~}}", "{{~ if false ~}}")));

        // The edit took effect: api's peer for web is now "pods labelled app=web in backend".
        var peer = Policy(result, "api-ingress").Parsed.Ingress[2].Peers.Single();
        Assert.Null(peer.NamespaceSelector);
        Assert.Equal("web", peer.PodSelector!.MatchLabels["app"]);

        // At web's call (line 15), on the half that lost it: web's egress.
        var mismatch = AssertMismatch(result, "web -> api 8080/TCP: intent allows, policies deny (", 15);
        Assert.Contains("no egress rule of these policies allows to backend/api on 8080/TCP", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains(result.Diagnostics, d => d.Hint?.Contains("narrows", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Dropping_a_peer_fails()
    {
        // Only the first peer of each rule: api's rule from monitoring and office loses office.
        var result = Build(Templates(("_rules.sbn", "{{~ for peer in rule.peers ~}}", "{{~ for peer in rule.peers limit:1 ~}}")));
        // Every lost address of the network in one message, at api's ingress rule (line 21).
        var mismatch = AssertMismatch(result, "network office (10.30.0.0, 10.30.255.255) -> api 8080/TCP: intent allows, policies deny (", 21);
        Assert.DoesNotContain("10.20.", mismatch.Message, StringComparison.Ordinal);
    }

    // ---- (b) widening: the intent denies, the policies allow -----------------------------------

    [Fact]
    public void An_empty_pod_selector_in_peers_allows_the_whole_namespace_and_fails()
    {
        var result = Build(Templates(("_rules.sbn", """
            {{ lead }}podSelector:{{ if peer.pod_labels.size == 0 }} {}{{ end }}
            {{~ if peer.pod_labels.size > 0 ~}}
            {{~ labels = peer.pod_labels; indent = "        " ~}}
            {{ include "_labels.sbn" ~}}
            {{~ end ~}}
            """, "{{ lead }}podSelector: {}")));
        // api's rule 2 comes from web's call (line 15): the rule-sources annotation says so.
        var mismatch = AssertMismatch(result, "a pod in namespace shop that no app selects -> api 8080/TCP: intent denies, policies allow (policy backend/api-ingress ingress rule 2)", 15);
        Assert.Contains(result.Diagnostics, d => d.Hint?.Contains("widens", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Dropping_a_label_of_the_target_selector_selects_more_pods_and_fails()
    {
        // api-ingress now selects every app=api pod of backend, also those without tier=backend.
        var result = Build(Templates(("app-ingress.sbn", "labels = policy.pod_selector;", "labels = policy.pod_selector | array.limit 1;")));
        Assert.Equal(["app"], Policy(result, "api-ingress").Parsed.PodSelector.MatchLabels.Keys);
        AssertMismatch(result,
            "{namespace: monitoring} -> a pod in namespace backend labelled like api but without tier 8080/TCP: intent denies, policies allow (policy backend/api-ingress ingress rule 0)",
            21, "app-ingress.sbn");
    }

    [Fact]
    public void Widening_an_ip_block_fails()
    {
        var result = Build(Templates(("_rules.sbn", "cidr: {{ q peer.cidr }}", "cidr: 0.0.0.0/0")));
        var mismatch = AssertMismatch(result, "an address outside every network (8.8.8.8, 192.0.2.1, 198.51.100.250, 203.0.113.250) -> api 8080/TCP: intent denies, policies allow (policy backend/api-ingress ingress rule 1)", 21);
        Assert.Contains(result.Diagnostics, d => d.Message.StartsWith("an address just outside network office (", StringComparison.Ordinal));
    }

    // ---- widening with something the intent never mentions ---------------------------------------

    /// <summary>app-ingress.sbn with one more rule appended after the rules the intent asked for.</summary>
    private string WithExtraIngressRule(string rule)
    {
        var original = TemplateSet.Bundled("app-ingress.sbn")!;
        return Templates(("app-ingress.sbn", original, original + "\n" + rule));
    }

    [Fact]
    public void Adding_a_peer_for_labels_no_intent_peer_has_fails()
    {
        var result = Build(WithExtraIngressRule("""
              - from:
                - namespaceSelector: {}
                  podSelector:
                    matchLabels:
                      backdoor: "true"
            """));
        Assert.Equal(4, Policy(result, "api-ingress").Parsed.Ingress.Length);
        // A rule no intent line declares: at the app whose policy holds it (api, line 16), saying a template added it.
        AssertMismatch(result, "pods labelled {backdoor: true} in any namespace, which only the policies name -> api every port: intent denies, policies allow "
            + "(policy backend/api-ingress ingress rule 3; no line of the intent declares ingress rule 3 of backend/api-ingress: a template added it)", 16, "app-ingress.sbn");
    }

    [Fact]
    public void Adding_an_address_block_no_network_has_fails()
    {
        var result = Build(WithExtraIngressRule("""
              - from:
                - ipBlock:
                    cidr: 100.64.0.0/10
                ports:
                - port: 8080
            """));
        AssertMismatch(result,
            "ipBlock 100.64.0.0/10 of policy backend/api-ingress, which no network of the intent has (100.64.0.0, 100.127.255.255) -> api 8080/TCP: intent denies, policies allow (policy backend/api-ingress ingress rule 3;",
            16, "app-ingress.sbn");
    }

    [Fact]
    public void Adding_a_port_no_intent_port_has_fails()
    {
        var result = Build(WithExtraIngressRule("""
              - ports:
                - port: 22
            """));
        AssertMismatch(result, "a pod in namespace shop that no app selects -> api 22/TCP: intent denies, policies allow (policy backend/api-ingress ingress rule 3;", 16, "app-ingress.sbn");
    }

    // ---- (c) a template that does not parse or run -------------------------------------------

    [Fact]
    public void Syntax_error_in_a_template_names_its_file_and_line()
    {
        var result = Build(Templates(("app-ingress.sbn", "  policyTypes:\n", "  policyTypes: {{ policy.name + }}\n")));
        Assert.False(result.Succeeded);
        Assert.Null(result.Verification);
        Assert.Empty(result.Policies.Where(p => p.Plan.Template == IntentCompiler.AppIngressTemplate));
        var first = result.Diagnostics[0];
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticCodes.TemplateError, d.Code));
        Assert.All(result.Diagnostics, d => Assert.Equal(PathOf("app-ingress.sbn"), d.Location?.File));
        Assert.Equal(7, first.Location!.Line);
    }

    [Fact]
    public void Syntax_error_in_an_included_template_names_that_file_and_line_once()
    {
        var result = Build(Templates(("_rules.sbn", "{{~ for peer in rule.peers ~}}", "{{~ for peer in rule.peers ~")));
        Assert.False(result.Succeeded);
        Assert.Null(result.Verification);
        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticCodes.TemplateError, d.Code));
        Assert.All(result.Diagnostics, d => Assert.Equal(PathOf("_rules.sbn"), d.Location?.File));
        Assert.All(result.Diagnostics, d => Assert.Equal(10, d.Location!.Line));
        Assert.Equal(result.Diagnostics.Length, result.Diagnostics.Distinct().Count()); // not once per policy
    }

    [Fact]
    public void Unknown_member_in_an_included_template_names_the_policy_file_and_line()
    {
        var result = Build(Templates(("_rules.sbn", "cidr: {{ q peer.cidr }}", "cidr: {{ q peer.cidrx }}")));
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics);
        AssertDiagnostic(error, DiagnosticCodes.TemplateError, 13, 25, ["template failed for backend/api-ingress", "cidrx"], "fix the template", file: PathOf("_rules.sbn"));
    }

    [Fact]
    public void Unknown_member_hit_by_every_policy_is_one_error_naming_how_many_policies()
    {
        var result = Build(Templates(("_metadata.sbn", "name: {{ q policy.name }}", "name: {{ q policy.namex }}")));
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.TemplateError, error.Code);
        Assert.Equal(PathOf("_metadata.sbn"), error.Location?.File);
        Assert.StartsWith("template failed for 4 policies (backend/api-egress, backend/api-ingress, backend/default-deny and 1 more): ", error.Message, StringComparison.Ordinal);
        Assert.Contains("namex", error.Message, StringComparison.Ordinal);
    }

    // ---- the list of differing flows is capped --------------------------------------------------

    [Fact]
    public void Many_differing_flows_list_twenty_groups_then_count_the_rest()
    {
        // 24 apps each calling hub on one port; a template that drops the ports widens every call.
        var apps = string.Join("\n", Enumerable.Range(0, 24).Select(i => $$"""
                a{{i}}:
                  namespace: shop
                  selector: {app: a{{i}}}
                  calls:
                  - {app: hub, ports: [http]}
            """));
        var intent = $$"""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              namespaces:
                shop: {managed: true}
              apps:
                hub:
                  namespace: shop
                  selector: {app: hub}
                  ports: {http: 8080/TCP}
            {{apps}}
            """;
        var result = Build(Templates(("_rules.sbn", "{{~ if rule.ports.size > 0 ~}}", "{{~ if false ~}}")), intent);
        Assert.False(result.Succeeded);
        var flows = result.Verification!.Mismatches.Select(m => (m.FromName, m.ToName, m.IntentAllows, m.PoliciesAllow)).Distinct().Count();
        Assert.True(flows > 24, $"{flows} flows");
        var errors = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.VerificationMismatch).ToList();
        Assert.Equal(21, errors.Count);
        Assert.Equal($"... and {flows - 20} more flows differ ({flows} in all)", errors[^1].Message);
        Assert.Contains(errors, e => e.Message.StartsWith("a0 -> hub every port except 8080/TCP: intent denies, policies allow", StringComparison.Ordinal));
        Assert.Single(errors, e => e.Hint is not null);
    }

    // ---- (d) the wrong objects -----------------------------------------------------------------

    [Fact]
    public void Template_that_renders_a_second_policy_is_refused()
    {
        const string AllowAll = """

            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: allow-all
              namespace: {{ q policy.namespace }}
            spec:
              podSelector: {}
              ingress:
              - {}

            """;
        var original = TemplateSet.Bundled("app-ingress.sbn")!;
        var result = Build(Templates(("app-ingress.sbn", original, original + AllowAll)));
        Assert.False(result.Succeeded);
        Assert.Null(result.Verification);
        var error = Assert.Single(result.Diagnostics);
        AssertDiagnostic(error, DiagnosticCodes.GeneratedPolicyInvalid, 1, 1,
            "the template must render exactly one NetworkPolicy named backend/api-ingress, but rendered backend/allow-all, backend/api-ingress", null,
            file: $"{PathOf("app-ingress.sbn")} (rendering backend/api-ingress)");
        Assert.DoesNotContain(result.Policies, p => p.Plan.Name == "api-ingress");
    }

    [Fact]
    public void Template_that_renders_its_policy_twice_is_refused()
    {
        var original = TemplateSet.Bundled("app-ingress.sbn")!;
        var result = Build(Templates(("app-ingress.sbn", original, original + "---\n" + original)));
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.GeneratedPolicyInvalid, error.Code);
        Assert.Contains("NetworkPolicy backend/api-ingress is already defined", error.Message, StringComparison.Ordinal);
        Assert.Equal($"{PathOf("app-ingress.sbn")} (rendering backend/api-ingress)", error.Location?.File);
    }

    [Fact]
    public void Template_that_renders_the_wrong_name_is_refused_for_every_policy()
    {
        var result = Build(Templates(("_metadata.sbn", "name: {{ q policy.name }}", "name: {{ q policy.name + \"-v2\" }}")));
        Assert.False(result.Succeeded);
        Assert.Null(result.Verification);
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticCodes.GeneratedPolicyInvalid, d.Code));
        Assert.Equal(
            ["backend/api-egress", "backend/api-ingress", "backend/default-deny", "shop/web-egress"],
            result.Diagnostics.Select(d => d.Message.Replace("the template must render exactly one NetworkPolicy named ", "", StringComparison.Ordinal)
                .Split(", but rendered ") is [var expected, var rendered] && rendered == expected + "-v2" ? expected : d.Message));
    }

    [Fact]
    public void Template_that_renders_into_another_namespace_is_refused()
    {
        var result = Build(Templates(("_metadata.sbn", "namespace: {{ q policy.namespace }}", "namespace: default")));
        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.GeneratedPolicyInvalid
            && d.Message == "the template must render exactly one NetworkPolicy named backend/api-ingress, but rendered default/api-ingress");
    }
}
