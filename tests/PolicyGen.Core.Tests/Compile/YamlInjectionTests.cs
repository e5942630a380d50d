using System.Text.RegularExpressions;
using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Yaml;
using YamlDotNet.RepresentationModel;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Compile;

/// <summary>
/// Strings that try to add YAML structure: the binder refuses them as names and labels, and the
/// templates' <c>q</c> helper (<see cref="YamlQuoting.Quote"/>) writes any string so that it reads
/// back as exactly that string.
/// </summary>
public sealed partial class YamlInjectionTests
{
    /// <summary>The brief's list, and more that YAML or a YAML 1.1 reader (kubectl's) would not read as the same string.</summary>
    public static TheoryData<string> Hostile() =>
    [
        "a: b\n- x", "\"quoted\"", "#comment", "true", "123", "", "{x}",
        "a\n  evil: x", "[x]", "- x", "a #b", "a: b", "'single'", "&anchor", "*alias", "!tag", "%TAG", "@x", "`x`", "? x", "|", ">",
        "~", "null", "Null", "yes", "No", "on", "OFF", "y", "N", "1e3", "1.5", "-1", "+1", ".5", ".inf", "0x1F", "0o17", "017", "12:30",
        "---", "...", " lead", "trail ", "a\tb", "a\r\nb", "a\\nb", "\\", "a\u2028b", "a\u0085b", "\u00e9t\u00e9", "a\u0000b", "a\u007fb",
        "0b101", "0B101", "0X1F", "0O17", "0o1_7", "0b_1", "1_000", "08", "0_1", "0x", "1e", "1.2.3", "1-2",
    ];

    // ---- the binder refuses structure in names and labels -------------------------------------

