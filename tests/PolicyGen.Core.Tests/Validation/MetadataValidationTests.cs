using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Validation;

namespace PolicyGen.Core.Tests.Validation;

/// <summary>
/// S14.10: metadata.labels and metadata.annotations as apimachinery validates them on create
/// (pkg/api/validation/objectmeta.go ValidateObjectMetaAccessor -> v1validation.ValidateLabels and
/// ValidateAnnotations; pkg/util/validation/validation.go IsQualifiedName and IsValidLabelValue).
/// Each policy is read from YAML so that every problem points at the key or value that is wrong.
/// </summary>
public sealed class MetadataValidationTests
{
    private static NetworkPolicy Policy(string metadata)
    {
        var yaml = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\n"
                   + metadata + "spec:\n  podSelector: {}\n";
        var loaded = ManifestLoader.LoadText("p.yaml", yaml);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        return Assert.Single(loaded.Cluster.Policies);
    }

    private static void AssertValid(string metadata)
    {
        var policy = Policy(metadata);
        var problems = PolicyValidator.Validate(policy);
        Assert.True(problems.IsEmpty, string.Join("\n", problems.Select(p => p.Format(policy))));
    }

    /// <summary>Exactly one error, on <paramref name="field"/>, quoting <paramref name="value"/>, at line:col of p.yaml.</summary>
    private static PolicyProblem AssertSingleError(string metadata, string field, string value, string gist, int line, int column)
    {
        var policy = Policy(metadata);
        var problems = PolicyValidator.Validate(policy);
        var problem = Assert.Single(problems);
        Assert.Equal(Severity.Error, problem.Severity);
        Assert.Equal(field, problem.Path);
        Assert.StartsWith($"Invalid value: \"{value}\": ", problem.Message, StringComparison.Ordinal);
        Assert.Contains(gist, problem.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("p.yaml", line, column), problem.Location);
        return problem;
    }

    // ---- ValidateLabels: keys are IsQualifiedName ----

    [Theory]
    [InlineData("app")]
    [InlineData("app.kubernetes.io/managed-by")]
    [InlineData("npgen.dev/intent")]
    [InlineData("Upper_Case.name-1")]
    [InlineData("a")]
    public void ValidateLabels_IsQualifiedName_accepts_a_name_with_an_optional_dns_subdomain_prefix(string key)
        => AssertValid($"  labels:\n    {key}: v\n");

    [Fact]
    public void ValidateLabels_IsQualifiedName_name_part_of_63_characters_is_valid_and_64_is_too_long()
    {
        AssertValid($"  labels:\n    example.com/{new string('a', 63)}: v\n");
        var key = "example.com/" + new string('a', 64);
        AssertSingleError($"  labels:\n    {key}: v\n", "metadata.labels", key, "name part must be no more than 63 characters", 7, 5);
    }

