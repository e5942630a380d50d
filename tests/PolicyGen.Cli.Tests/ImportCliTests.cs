namespace PolicyGen.Cli.Tests;

/// <summary>
/// <c>npgen import</c> through the built CLI: examples/cluster's hand-written policies become an
/// intent that npgen build turns into policies with the same matrix on the same workloads; what
/// cannot be expressed is named on stderr with exit 1; the output file is never clobbered.
/// </summary>
public sealed class ImportCliTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-import-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void The_cluster_examples_policies_import_build_and_give_the_same_matrix()
    {
        var intent = Path.Combine(temp, "intents.yaml");
        var import = Npgen.Run("import", "-f", "examples/cluster/", "-o", intent);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("npgen import: 5 NetworkPolicies -> ", import.StdErr, StringComparison.Ordinal);
        var text = File.ReadAllText(intent);
        Assert.StartsWith("# Imported by npgen import from 5 NetworkPolicies.", text, StringComparison.Ordinal);
        // shop's allow-dns (podSelector {}) is its namespace-wide calls, for every pod of shop.
        Assert.Contains("    shop:\n      managed: true\n      labels: {team: shop}\n      calls:\n      - {namespace: kube-system, podLabels: {k8s-app: kube-dns}, ports: [53/UDP, 53/TCP]}\n", text, StringComparison.Ordinal);

        var built = Path.Combine(temp, "built") + Path.DirectorySeparatorChar;
        var build = Npgen.Run("build", intent, "-o", built);
        Assert.True(build.ExitCode == 0, build.ToString());

        // The workloads alone, then once with the original policies and once with the rebuilt ones.
        var workloads = Path.Combine(temp, "workloads");
        Directory.CreateDirectory(workloads);
        File.Copy(Path.Combine(Npgen.Repo, "examples/cluster/namespaces.yaml"), Path.Combine(workloads, "namespaces.yaml"));
        File.Copy(Path.Combine(Npgen.Repo, "examples/cluster/workloads.yaml"), Path.Combine(workloads, "workloads.yaml"));
        var ports = new[] { "-p", "53/UDP", "-p", "80", "-p", "443", "-p", "5432", "-p", "8080", "-p", "8000", "-p", "9090" };
        var original = Npgen.Run(["matrix", "-f", "examples/cluster/", .. ports, "-o", "csv"]);
        var rebuilt = Npgen.Run(["matrix", "-f", workloads, "-f", built, .. ports, "-o", "csv"]);
        Assert.True(original.ExitCode == 0 && rebuilt.ExitCode == 0, original + "\n" + rebuilt);
        Assert.Equal(original.StdOut, rebuilt.StdOut);
    }

    [Fact]
    public void A_policy_for_every_pod_becomes_namespace_wide_rules_that_cover_pods_of_no_app()
    {
        var workloads = Path.Combine(temp, "workloads.yaml");
        File.WriteAllText(workloads, """
            apiVersion: v1
            kind: Namespace
            metadata: {name: a}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: b}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: api, namespace: a, labels: {app: api}}
            spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: batch, namespace: a, labels: {job: nightly}}
            spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: b, labels: {app: client}}
            spec: {containers: [{name: c, image: x}]}
            """);
        var policies = Path.Combine(temp, "policies.yaml");
        File.WriteAllText(policies, """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: same-namespace, namespace: a}
            spec:
              podSelector: {}
              ingress:
              - from: [{podSelector: {}}]
                ports: [{port: http}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api, namespace: a}
            spec:
              podSelector: {matchLabels: {app: api}}
              ingress:
              - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: b}}}]
            """);
        var intent = Path.Combine(temp, "intents.yaml");
        var import = Npgen.Run("import", "-f", workloads, "-f", policies, "-o", intent);
        Assert.True(import.ExitCode == 0, import.ToString());
        var text = File.ReadAllText(intent);
        // The pod of no app (batch) is covered by namespace-wide rules, the named port as the number both pods agree on.
        Assert.Contains("    # namespace-wide rules from NetworkPolicy a/same-namespace\n    a:\n      ingress:\n      - from: [{namespace: a}]\n        ports: [8080/TCP]\n", text, StringComparison.Ordinal);

        var built = Path.Combine(temp, "built") + Path.DirectorySeparatorChar;
        var build = Npgen.Run("build", intent, "-o", built);
        Assert.True(build.ExitCode == 0, build.ToString());
        var original = Npgen.Run("matrix", "-f", workloads, "-f", policies, "-p", "8080", "-p", "9000", "-o", "csv");
        var rebuilt = Npgen.Run("matrix", "-f", workloads, "-f", built, "-p", "8080", "-p", "9000", "-o", "csv");
        Assert.True(original.ExitCode == 0 && rebuilt.ExitCode == 0, original + "\n" + rebuilt);
        Assert.Equal(original.StdOut, rebuilt.StdOut);
    }

    [Fact]
    public void A_named_port_that_the_pods_of_a_namespace_map_differently_is_not_imported_into_its_namespace_wide_rules()
    {
        var policies = Path.Combine(temp, "policies.yaml");
        File.WriteAllText(policies, """
            apiVersion: v1
            kind: Pod
            metadata: {name: api, namespace: a, labels: {app: api}}
            spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: a, labels: {app: web}}
            spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 80}]}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: http-only, namespace: a}
            spec:
              podSelector: {}
              ingress:
              - ports: [{port: http}]
            """);
        var run = Npgen.Run("import", "-f", policies);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("warning NPG870: a/http-only spec.ingress[0]: named port http/TCP cannot be resolved to one number: the destination pods map it to different numbers (80, 8080)", run.StdErr, StringComparison.Ordinal);
        // The namespace stays isolated for ingress, as the policy made it: the intent allows less, never more.
        Assert.Contains("    a:\n      ingress: none\n", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_port_that_some_pods_of_the_namespace_do_not_declare_is_not_opened_on_them()
    {
        var policies = Path.Combine(temp, "policies.yaml");
        File.WriteAllText(policies, """
            apiVersion: v1
            kind: Pod
            metadata: {name: api, namespace: a, labels: {app: api}}
            spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: batch, namespace: a, labels: {job: nightly}}
            spec: {containers: [{name: c, image: x}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: http-only, namespace: a}
            spec:
              podSelector: {}
              ingress:
              - ports: [{port: http}]
            """);
        var run = Npgen.Run("import", "-f", policies);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("warning NPG870: a/http-only spec.ingress[0]: named port http/TCP is 8080 on some pods of namespace a, but these do not declare it: a/batch;", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("8080/TCP", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void What_cannot_be_expressed_is_named_with_policy_and_rule_and_exits_1()
    {
        var policies = Path.Combine(temp, "policies.yaml");
        File.WriteAllText(policies, """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api, namespace: a}
            spec:
              podSelector: {matchLabels: {app: api}}
              ingress:
              - from: [{podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}}]
              - from: [{podSelector: {matchExpressions: [{key: app, operator: In, values: [web, cli]}]}}]
                ports: [{port: 8000}]
            """);
        var run = Npgen.Run("import", "-f", policies);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("policies.yaml:7:", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("warning NPG870: a/api spec.ingress[0].from[0].podSelector: matchExpressions (tier notin (db)) that podLabels cannot express", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("PARTIAL: 2 things could not be expressed", run.StdErr, StringComparison.Ordinal);
        // The In with two values became two peers, and the intent still went to stdout.
        Assert.Contains("- from: [{namespace: a, podLabels: {app: cli}}]", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("- from: [{namespace: a, podLabels: {app: web}}]", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_output_file_is_kept_without_force_and_input_without_policies_exits_2()
    {
        var intent = Path.Combine(temp, "intents.yaml");
        File.WriteAllText(intent, "mine\n");
        var refused = Npgen.Run("import", "-f", "examples/cluster/", "-o", intent);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("error NPG872:", refused.StdErr, StringComparison.Ordinal);
        Assert.Equal("mine\n", File.ReadAllText(intent));

        var forced = Npgen.Run("import", "-f", "examples/cluster/", "-o", intent, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.StartsWith("# Imported by npgen import", File.ReadAllText(intent), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(temp));

        var none = Npgen.Run("import", "-f", "examples/cluster/namespaces.yaml");
        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.Contains("error NPG871:", none.StdErr, StringComparison.Ordinal);
    }
}
