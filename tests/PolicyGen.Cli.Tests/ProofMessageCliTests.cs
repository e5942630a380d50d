using System.Text.Json;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// What a failed proof prints (issue 20, "readable failures"): each differing flow once, ports
/// merged, ends named as the intent names them, at the intent line behind the flow, each hint once,
/// and still exit 1. Run on the shop example with an edited copy of the bundled templates.
/// </summary>
public sealed class ProofMessageCliTests : IDisposable
{
    private const string Shop = "examples/shop/intents.yaml";
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-proof-messages-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    /// <summary>A folder with only _rules.sbn, edited: the other templates stay the bundled ones.</summary>
    private string Rules(string find, string replace)
    {
        var dir = Directory.CreateDirectory(Path.Combine(temp, "templates")).FullName;
        var text = File.ReadAllText(Path.Combine(Npgen.Repo, "templates", "_rules.sbn"));
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir, "_rules.sbn"), text.Replace(find, replace, StringComparison.Ordinal));
        return dir;
    }

    private static List<string> Lines(string text, string marker)
        => [.. text.Split('\n').Where(l => l.Contains(marker, StringComparison.Ordinal))];

    private static void AssertReadable(NpgenRun run)
    {
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.DoesNotContain("npgen-peer", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("npgen-ingress-controller", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("(other pod)", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain($"{Shop}:1:1:", run.StdErr, StringComparison.Ordinal);
        var errors = Lines(run.StdErr, "error NPG400: ");
        Assert.NotEmpty(errors);
        Assert.Equal(errors.Count, errors.Distinct().Count()); // no flow printed twice
        var hints = Lines(run.StdErr, "  hint: ");
        Assert.Equal(hints.Count, hints.Distinct().Count()); // no hint printed twice
    }

    [Fact]
    public void A_template_that_drops_the_ports_lists_each_flow_once_with_its_ports_merged_at_the_line_that_declared_it()
    {
        var templates = Rules("{{~ if rule.ports.size > 0 ~}}", "{{~ if false ~}}");
        var run = Npgen.Run("verify", Shop, "--templates", templates);
        AssertReadable(run);
        var err = run.StdErr;
        // web's call to api (line 33) allowed on every port, not only http.
        Assert.Contains($"{Shop}:33:9: error NPG400: web -> api every port except 8000/TCP: intent denies, policies allow (policy shop/api-ingress ingress rule 1, policy shop/web-egress egress rule 0)\n", err, StringComparison.Ordinal);
        // A peer as written, at api's ingress rule (line 41).
        Assert.Contains($"{Shop}:41:9: error NPG400: {{namespace: monitoring, podLabels: {{app.kubernetes.io/name: prometheus}}}} -> api every port except 9090/TCP: intent denies", err, StringComparison.Ordinal);
        // A network by name with the addresses that showed it, at api's call (line 45).
        Assert.Contains($"{Shop}:45:9: error NPG400: api -> network partner-api (203.0.113.0, 203.0.113.5, 203.0.113.15) every port except 443/TCP: intent denies", err, StringComparison.Ordinal);
        // A preset, at the ingress rule (line 30), and the apiServer preset at worker's call (line 57).
        Assert.Contains($"{Shop}:30:9: error NPG400: {{preset: ingressController}} -> web every port except 8080/TCP: intent denies", err, StringComparison.Ordinal);
        Assert.Contains($"{Shop}:57:9: error NPG400: worker -> {{preset: apiServer}} (10.96.0.1) every port except 443/TCP, 6443/TCP: intent denies", err, StringComparison.Ordinal);
        // DNS is on by default: no line of its own, so the app's (web at line 25).
        Assert.Contains($"{Shop}:25:5: error NPG400: web -> DNS {{namespace: kube-system, podLabels: {{k8s-app: kube-dns}}}} every port except 53/TCP, 53/UDP: intent denies", err, StringComparison.Ordinal);
        // The hint once, naming the edited file and what the edit did.
        var hint = Assert.Single(Lines(err, "  hint: the policies allow more than the intent"));
        Assert.Contains(Path.Combine(templates, "_rules.sbn"), hint, StringComparison.Ordinal);
        Assert.Contains("npgen verify: verification failed.", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_drops_namespace_selectors_names_each_lost_flow_once()
    {
        var templates = Rules("{{~ if peer.namespace_labels ~}}", "{{~ if false ~}}");
        var run = Npgen.Run("build", Shop, "--templates", templates);
        AssertReadable(run);
        Assert.Equal("", run.StdOut);
        var err = run.StdErr;
        Assert.Contains($"{Shop}:41:9: error NPG400: {{namespace: monitoring, podLabels: {{app.kubernetes.io/name: prometheus}}}} -> api 9090/TCP: intent allows, policies deny (shop/api is isolated for ingress by shop/api-ingress, shop/default-deny; no ingress rule of these policies allows from {{namespace: monitoring, podLabels: {{app.kubernetes.io/name: prometheus}}}} on 9090/TCP)", err, StringComparison.Ordinal);
        Assert.Contains($"{Shop}:44:9: error NPG400: api -> db 5432/TCP: intent allows, policies deny (", err, StringComparison.Ordinal);
        Assert.Contains($"{Shop}:25:5: error NPG400: web -> DNS {{namespace: kube-system, podLabels: {{k8s-app: kube-dns}}}} 53/TCP, 53/UDP: intent allows, policies deny", err, StringComparison.Ordinal);
        // The monitoring flow was found at four witness pods before: now one line.
        Assert.Single(Lines(err, "{namespace: monitoring, podLabels: {app.kubernetes.io/name: prometheus}} -> api 9090/TCP"));
        Assert.Single(Lines(err, "  hint: the policies deny what the intent allows"));
        // The failed expectations follow, each at its own line, the witness pods named as the intent names them.
        Assert.Contains($"{Shop}:70:5: error NPG401: expected monitoring/{{app.kubernetes.io/name=prometheus}} -> api 9090/TCP to be allowed", err, StringComparison.Ordinal);
        Assert.Contains("allows from {preset: ingressController} at ", err, StringComparison.Ordinal);
        Assert.Single(Lines(err, "  hint: add the edge to the intent"));
    }

    // ---- a pod to itself and one replica to another (S12) ------------------------------------------

    private static NpgenRun Eval(string from, string to, string port, params string[] more)
        => Npgen.Run(["eval", "-f", "examples/shop/manifests", "--intent", Shop, "--env", "prod", "--from", from, "--to", to, "--port", port, .. more]);

    [Fact]
    public void Eval_of_a_replicas_1_workload_to_itself_is_a_pod_to_itself_and_allowed()
    {
        var run = Eval("shop/worker", "shop/worker", "9090");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("shop/worker (Deployment) -> shop/worker (Deployment) 9090/TCP: ALLOWED\n", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("  case    a pod to itself: Deployment shop/worker has replicas: 1, and a pod cannot block its own traffic (S12)\n", run.StdOut, StringComparison.Ordinal);

        var json = JsonDocument.Parse(Eval("shop/worker", "shop/worker", "9090", "-o", "json").StdOut).RootElement;
        Assert.True(json.GetProperty("allowed").GetBoolean());
        Assert.Equal("pod-to-itself", json.GetProperty("explanation").GetProperty("case").GetString());
    }

    [Fact]
    public void Eval_of_a_workload_of_several_replicas_to_itself_says_it_is_replica_to_replica()
    {
        var run = Eval("shop/web", "shop/web", "8080", "--exit-code");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("shop/web (Deployment) -> shop/web (Deployment) 8080/TCP: DENIED\n", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("  case    one replica of Deployment shop/web (replicas: 3) to another replica: policies decide", run.StdOut, StringComparison.Ordinal);

        var json = JsonDocument.Parse(Eval("shop/web", "shop/web", "8080", "-o", "json").StdOut).RootElement;
        Assert.False(json.GetProperty("allowed").GetBoolean());
        Assert.Equal("replica-to-replica", json.GetProperty("explanation").GetProperty("case").GetString());
        Assert.Equal("pair", JsonDocument.Parse(Eval("shop/web", "shop/api", "8000", "-o", "json").StdOut).RootElement
            .GetProperty("explanation").GetProperty("case").GetString());
    }

    [Fact]
    public void Matrix_diagonal_is_allowed_for_a_single_pod_workload_and_replica_to_replica_otherwise()
    {
        var run = Npgen.Run("matrix", "-f", "examples/shop/manifests", "--intent", Shop, "--env", "prod", "--port", "9090", "--port", "8080", "-o", "json", "--pairs", "always");
        Assert.True(run.ExitCode == 0, run.ToString());
        var root = JsonDocument.Parse(run.StdOut).RootElement;
        bool Cell(string id, int port) => root.GetProperty("results").EnumerateArray()
            .Single(r => r.GetProperty("from").GetString() == id && r.GetProperty("to").GetString() == id && r.GetProperty("port").GetInt32() == port)
            .GetProperty("allowed").GetBoolean();
        bool SinglePod(string id) => root.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id).GetProperty("singlePod").GetBoolean();

        Assert.True(SinglePod("shop/worker"));
        Assert.True(Cell("shop/worker", 9090)); // worker accepts 9090 only from Prometheus: "." by S12 alone
        Assert.True(Cell("shop/worker", 8080));
        Assert.False(SinglePod("shop/web"));
        Assert.False(Cell("shop/web", 8080)); // web accepts only the ingress controller: replica to replica is denied

        var table = Npgen.Run("matrix", "-f", "examples/shop/manifests", "--intent", Shop, "--env", "prod", "--port", "9090");
        var row = Assert.Single(Lines(table.StdOut, "shop/worker (Deployment)"));
        var header = Lines(table.StdOut, "from\\to")[0];
        Assert.Equal('.', row[header.IndexOf("shop/worker", StringComparison.Ordinal)]);
    }
}