    [Fact]
    public void ValidateLabels_IsQualifiedName_prefix_of_253_characters_is_valid_and_254_is_too_long()
    {
        var prefix253 = string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..253];
        Assert.Equal(253, prefix253.Length);
        AssertValid($"  labels:\n    {prefix253}/name: v\n");
        var key = prefix253 + "a/name";
        AssertSingleError($"  labels:\n    {key}: v\n", "metadata.labels", key, "prefix part must be no more than 253 characters", 7, 5);
    }

    [Theory]
    [InlineData("Example.com/app", "prefix part a lowercase RFC 1123 subdomain")]   // the prefix is a lower-case DNS subdomain
    [InlineData("/app", "prefix part must be non-empty")]
    [InlineData("example.com/", "name part must be non-empty")]
    [InlineData("a/b/c", "a qualified name must consist of")]                       // at most one '/'
    [InlineData("-app", "name part must consist of alphanumeric characters")]        // alphanumeric at both ends
    [InlineData("app_", "name part must consist of alphanumeric characters")]
    [InlineData("my app", "name part must consist of alphanumeric characters")]
    public void ValidateLabels_IsQualifiedName_rejects(string key, string gist)
        => AssertSingleError($"  labels:\n    \"{key}\": v\n", "metadata.labels", key, gist, 7, 5);

    // ---- ValidateLabels: values are IsValidLabelValue ----

    [Theory]
    [InlineData("\"\"")]
    [InlineData("v1.2_3-rc")]
    [InlineData("\"12345\"")]
    [InlineData("MyValue")]
    public void ValidateLabels_IsValidLabelValue_accepts_empty_or_alphanumeric_at_both_ends_with_dash_underscore_dot_inside(string value)
        => AssertValid($"  labels:\n    app: {value}\n");

    [Fact]
    public void ValidateLabels_IsValidLabelValue_63_characters_are_valid_and_64_too_long()
    {
        AssertValid($"  labels:\n    app: {new string('v', 63)}\n");
        var value = new string('v', 64);
        AssertSingleError($"  labels:\n    app: {value}\n", "metadata.labels", value, "must be no more than 63 characters", 7, 10);
    }

    [Theory]
    [InlineData("\"-1\"", "-1")]                          // the sync-wave annotation turned into a label
    [InlineData("'[\"a\"]'", "[\"a\"]")]                  // a JSON string
    [InlineData("\"intents.yaml#/spec/apps/web\"", "intents.yaml#/spec/apps/web")]   // the source annotation
    [InlineData("\"a b\"", "a b")]
    [InlineData("\"v.\"", "v.")]
    public void ValidateLabels_IsValidLabelValue_rejects(string yaml, string value)
    {
        var problem = AssertSingleError($"  labels:\n    app: {yaml}\n", "metadata.labels", value.Replace("\"", "\\\"", StringComparison.Ordinal),
            "a valid label must be an empty string or consist of alphanumeric characters", 7, 10);
        Assert.Equal("p.yaml:7:10: shop/p: metadata.labels: " + problem.Message, problem.Format(Policy($"  labels:\n    app: {yaml}\n")));
    }

    // ---- ValidateAnnotations: keys are IsQualifiedName(strings.ToLower(key)) ----

    [Theory]
    [InlineData("npgen.dev/source")]
    [InlineData("argocd.argoproj.io/sync-wave")]
    [InlineData("npgen.dev/environment")]
    [InlineData("npgen.dev/overlays")]
    [InlineData("Example.COM/Thing")]    // lower-cased before the check, unlike label keys
    public void ValidateAnnotations_key_is_a_qualified_name_after_lower_casing(string key)
        => AssertValid($"  annotations:\n    {key}: \"any value, even -1 or [\\\"json\\\"] or a,list\"\n");

    [Theory]
    [InlineData("bad key", "name part must consist of alphanumeric characters")]
    [InlineData("example.com/", "name part must be non-empty")]
    [InlineData("a/b/c", "a qualified name must consist of")]
    [InlineData("exa_mple.com/x", "prefix part a lowercase RFC 1123 subdomain")]
    public void ValidateAnnotations_rejects_a_key_that_is_no_qualified_name(string key, string gist)
        => AssertSingleError($"  annotations:\n    \"{key}\": v\n", "metadata.annotations", key, gist, 7, 5);

    [Fact]
    public void ValidateAnnotations_name_part_of_64_characters_is_too_long()
    {
        var key = "npgen.dev/" + new string('a', 64);
        AssertSingleError($"  annotations:\n    {key}: v\n", "metadata.annotations", key, "name part must be no more than 63 characters", 7, 5);
    }

    // ---- ValidateAnnotationsSize: the sum of len(key) + len(value) over all annotations <= 256 KiB ----

    [Fact]
    public void ValidateAnnotationsSize_exactly_256_KiB_of_keys_and_values_is_valid()
    {
        // "a": 1 byte key, "b": 1 byte key; values fill the rest.
        var half = (PolicyValidator.TotalAnnotationSizeLimit / 2) - 1;
        AssertValid($"  annotations:\n    a: {new string('x', half)}\n    b: {new string('y', half)}\n");
    }

    [Fact]
    public void ValidateAnnotationsSize_one_byte_over_256_KiB_is_too_long()
    {
        var half = PolicyValidator.TotalAnnotationSizeLimit / 2;
        var policy = Policy($"  annotations:\n    a: {new string('x', half - 1)}\n    b: {new string('y', half)}\n");
        var problem = Assert.Single(PolicyValidator.Validate(policy));
        Assert.Equal("metadata.annotations", problem.Path);
        Assert.Equal("Too long: may not be more than 262144 bytes (keys and values of all annotations together are 262145 bytes)", problem.Message);
        Assert.Equal(new SourceLocation("p.yaml", 7, 5), problem.Location);
    }

    [Fact]
    public void ValidateAnnotationsSize_counts_utf8_bytes_as_go_len_does()
    {
        // 'é' is one UTF-16 char but two UTF-8 bytes: 131,072 of them are 256 KiB of value alone.
        var policy = Policy($"  annotations:\n    a: {new string('é', PolicyValidator.TotalAnnotationSizeLimit / 2)}\n");
        var problem = Assert.Single(PolicyValidator.Validate(policy));
        Assert.Contains("262145 bytes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_problems_come_after_the_name_and_before_the_spec()
    {
        var policy = Policy("  labels:\n    app: \"-x\"\n") with { Name = "Bad", PodSelector = new LabelSelector { MatchLabels = Labels.Of(("k", "-v")) } };
        var paths = PolicyValidator.Validate(policy).Select(p => p.Path).ToList();
        Assert.Equal(["metadata.name", "metadata.labels", "spec.podSelector.matchLabels"], paths);
    }

    [Fact]
    public void Policies_built_by_hand_without_labels_or_annotations_stay_valid()
        => Assert.Empty(PolicyValidator.Validate(new NetworkPolicy { Namespace = "shop", Name = "p" }));
}
