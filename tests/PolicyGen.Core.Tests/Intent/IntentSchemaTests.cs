using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Tests.Shared;

namespace PolicyGen.Core.Tests.Intent;

/// <summary>The intent JSON Schema: well-formed, stable, in step with the binder, and right about real files.</summary>
public sealed class IntentSchemaTests
{
    private static readonly string SourceFile = Path.Combine(ConformanceCase.RepositoryRoot(), "src", "PolicyGen.Core", "Intent", "intent.schema.json");
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(IntentSchema.Text));

    /// <summary>Which schema object lists the keys of each key list of the binder (JSON pointers into the schema).</summary>
    private static readonly Dictionary<string, string[]> ObjectsOfKeyList = new(StringComparer.Ordinal)
    {
        [nameof(IntentKeys.RootKeys)] = [""],
        [nameof(IntentKeys.MetadataKeys)] = ["/$defs/metadata"],
        [nameof(IntentKeys.SpecKeys)] = ["/$defs/spec"],
        [nameof(IntentKeys.DefaultsKeys)] = ["/$defs/defaults"],
        [nameof(IntentKeys.DenyKeys)] = ["/$defs/defaultDeny"],
        [nameof(IntentKeys.DnsKeys)] = ["/$defs/dnsDefaults"],
        [nameof(IntentKeys.NamespaceKeys)] = ["/$defs/namespace"],
        [nameof(IntentKeys.EveryAppKeys)] = ["/$defs/everyApp"],
        [nameof(IntentKeys.BlockKeys)] = ["/$defs/cidrBlock"],
        [nameof(IntentKeys.PresetKeys)] = ["/$defs/presets"],
        [nameof(IntentKeys.ControllerKeys)] = ["/$defs/ingressControllerPreset"],
        [nameof(IntentKeys.ApiServerKeys)] = ["/$defs/apiServerPreset"],
        [nameof(IntentKeys.AppKeys)] = ["/$defs/app"],
        [nameof(IntentKeys.IngressRuleKeys)] = ["/$defs/ingressRule", "/$defs/namespaceIngressRule"],
        [nameof(IntentKeys.PeerKeys)] = ["/$defs/peer", "/$defs/localPeer"],
        [nameof(IntentKeys.ExpectKeys)] = ["/$defs/expectation"],
    };

    private static JsonNode Root => JsonNode.Parse(IntentSchema.Text)!;

    private static JsonObject At(string pointer)
    {
        JsonNode node = Root;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node[part] ?? throw new KeyNotFoundException($"{pointer}: no {part}");
        }

        return node.AsObject();
    }

    private static string[] PropertiesOf(string pointer) => [.. At(pointer)["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    private static string[] Sorted(IEnumerable<string> keys) => [.. keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Schema_is_json_of_draft_2020_12_and_valid_against_its_meta_schema()
    {
        using var document = JsonDocument.Parse(IntentSchema.Text);
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", document.RootElement.GetProperty("$schema").GetString());
        var result = MetaSchemas.Draft202012.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, Errors(result));
    }

    [Fact]
    public void Text_is_the_embedded_file_byte_for_byte_and_the_same_on_every_read()
    {
        Assert.Equal(File.ReadAllBytes(SourceFile), System.Text.Encoding.UTF8.GetBytes(IntentSchema.Text));
        Assert.Equal(IntentSchema.Text, EmbeddedText.Read(IntentSchema.ResourceName));
        Assert.DoesNotContain('\r', IntentSchema.Text);
        Assert.EndsWith("}\n", IntentSchema.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_key_list_of_the_binder_is_exactly_the_properties_of_its_schema_object()
    {
        var lists = typeof(IntentKeys).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(string[])).ToList();
        var handledElsewhere = new[] { nameof(IntentKeys.PeerKinds), nameof(IntentKeys.CallExtraKeys) };
        foreach (var field in lists.Where(f => !handledElsewhere.Contains(f.Name)))
        {
            Assert.True(ObjectsOfKeyList.TryGetValue(field.Name, out var pointers), $"IntentKeys.{field.Name} has no schema object in this test: add it");
            foreach (var pointer in pointers)
            {
                Assert.True(At(pointer)["additionalProperties"]?.GetValue<bool>() == false, $"{pointer}: the binder rejects unknown keys, so additionalProperties must be false");
                Assert.Equal(Sorted((string[])field.GetValue(null)!), PropertiesOf(pointer));
            }
        }

        // A call is a peer that may also name ports.
        Assert.Equal(Sorted([.. IntentKeys.PeerKeys, .. IntentKeys.CallExtraKeys]), PropertiesOf("/$defs/call"));
        Assert.Equal(Sorted(lists.Select(f => f.Name)), Sorted([.. ObjectsOfKeyList.Keys, .. handledElsewhere]));
    }

    [Fact]
    public void Each_peer_kind_is_one_branch_of_the_peer_forms()
    {
        var branches = At("/$defs/peerKinds")["oneOf"]!.AsArray()
            .Select(b => b!["required"]!.AsArray().Select(r => r!.GetValue<string>()).Single());
        Assert.Equal(Sorted(IntentKeys.PeerKinds), Sorted(branches));
    }

    [Fact]
    public void Every_property_has_a_description_for_editor_tooltips()
    {
        var root = Root;
        var missing = new List<string>();
        Walk(root, "");
        Assert.Empty(missing);

        void Walk(JsonNode? node, string path)
        {
            if (node is JsonObject obj)
            {
                if (obj["properties"] is JsonObject properties)
                {
                    foreach (var (name, property) in properties)
                    {
                        if (Description(property) is null)
                        {
                            missing.Add($"{path}/properties/{name}");
                        }
                    }
                }

                foreach (var (key, child) in obj)
                {
                    Walk(child, $"{path}/{key}");
                }
            }
            else if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}/{i}");
                }
            }
        }

        string? Description(JsonNode? property) => property switch
        {
            JsonObject p when p["description"] is { } d => d.GetValue<string>(),
            JsonObject p when p["$ref"] is { } r => Description(root.AsObject()["$defs"]![r.GetValue<string>()["#/$defs/".Length..]]),
            _ => null,
        };
    }

    public static TheoryData<string> Examples()
    {
        var examples = Path.Combine(ConformanceCase.RepositoryRoot(), "examples");
        var files = Directory.GetFiles(examples, "intents.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(examples, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        return [.. files];
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_intent_file_is_valid(string example)
    {
        var text = File.ReadAllText(Path.Combine(ConformanceCase.RepositoryRoot(), "examples", example));
        AssertValid(text);
    }

    [Fact]
    public void The_starter_file_is_valid()
    {
        AssertValid(IntentStarter.Text);
    }

    /// <summary>Forms the binder accepts that the examples may not show: the schema must accept them too.</summary>
    [Theory]
    [InlineData("calls shorthand and numeric ports", """
        web: {namespace: shop, selector: {app: web}, ports: {http: 8080}, calls: [api, {app: api, ports: [8000, 9000/udp]}]}
        api: {namespace: shop, selector: {app: api}, ports: {http: 8000/TCP, dns: 9000/UDP}}
        """)]
    [InlineData("ingress none, egress none, dns false", """
        db: {namespace: shop, selector: {app: db}, ingress: none, egress: none, dns: false}
        """)]
    [InlineData("every peer form in from", """
        web:
          namespace: shop
          selector: {app: web}
          ports: {http: 8080/TCP, workers: 7000-7100/TCP}
          ingress:
          - from: [api, {app: api}, {namespace: monitoring}, {namespace: monitoring, podLabels: {app: prometheus}},
                   {namespaceLabels: {team: ops}}, {namespaceLabels: {team: ops}, podLabels: {role: probe}},
                   {podLabels: {app: batch}}, {network: office}, {preset: ingressController}, {anywhere: true}]
            ports: [http, 7000-7100/TCP, 53/UDP, 8443, 132/sctp]
          - from: [{anywhere: true}]
        api: {namespace: shop, selector: {app: api}, calls: [{preset: apiServer}, {network: office, ports: [443/TCP]}, {podLabels: {app: db}}]}
        """)]
    public void Forms_the_binder_accepts_are_valid(string what, string apps)
    {
        var text = Document(apps);
        AssertValid(text);
        var (intent, diagnostics) = IntentLoader.LoadText("intents.yaml", text);
        Assert.True(intent is not null, what + ": " + string.Join("\n", diagnostics));
    }

    [Fact]
    public void A_bare_app_name_in_dns_peers_ingress_as_an_empty_list_and_podNetwork_are_valid()
    {
        const string text = """
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            spec:
              defaults: {dns: {peers: [coredns, {namespace: kube-system, podLabels: {k8s-app: kube-dns}}]}}
              podNetwork: [10.244.0.0/16, {cidr: "fd00::/8", except: ["fd00::/16"]}]
              apps:
                coredns: {namespace: dns, selector: {app: coredns}, ingress: []}
                web: {namespace: shop, selector: {app: web}, calls: []}
            """;
        AssertValid(text);
        var (intent, diagnostics) = IntentLoader.LoadText("intents.yaml", text);
        Assert.True(intent is not null, string.Join("\n", diagnostics));
    }

    /// <summary>Mistakes that both the schema (in the editor) and the binder (in npgen build) reject.</summary>
    [Theory]
    [InlineData("unknown key in an app", "web: {namespace: shop, selector: {app: web}, colour: red}")]
    [InlineData("missing selector", "web: {namespace: shop}")]
    [InlineData("unknown protocol", "web: {namespace: shop, selector: {app: web}, ports: {http: 8080/HTTP}}")]
    [InlineData("port out of range text", "web: {namespace: shop, selector: {app: web}, ports: {http: 0/TCP}}")]
    [InlineData("port number out of range", "web: {namespace: shop, selector: {app: web}, ports: {http: 70000}}")]
    [InlineData("two kinds in one peer", "web: {namespace: shop, selector: {app: web}, calls: [{network: office, namespace: shop}]}")]
    [InlineData("podLabels narrowing an app", "web: {namespace: shop, selector: {app: web}, ingress: [{from: [{app: web, podLabels: {a: b}}]}]}")]
    [InlineData("fqdn", "web: {namespace: shop, selector: {app: web}, calls: [{fqdn: api.stripe.com, ports: [443/TCP]}]}")]
    [InlineData("ports on an ingress peer", "web: {namespace: shop, selector: {app: web}, ingress: [{from: [{network: office, ports: [443/TCP]}]}]}")]
    [InlineData("ingress rule without from", "web: {namespace: shop, selector: {app: web}, ingress: [{ports: [443/TCP]}]}")]
    [InlineData("ingress neither none nor rules", "web: {namespace: shop, selector: {app: web}, ingress: all}")]
    [InlineData("egress other than none", "web: {namespace: shop, selector: {app: web}, egress: all}")]
    [InlineData("anywhere false", "web: {namespace: shop, selector: {app: web}, ingress: [{from: [{anywhere: false}]}]}")]
    [InlineData("unknown preset", "web: {namespace: shop, selector: {app: web}, calls: [{preset: loadBalancer}]}")]
    [InlineData("upper-case app name", "Web: {namespace: shop, selector: {app: web}}")]
    [InlineData("deny is not a thing", "web: {namespace: shop, selector: {app: web}, ingress: [{from: [{network: office}], deny: true}]}")]
    public void Invalid_apps_are_rejected_by_schema_and_binder(string what, string apps)
    {
        AssertRejectedByBoth(what, Document(apps));
    }

    [Theory]
    [InlineData("wrong apiVersion", "apiVersion: npgen.dev/v1\nkind: NetworkIntent\nspec: {}\n")]
    [InlineData("wrong kind", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkPolicy\nspec: {}\n")]
    [InlineData("unknown root key", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nspec: {}\nstatus: {}\n")]
    [InlineData("CIDR without prefix", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nspec: {networks: {office: [10.20.0.0]}}\n")]
    [InlineData("except block without cidr", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nspec: {networks: {office: {except: [10.0.0.0/8]}}}\n")]
    [InlineData("empty network list", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nspec: {networks: {office: []}}\n")]
    [InlineData("apiServer preset without networks", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nspec: {presets: {apiServer: {ports: [443/TCP]}}}\n")]
    [InlineData("defaultDeny not a boolean", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nspec: {defaults: {defaultDeny: {ingress: sometimes}}}\n")]
    [InlineData("half an ingressController preset", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nspec: {presets: {ingressController: {namespace: traefik}}}\n")]
    [InlineData("podLabels alone as a DNS peer", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nspec: {defaults: {dns: {peers: [{podLabels: {k8s-app: kube-dns}}]}}}\n")]
    [InlineData("expectation without allowed", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nspec: {apps: {web: {namespace: shop, selector: {app: web}}}, expect: [{from: web, to: web, port: 80}]}\n")]
    public void Invalid_documents_are_rejected_by_schema_and_binder(string what, string text)
    {
        AssertRejectedByBoth(what, text);
    }

    private static string Document(string apps) => $"""
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {"{"}name: test{"}"}
        spec:
          namespaces:
            shop: {"{"}managed: true{"}"}
            monitoring:
          networks:
            office: [10.20.0.0/16]
          presets:
            apiServer: {"{"}networks: [10.0.0.1/32]{"}"}
          apps:
        {string.Join('\n', apps.Split('\n').Select(line => "    " + line))}
        """;

    private static void AssertValid(string yaml)
    {
        var result = Evaluate(yaml);
        Assert.True(result.IsValid, Errors(result));
    }

    private static void AssertRejectedByBoth(string what, string yaml)
    {
        Assert.False(Evaluate(yaml).IsValid, $"{what}: the schema accepts\n{yaml}");
        var (intent, diagnostics) = IntentLoader.LoadText("intents.yaml", yaml);
        Assert.True(intent is null && diagnostics.HasErrors(), $"{what}: the binder accepts\n{yaml}");
    }

    private static EvaluationResults Evaluate(string yaml)
    {
        var json = YamlJson.Convert(yaml);
        using var document = JsonDocument.Parse(json?.ToJsonString() ?? "null");
        return Schema.Value.Evaluate(document.RootElement.Clone(), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Errors(EvaluationResults result)
        => string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}")));
}
