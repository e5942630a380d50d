using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Kustomize;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using PolicyGen.Yaml;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Yaml;

/// <summary>
/// Merge keys (<c>&lt;&lt;</c>) read as kubectl (go-yaml v2) reads them, in every reader, or
/// refused where readers disagree; never ignored (issue 11 item 3).
/// </summary>
public sealed class MergeKeyTests : IDisposable
{
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("npgen-merge-");

    public void Dispose() => scratch.Delete(recursive: true);

    private static MappingNode ReadMap(string text, string key)
    {
        var (documents, error) = SourceNodeReader.Read("in.yaml", text);
        Assert.True(error is null, error?.ToString());
        return Assert.IsType<MappingNode>(((MappingNode)documents[0])[key]);
    }

    private static Dictionary<string, string> Scalars(MappingNode map)
        => map.Entries.ToDictionary(e => e.Key.Value, e => ((ScalarNode)e.Value).Value, StringComparer.Ordinal);

    private static Diagnostic ReadError(string text)
    {
        var (_, error) = SourceNodeReader.Read("in.yaml", text);
        return error ?? throw new InvalidOperationException("no error");
    }

    [Fact]
    public void A_merged_mapping_adds_its_keys_and_keys_written_after_it_win()
    {
        var map = ReadMap("base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n  c: 4\n", "x");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "3", ["c"] = "4" }, Scalars(map));
        Assert.Equal(new SourceLocation("in.yaml", 1, 14), map.Entries.Single(e => e.Key.Value == "a").Value.Location); // where it was written
    }

    [Fact]
    public void In_a_list_of_mappings_the_earlier_one_wins_and_an_inline_mapping_merges_too()
    {
        var map = ReadMap("one: &1 {a: first, b: first}\ntwo: &2 {a: second, c: second}\nx:\n  <<: [*1, *2, {d: inline, a: third}]\n", "x");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "first", ["b"] = "first", ["c"] = "second", ["d"] = "inline" }, Scalars(map));
        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, Scalars(ReadMap("x: {<<: {k: v}}\n", "x")));
        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, Scalars(ReadMap("x: {!!merge <<: {k: v}}\n", "x")));
    }

    [Fact]
    public void A_quoted_merge_key_is_an_ordinary_key()
    {
        var map = ReadMap("x: {\"<<\": {k: v}}\n", "x");
        Assert.Equal("<<", Assert.Single(map.Entries).Key.Value);
    }

    [Theory]
    [InlineData("x:\n  <<: 5\n", 2, 7, "the scalar \"5\"")]
    [InlineData("x:\n  <<:\n", 2, 6, "nothing (null)")]
    [InlineData("s: &s [{a: 1}]\nx:\n  <<: *s\n", 3, 7, "a list")]
    [InlineData("x:\n  <<: [{a: 1}, b]\n", 2, 16, "the scalar \"b\"")]
    public void Merging_anything_but_mappings_is_an_error_as_in_kubectl(string text, int line, int column, string found)
    {
        var error = ReadError(text);
        Assert.Equal(DiagnosticCodes.YamlMergeKey, error.Code);
        Assert.Equal($"a merge key (<<) takes a mapping or a list of mappings, found {found}", error.Message);
        Assert.Equal(new SourceLocation("in.yaml", line, column), error.Location);
    }

    [Fact]
    public void A_key_written_before_the_merge_that_sets_it_too_is_refused_as_ambiguous()
    {
        var error = ReadError("b: &b {ingress: [{}]}\nspec:\n  ingress: []\n  <<: *b\n");
        Assert.Equal(DiagnosticCodes.YamlMergeKey, error.Code);
        Assert.Equal(new SourceLocation("in.yaml", 3, 3), error.Location);
        Assert.Contains("key \"ingress\" is written before the merge key (<<) at in.yaml:4:3", error.Message, StringComparison.Ordinal);
        Assert.Contains("kubectl (go-yaml v2) takes the merged value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_before_the_merge_that_the_merge_does_not_set_is_kept()
    {
        var map = ReadMap("b: &b {c: 1}\nx:\n  a: 0\n  <<: *b\n", "x");
        Assert.Equal(["a", "c"], map.Entries.Select(e => e.Key.Value));
    }

    [Fact]
    public void Two_merge_keys_in_one_mapping_are_refused()
    {
        var error = ReadError("x:\n  <<: {a: 1}\n  <<: {b: 1}\n");
        Assert.Equal((DiagnosticCodes.YamlMergeKey, 3), (error.Code, error.Location!.Line));
    }

    // ---- every reader --------------------------------------------------------------------

    [Fact]
    public void Intent_apps_can_share_fields_through_a_merge_key()
    {
        var intent = LoadValid("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              namespaces: {shop: {managed: true}}
              apps:
                web: &app
                  namespace: shop
                  selector: {app: web}
                api:
                  <<: *app
                  selector: {app: api}
            """);
        var api = intent.Apps.Single(a => a.Name == "api");
        Assert.Equal("shop", api.Namespace);
        Assert.Equal("api", api.Selector["app"]);
    }

    [Fact]
    public void An_overlay_merge_key_is_resolved_before_the_overlay_applies()
    {
        var intent = LoadValid("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              namespaces: {shop: {managed: true}}
              apps:
                web: {namespace: shop, selector: {app: web}}
            """, ("prod.yaml", """
            common: &common {namespace: shop}
            spec:
              apps:
                api:
                  <<: *common
                  selector: {app: api}
            """));
        Assert.Equal("shop", intent.Apps.Single(a => a.Name == "api").Namespace);
    }

    private const string Pods = """
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: shop, labels: {app: client}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: db, namespace: shop, labels: {app: db}}
        spec:
          containers:
          - name: db
            ports: [{containerPort: 5432}]
        ---
        """;

    private static bool Allowed(LoadResult loaded)
    {
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        var evaluator = PolicyEvaluator.Create(loaded.Cluster);
        Assert.True(evaluator.TryResolve("shop/client", out var from, out _));
        Assert.True(evaluator.TryResolve("shop/db", out var to, out _));
        return evaluator.Evaluate(from!, to!, 5432, Protocol.TCP).Allowed;
    }

    [Fact]
    public void A_merge_key_under_a_network_policy_spec_allows_what_kubectl_would_apply()
    {
        var denyAll = Pods + "\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n";
        Assert.False(Allowed(ManifestLoader.LoadText("m.yaml", denyAll)));

        // kubectl reads this as ingress: [{}], allow all: so must npgen.
        var merged = denyAll + "  <<: {ingress: [{}]}\n";
        var loaded = ManifestLoader.LoadText("m.yaml", merged);
        var rule = Assert.Single(Assert.Single(loaded.Cluster.Policies).Ingress);
        Assert.Empty(rule.Peers);
        Assert.True(Allowed(loaded));
    }

    [Fact]
    public void A_krm_item_with_a_merge_key_passes_through_merged()
    {
        var input = """
            apiVersion: config.kubernetes.io/v1
            kind: ResourceList
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata:
                name: c
                <<: {labels: {team: a}}
            functionConfig:
              apiVersion: npgen.dev/v1alpha1
              kind: NetworkIntent
              metadata: {name: shop}
              spec:
                namespaces: {shop: {managed: true}}
                apps:
                  web: {namespace: shop, selector: {app: web}}
            """;
        var outcome = KrmFunction.Run(input, scratch.FullName);
        Assert.True(outcome.ExitCode == 0, outcome.StdErr);
        Assert.DoesNotContain("<<", outcome.StdOut, StringComparison.Ordinal);
        var (documents, error) = SourceNodeReader.Read("out.yaml", outcome.StdOut, YamlLimits.ResourceList);
        Assert.Null(error);
        var items = (SequenceNode)((MappingNode)documents[0])["items"]!;
        var configMap = (MappingNode)items.Items.Single(i => ((ScalarNode)((MappingNode)i)["kind"]!).Value == "ConfigMap");
        Assert.Equal("a", ((ScalarNode)((MappingNode)((MappingNode)configMap["metadata"]!)["labels"]!)["team"]!).Value);
    }

    [Fact]
    public void A_krm_function_config_with_an_ambiguous_merge_is_refused()
    {
        var input = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n  kind: NetworkIntent\n  <<: {kind: Other}\n  metadata: {name: x}\n";
        var outcome = KrmFunction.Run(input.Replace("  kind: NetworkIntent\n  <<: {kind: Other}", "  kind: NetworkIntent\n  <<: {kind: Other}", StringComparison.Ordinal), scratch.FullName);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("error NPG110:", outcome.StdErr, StringComparison.Ordinal);
    }

    // ---- the template parse-back ------------------------------------------------------------

    private const string Intent = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shop}
        spec:
          namespaces:
            shop: {managed: true}
          apps:
            web: {namespace: shop, selector: {app: web}}
        """;

    private string Templates(string template, string find, string replace)
    {
        foreach (var name in TemplateSet.BundledNames)
        {
            var text = TemplateSet.Bundled(name)!;
            if (name == template)
            {
                Assert.Contains(find, text, StringComparison.Ordinal);
                text = text.Replace(find, replace, StringComparison.Ordinal);
            }

            File.WriteAllText(Path.Join(scratch.FullName, name), text);
        }

        return scratch.FullName;
    }

    [Fact]
    public void A_template_that_widens_the_default_deny_through_a_merge_key_fails_verification()
    {
        var templates = Templates("namespace-default-deny.sbn", "spec:\n  podSelector: {}", "spec:\n  <<: {ingress: [{}]}\n  podSelector: {}");
        var result = BuildPipeline.Run(LoadValid(Intent), new BuildOptions { TemplatesDirectory = templates });
        Assert.False(result.Succeeded);
        var deny = result.Policies.Single(p => p.Plan.Name.Contains("default-deny", StringComparison.Ordinal));
        Assert.Contains("<<: {ingress: [{}]}", deny.Yaml, StringComparison.Ordinal);
        Assert.Single(deny.Parsed.Ingress); // read with the merge applied
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.VerificationMismatch && d.Message.Contains("intent denies, policies allow", StringComparison.Ordinal));
    }

    [Fact]
    public void A_template_that_renders_an_ambiguous_merge_key_is_refused()
    {
        var templates = Templates("namespace-default-deny.sbn", "spec:\n  podSelector: {}", "spec:\n  podSelector: {}\n  <<: {podSelector: {matchLabels: {a: b}}}");
        var result = BuildPipeline.Run(LoadValid(Intent), new BuildOptions { TemplatesDirectory = templates });
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticCodes.GeneratedPolicyInvalid, error.Code);
        Assert.Contains("the template produced invalid YAML: key \"podSelector\" is written before the merge key (<<)", error.Message, StringComparison.Ordinal);
    }
}
