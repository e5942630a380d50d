namespace PolicyGen.Cli.Tests;

/// <summary><c>npgen validate</c> on metadata the API server rejects (S14.10): exit 1, file:line:col of the key or value.</summary>
public sealed class ValidateMetadataCliTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-cli-validate-metadata-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void Invalid_labels_and_annotation_keys_are_printed_with_line_and_column_and_exit_1()
    {
        var file = Path.Combine(temp, "p.yaml");
        File.WriteAllText(file, """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: web-ingress
              namespace: shop
              labels:
                app.kubernetes.io/managed-by: npgen
                argocd.argoproj.io/sync-wave: "-1"
              annotations:
                npgen.dev/source: intents.yaml#/spec/apps/web
                "rule sources": x
            spec:
              podSelector: {}
            """);

        var run = Npgen.Run("validate", "-f", file);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"{file}:8:35: shop/web-ingress: metadata.labels: Invalid value: \"-1\": a valid label must be an empty string", run.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{file}:11:5: shop/web-ingress: metadata.annotations: Invalid value: \"rule sources\": name part must consist of", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("1 of 1 NetworkPolicies invalid: 2 errors", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_policy_npgen_builds_passes_validate()
    {
        var output = Path.Combine(temp, "out");
        var build = Npgen.Run("build", "examples/shop/intents.yaml", "--env", "prod", "-o", output + "/");
        Assert.True(build.ExitCode == 0, build.ToString());
        var run = Npgen.Run("validate", "-f", output);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("NetworkPolicies valid", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_64_character_intent_name_fails_the_build_at_its_line()
    {
        var intent = Path.Combine(temp, "intents.yaml");
        File.WriteAllText(intent, $"apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nmetadata:\n  name: {new string('a', 64)}\nspec:\n  apps: {{}}\n");
        var run = Npgen.Run("build", intent);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{intent}:4:9: error NPG310: metadata.name:", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("hint: shorten the name to 63 characters or fewer", run.StdErr, StringComparison.Ordinal);
        Assert.Equal("", run.StdOut);
    }
}
