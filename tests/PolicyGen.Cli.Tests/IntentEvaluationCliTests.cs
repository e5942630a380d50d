using System.Text.Json;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// <c>npgen eval</c> and <c>npgen matrix</c> with <c>--intent</c>: the real workloads of
/// examples/shop/manifests under the policies the intent generates. Policies that intent generated
/// earlier (found by their npgen labels) are replaced; hand-written ones and other intents' stay.
/// </summary>
public sealed class IntentEvaluationCliTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-cli-intent-eval-").FullName;

    public IntentEvaluationCliTests()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Npgen.Repo, "examples", "shop", "manifests")))
        {
            File.Copy(file, Path.Combine(temp, Path.GetFileName(file)));
        }

        // A stale policy of this intent that opens the database to everyone; a policy of another intent;
        // and a hand-written lockdown of Prometheus's egress.
        File.WriteAllText(Path.Combine(temp, "policies.yaml"), """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: db-open
              namespace: shop-data
              labels: {app.kubernetes.io/managed-by: npgen, npgen.dev/intent: shop}
            spec:
              podSelector: {matchLabels: {app: postgres}}
              ingress: [{}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: from-other-intent
              namespace: shop-data
              labels: {app.kubernetes.io/managed-by: npgen, npgen.dev/intent: reporting}
            spec:
              podSelector: {matchLabels: {app: nothing-here}}
              ingress: [{}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: lockdown
              namespace: monitoring
            spec:
              podSelector: {}
              policyTypes: [Egress]
            """);
    }

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private NpgenRun Eval(string from, string to, string port, params string[] extra)
        => Npgen.Run(["eval", "-f", temp, "--from", from, "--to", to, "--port", port, .. extra]);

    [Fact]
    public void Eval_without_intent_sees_the_stale_policy_and_with_intent_the_generated_ones()
    {
        var before = Eval("ingress-nginx/ingress-nginx-controller", "shop-data/postgres", "5432");
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Contains("5432/TCP: ALLOWED", before.StdOut, StringComparison.Ordinal);

        var after = Eval("ingress-nginx/ingress-nginx-controller", "shop-data/postgres", "5432", "--intent", "examples/shop/intents.yaml", "--env", "prod");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("5432/TCP: DENIED", after.StdOut, StringComparison.Ordinal);
        Assert.Contains("shop-data/postgres is isolated for ingress by shop-data/db-ingress, shop-data/default-deny;", after.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("db-open", after.StdOut, StringComparison.Ordinal);
        Assert.Contains("npgen eval: evaluating under the 10 policies intent \"shop\" generates, in place of 1 from the manifests (shop-data/db-open); 2 other policies stay",
            after.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_with_intent_allows_what_the_intent_allows_between_real_workloads()
    {
        var run = Eval("shop/web", "shop/api", "8000", "--intent", "examples/shop/intents.yaml", "--exit-code");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("shop/web (Deployment) -> shop/api (Deployment) 8000/TCP: ALLOWED", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("allowed by shop/web-egress egress rule 0", run.StdOut, StringComparison.Ordinal);

        var denied = Eval("shop/web", "shop-data/postgres", "5432", "--intent", "examples/shop/intents.yaml", "--exit-code");
        Assert.True(denied.ExitCode == 1, denied.ToString());
    }

    [Fact]
    public void Hand_written_policies_stay_in_force_next_to_the_intents()
    {
        // The intent lets Prometheus scrape api's metrics, but the kept lockdown isolates Prometheus's egress.
        var run = Eval("monitoring/prometheus", "shop/api", "9090", "--intent", "examples/shop/intents.yaml", "-o", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StdOut);
        Assert.False(json.RootElement.GetProperty("allowed").GetBoolean());
        Assert.True(json.RootElement.GetProperty("ingress").GetBoolean());
        Assert.False(json.RootElement.GetProperty("egress").GetBoolean());
        Assert.Equal("monitoring/lockdown", json.RootElement.GetProperty("explanation").GetProperty("egress").GetProperty("isolatingPolicies")[0].GetString());
    }

    [Fact]
    public void Matrix_with_intent_evaluates_every_pair_under_the_generated_policies()
    {
        var run = Npgen.Run("matrix", "-f", temp, "--intent", "examples/shop/intents.yaml", "--env", "prod", "-p", "8000", "-p", "5432", "-o", "json", "--pairs", "always");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StdOut);
        var allowed = json.RootElement.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("allowed").GetBoolean() && r.GetProperty("from").GetString() != r.GetProperty("to").GetString()
                        && r.GetProperty("to").GetString()!.StartsWith("shop", StringComparison.Ordinal))
            .Select(r => $"{r.GetProperty("from").GetString()} -> {r.GetProperty("to").GetString()} {r.GetProperty("port").GetInt32()}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["shop/api -> shop-data/postgres 5432", "shop/web -> shop/api 8000", "shop/worker -> shop-data/postgres 5432"], allowed);
        Assert.Contains("npgen matrix: evaluating under the 10 policies intent \"shop\" generates", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Env_without_intent_is_a_usage_error()
    {
        var run = Npgen.Run("matrix", "-f", temp, "--env", "prod");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("npgen matrix: --env and --overlay go with --intent INTENT", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_intent_that_does_not_build_exits_2_and_evaluates_nothing()
    {
        var intent = Path.Combine(temp, "broken.intent");
        File.WriteAllText(intent, "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nspec:\n  apps:\n    web: {namespace: shop}\n");
        var run = Eval("shop/web", "shop/api", "8000", "--intent", intent);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.StdOut);
        Assert.Contains("error NPG301", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("npgen eval: the intent does not build (1 error); nothing was evaluated.", run.StdErr, StringComparison.Ordinal);
    }
}
