using PolicyGen.Intent;
using PolicyGen.Pipeline;

namespace PolicyGen.Core.Tests.Intent;

/// <summary>
/// The resolver reads an intent file as YAML to tell an overlay from an intent, and hands the
/// documents to the loader instead of having it parse the text again: the build must be the same
/// as from the text alone, and text that does not parse must still be reported by the loader.
/// </summary>
public sealed class IntentParsedOnceTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-parsed-once-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private string Write(string text)
    {
        var path = Path.Join(temp, "intents.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static IntentInput Resolve(string path)
    {
        var (input, error) = IntentResolver.Resolve(path, null, "build", () => TextReader.Null);
        Assert.Null(error);
        return input!;
    }

    [Fact]
    public void A_resolved_intent_file_builds_the_same_policies_and_diagnostics_as_its_text_parsed_again()
    {
        var path = Write("""
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
                  calls: [{app: api}]
                api:
                  namespace: shop
                  selector: {app: api}
                  ports: {http: 8080/TCP}
                  ingress:
                  - from: [{app: web}, {namespace: monitoring}]
                    ports: [http]
              expect:
              - {from: web, to: api, port: 8080/TCP, allowed: true}
            """);
        var input = Resolve(path);
        Assert.False(input.Documents.IsDefault);

        var once = BuildPipeline.Run(input, new BuildOptions());
        var twice = BuildPipeline.Run(new IntentInput(input.Path, input.Text), new BuildOptions());
        Assert.True(once.Succeeded, string.Join("\n", once.Diagnostics));
        Assert.NotEmpty(once.Policies);
        Assert.Equal(BuildOutput.Stream(twice), BuildOutput.Stream(once));
        Assert.Equal(twice.Diagnostics.Select(d => d.ToString()), once.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(twice.Verification!.FlowsChecked, once.Verification!.FlowsChecked);
    }

    [Fact]
    public void An_intent_file_that_does_not_parse_is_handed_on_unparsed_and_the_loader_reports_where()
    {
        var path = Write("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop
            spec: {}
            """);
        var input = Resolve(path);
        Assert.True(input.Documents.IsDefault);

        var (intent, diagnostics) = IntentLoader.Load(input, null, null);
        var (_, fromText) = IntentLoader.LoadText(path, input.Text);
        Assert.Null(intent);
        var error = Assert.Single(diagnostics);
        Assert.Equal(path, error.Location?.File);
        Assert.Equal(fromText.Select(d => d.ToString()), diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void An_overlay_given_as_the_intent_is_still_refused_from_the_parsed_documents()
    {
        var path = Write("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntentOverlay
            spec: {apps: {}}
            """);
        var (input, error) = IntentResolver.Resolve(path, null, "build", () => TextReader.Null);
        Assert.Null(input);
        Assert.Equal(PolicyGen.Diagnostics.DiagnosticCodes.IntentIsAnOverlay, error?.Code);
        Assert.Equal(2, error?.Location?.Line);
    }
}
