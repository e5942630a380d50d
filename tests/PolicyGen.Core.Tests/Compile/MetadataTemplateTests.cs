using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Pipeline;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Compile;

/// <summary>
/// The build's parse-back applies the API server's metadata rules (S14.10) to what a template
/// renders: an edit of _metadata.sbn that the API server would reject fails the build (NPG402),
/// pointing into the rendered policy, before anything is written.
/// </summary>
public sealed class MetadataTemplateTests : IDisposable
{
    private const string Intent = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shop}
        spec:
          namespaces:
            shop: {managed: true}
          apps:
            web:
              namespace: shop
              selector: {app: web}
              calls: [api]
            api:
              namespace: shop
              selector: {app: api}
              ports: {http: 8080/TCP}
        """;

    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("npgen-metadata-templates-");

    public void Dispose() => scratch.Delete(recursive: true);

    private BuildResult BuildWithMetadata(string find, string replace)
    {
        var text = TemplateSet.Bundled("_metadata.sbn")!;
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(Path.Join(scratch.FullName, "_metadata.sbn"), text.Replace(find, replace, StringComparison.Ordinal));
        return BuildPipeline.Run(LoadValid(Intent), new BuildOptions { TemplatesDirectory = scratch.FullName });
    }

    [Fact]
    public void The_bundled_metadata_passes_the_metadata_rules()
    {
        var build = BuildPipeline.Run(LoadValid(Intent), new BuildOptions());
        Assert.True(build.Succeeded, Dump(build.Diagnostics));
        Assert.All(build.Policies, p => Assert.Equal("-1", p.Parsed.Annotations["argocd.argoproj.io/sync-wave"]));
    }

    [Fact]
    public void Annotations_turned_into_labels_fail_the_build_on_the_sync_wave_value_and_the_source()
    {
        // Dropping the "annotations:" line moves every annotation under labels.
        var build = BuildWithMetadata("  annotations:\n", "");
        Assert.False(build.Succeeded);
        Assert.All(build.Diagnostics, d => Assert.Equal(DiagnosticCodes.GeneratedPolicyInvalid, d.Code));
        var wave = build.Diagnostics.First(d => d.Message.Contains("Invalid value: \"-1\"", StringComparison.Ordinal));
        Assert.Contains("the template produced a NetworkPolicy the API server would reject: metadata.labels: ", wave.Message, StringComparison.Ordinal);
        Assert.Contains("a valid label must be an empty string", wave.Message, StringComparison.Ordinal);

        // The location is the value in the rendered policy: line 9 ("    argocd.argoproj.io/sync-wave: "-1""), column 35.
        Assert.Equal(9, wave.Location!.Line);
        Assert.Equal(35, wave.Location.Column);
        Assert.Contains(build.Diagnostics, d => d.Message.Contains("Invalid value: \"intents.yaml#/spec/apps/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_json_label_value_fails_the_build()
    {
        var build = BuildWithMetadata("    npgen.dev/intent: {{ q policy.intent }}\n",
            "    npgen.dev/intent: {{ q policy.intent }}\n    npgen.dev/owners: '[\"team-a\"]'\n");
        Assert.False(build.Succeeded);
        Assert.Contains(build.Diagnostics, d => d.Code == DiagnosticCodes.GeneratedPolicyInvalid
            && d.Message.Contains("metadata.labels: Invalid value: \"[\\\"team-a\\\"]\"", StringComparison.Ordinal));
    }

    [Fact]
    public void An_annotation_key_that_is_no_qualified_name_fails_the_build()
    {
        var build = BuildWithMetadata("    npgen.dev/source:", "    npgen.dev/source/file:");
        Assert.False(build.Succeeded);
        Assert.Contains(build.Diagnostics, d => d.Code == DiagnosticCodes.GeneratedPolicyInvalid
            && d.Message.Contains("metadata.annotations: Invalid value: \"npgen.dev/source/file\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Annotations_of_the_environment_and_overlays_shape_are_accepted()
    {
        // The bundled header records the build's environment and overlays (empty without --env):
        // values of that shape must pass the metadata rules, filled in or not.
        var plain = BuildPipeline.Run(LoadValid(Intent), new BuildOptions());
        Assert.True(plain.Succeeded, Dump(plain.Diagnostics));
        Assert.All(plain.Policies, p => Assert.Equal("", p.Parsed.Annotations["npgen.dev/environment"]));

        var build = BuildWithMetadata("npgen.dev/environment: {{ q policy.environment }}\n    npgen.dev/overlays: {{ q (join policy.overlays \", \") }}",
            "npgen.dev/environment: \"prod\"\n    npgen.dev/overlays: \"environments/prod.yaml, extra/office.yaml\"");
        Assert.True(build.Succeeded, Dump(build.Diagnostics));
        Assert.All(build.Policies, p => Assert.Equal("environments/prod.yaml, extra/office.yaml", p.Parsed.Annotations["npgen.dev/overlays"]));
    }
}