    [Fact]
    public void Label_value_with_a_newline_and_a_key_is_rejected_by_the_binder()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: "a\n  evil: x"}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentBadName, 8, 23, ["selector: label value \"a\\n  evil: x\"", "alphanumeric characters"], "a label value is"); // one line: the newline shows as \n
    }

    [Fact]
    public void Structure_in_keys_and_names_is_rejected_by_the_binder()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: "shop\nkind: Secret"}
            spec:
              namespaces:
                "shop: {}": {}
              apps:
                web:
                  namespace: shop
                  selector: {"app: x": web}
            """);
        Assert.True(errors.Length == 3, Dump(errors));
        Assert.All(errors, e => Assert.Equal(DiagnosticCodes.IntentBadName, e.Code));
        Assert.Equal([(3, 18), (6, 5), (10, 18)], errors.Select(e => (e.Location!.Line, e.Location.Column)));
    }

    // ---- q: YamlQuoting.Quote ------------------------------------------------------------------

    [Theory]
    [InlineData("web", "web")]
    [InlineData("app.kubernetes.io/name", "app.kubernetes.io/name")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("intents.yaml#/spec/apps/web", "intents.yaml#/spec/apps/web")]
    [InlineData("a: b\n- x", "\"a: b\\n- x\"")]
    [InlineData("\"quoted\"", "\"\\\"quoted\\\"\"")]
    [InlineData("#comment", "\"#comment\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("123", "\"123\"")]
    [InlineData("", "\"\"")]
    [InlineData("{x}", "\"{x}\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("a\tb\r", "\"a\\tb\\r\"")]
    [InlineData("a\u2028b\u0085", "\"a\\u2028b\\u0085\"")]
    [InlineData("a\u0000b", "\"a\\u0000b\"")]
    public void Quote_writes_plain_only_what_is_safe(string value, string expected)
        => Assert.Equal(expected, YamlQuoting.Quote(value));

    [Fact]
    public void Quote_of_null_is_the_empty_string()
        => Assert.Equal("\"\"", YamlQuoting.Quote(null));

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Quote_reads_back_as_the_same_string_as_a_value_and_as_a_key(string value)
    {
        var quoted = YamlQuoting.Quote(value);
        var stream = new YamlStream();
        stream.Load(new StringReader($"{quoted}: {quoted}\nnext: 1\n"));
        var map = Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
        Assert.Equal(2, map.Children.Count);
        var (key, scalar) = map.Children.First();
        Assert.Equal(value, Assert.IsType<YamlScalarNode>(key).Value);
        Assert.Equal(value, Assert.IsType<YamlScalarNode>(scalar).Value);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Quote_never_writes_plain_what_kubectl_reads_as_a_number_bool_or_null(string value)
    {
        var quoted = YamlQuoting.Quote(value);
        if (!quoted.StartsWith('"'))
        {
            Assert.False(GoYamlResolvesToNonString(quoted), $"{quoted} is written plain, but go-yaml (kubectl) reads it as a number, bool or null");
        }
    }

    /// <summary>
    /// go-yaml v2's resolver, which kubectl uses (sigs.k8s.io/yaml): YAML 1.1 booleans and nulls,
    /// strconv.ParseInt(s, 0, 64) after removing '_' (so 0x, 0X, 0o, 0O, 0b, 0B and leading-0 octal),
    /// and its float pattern.
    /// </summary>
    private static bool GoYamlResolvesToNonString(string plain)
    {
        if (GoBoolOrNull().IsMatch(plain))
        {
            return true;
        }

        var s = plain.Replace("_", "", StringComparison.Ordinal);
        return GoInt().IsMatch(s) || GoFloat().IsMatch(s) || GoSpecialFloat().IsMatch(plain);
    }

    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|)$")]
    private static partial Regex GoBoolOrNull();

    [GeneratedRegex("^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$")]
    private static partial Regex GoInt();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex GoFloat();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex GoSpecialFloat();

    // ---- a whole policy rendered through the bundled templates ---------------------------------

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Rendered_policy_with_a_hostile_label_value_parses_back_to_that_value(string value)
    {
        var plan = new PolicyPlan
        {
            Template = IntentCompiler.AppIngressTemplate,
            Namespace = "shop",
            Name = "web-ingress",
            Intent = value,
            Source = value,
            PodSelector = Labels.Of(("app", value)),
            PolicyTypes = ["Ingress"],
            Ingress = [new RulePlan([new PeerPlan(Labels.Of(("role", value)), Labels.Of(("team", value)), null, [])], [], value, value)],
        };
        var (rendered, diagnostics) = PolicyRenderer.Render([plan], new TemplateSet());
        Assert.True(diagnostics.IsEmpty, Dump(diagnostics));
        var yaml = Assert.Single(rendered).Yaml;

        var loaded = ManifestLoader.LoadText("rendered.yaml", yaml);
        Assert.True(!loaded.HasErrors, Dump(loaded.Diagnostics) + "\n" + yaml);
        var policy = Assert.Single(loaded.Cluster.Policies);
        Assert.Empty(loaded.Cluster.Endpoints);
        Assert.Equal("shop/web-ingress", policy.Id);
        Assert.Equal(Labels.Of(("app", value)), policy.PodSelector.MatchLabels);
        Assert.Empty(policy.PodSelector.MatchExpressions);
        Assert.Equal(["Ingress"], policy.PolicyTypes!.Value.AsEnumerable());
        Assert.Empty(policy.Egress);
        var peer = Assert.Single(Assert.Single(policy.Ingress).Peers);
        Assert.Equal(Labels.Of(("role", value)), peer.PodSelector!.MatchLabels);
        Assert.Equal(Labels.Of(("team", value)), peer.NamespaceSelector!.MatchLabels);
        Assert.Null(peer.IpBlock);

        // The metadata too: the same top-level keys and labels as a harmless value renders.
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
        Assert.Equal(["apiVersion", "kind", "metadata", "spec"], root.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        var metadata = (YamlMappingNode)root["metadata"];
        Assert.Equal(["name", "namespace", "labels", "annotations"], metadata.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.Equal(value, ((YamlScalarNode)((YamlMappingNode)metadata["labels"])["npgen.dev/intent"]).Value);
        Assert.Equal(value, ((YamlScalarNode)((YamlMappingNode)metadata["annotations"])["npgen.dev/source"]).Value);
    }
}
