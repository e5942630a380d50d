using PolicyGen.Check;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Tests.Shared;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Check;

/// <summary>
/// npgen check's rules, through the library: on examples/check-mistakes (one test per mistake, each
/// with the intent's and the manifest's place), on the shipped shop example (nothing wrong), and on
/// small inline clusters for the DNS peers, the ingress controller preset and --strict.
/// </summary>
public sealed class IntentCheckerTests
{
    private static string Example(params string[] parts) => Path.Combine([ConformanceCase.RepositoryRoot(), "examples", .. parts]);

    private static (NetworkIntent Intent, Cluster Cluster) LoadExample(string name, string? environment = null)
    {
        var (intent, diagnostics) = IntentLoader.Load(Example(name, "intents.yaml"), environment);
        Assert.True(intent is not null, Dump(diagnostics));
        var (sources, missing) = ManifestFiles.Read([Example(name, "manifests")], () => "");
        Assert.Empty(missing);
        var loaded = ManifestLoader.Load(sources);
        Assert.False(loaded.HasErrors, Dump(loaded.Diagnostics));
        return (intent!, loaded.Cluster);
    }

    private static CheckReport CheckExample(string name, CheckOptions? options = null)
    {
        var (intent, cluster) = LoadExample(name);
        return IntentChecker.Check(intent, cluster, options);
    }

    private static CheckFinding Single(CheckReport report, string code)
    {
        var found = report.Findings.Where(f => f.Code == code).ToList();
        Assert.True(found.Count == 1, $"expected one {code}, got:\n{string.Join("\n", report.Findings)}");
        return found[0];
    }

    private static void AssertAt(SourceLocation? location, string file, int line, int column)
    {
        Assert.NotNull(location);
        Assert.EndsWith(file, location.File.Replace('\\', '/'), StringComparison.Ordinal);
        Assert.Equal((line, column), (location.Line, location.Column));
    }

    // ---- examples/check-mistakes: each of the four mistakes ----

    [Fact]
    public void Mistakes_example_finds_exactly_the_four_mistakes_and_fails()
    {
        var report = CheckExample("check-mistakes");
        Assert.False(report.Passed);
        Assert.Equal(
            [DiagnosticCodes.CheckUnselectedPods, DiagnosticCodes.CheckNamespaceLabels, DiagnosticCodes.CheckAppSelectsNothing,
             DiagnosticCodes.CheckPortMissing, DiagnosticCodes.CheckNamespaceLabelPeer],
            report.Findings.Select(f => f.Code));
        Assert.Equal(4, report.Errors);
        Assert.Equal(1, report.Warnings);
    }

    [Fact]
    public void Mistake_1_selector_typo_is_an_error_with_the_real_label_as_did_you_mean()
    {
        var finding = Single(CheckExample("check-mistakes"), DiagnosticCodes.CheckAppSelectsNothing);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal("app \"frontend\": selector app=fronted selects no workload or pod in namespace storefront", finding.Message);
        Assert.Equal("did you mean app=frontend? storefront/frontend (Deployment) has app=frontend", finding.Hint);
        AssertAt(finding.IntentLocation, "examples/check-mistakes/intents.yaml", 15, 5);
        AssertAt(finding.ManifestLocation, "examples/check-mistakes/manifests/workloads.yaml", 1, 1);
    }

    [Fact]
    public void Mistake_2_pods_of_a_managed_namespace_that_no_app_selects_are_listed_as_a_warning()
    {
        var finding = Single(CheckExample("check-mistakes"), DiagnosticCodes.CheckUnselectedPods);
        Assert.Equal(Severity.Warning, finding.Severity);

        // frontend is unselected too, because of mistake 1; the CronJob is the one nobody declared.
        Assert.Equal(["storefront/frontend (Deployment)", "storefront/nightly-report (CronJob)"], finding.Objects.ToArray());
        Assert.Contains("the default deny cuts them off from all traffic, DNS included", finding.Message, StringComparison.Ordinal);
        AssertAt(finding.IntentLocation, "examples/check-mistakes/intents.yaml", 10, 5);
    }

    [Fact]
    public void Mistake_2_is_an_error_under_strict()
    {
        var finding = Single(CheckExample("check-mistakes", new CheckOptions { Strict = true }), DiagnosticCodes.CheckUnselectedPods);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void Mistake_3_a_declared_port_that_is_no_container_port_names_the_container_port_of_that_name()
    {
        var finding = Single(CheckExample("check-mistakes"), DiagnosticCodes.CheckPortMissing);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.StartsWith("app \"api\": port http (8000/TCP) is not a container port of storefront/api (Deployment)", finding.Message, StringComparison.Ordinal);
        Assert.Equal("container port \"http\" of storefront/api is 8080/TCP; write http: 8080/TCP in the intent, or fix the container", finding.Hint);
        AssertAt(finding.IntentLocation, "examples/check-mistakes/intents.yaml", 25, 5);
        AssertAt(finding.ManifestLocation, "examples/check-mistakes/manifests/workloads.yaml", 20, 1);

        // metrics 9100/TCP is served: only http is reported.
        Assert.DoesNotContain("metrics", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mistake_4_namespace_labels_that_differ_from_the_real_namespace_are_an_error_and_so_is_the_peer_relying_on_them()
    {
        var report = CheckExample("check-mistakes");
        var labels = Single(report, DiagnosticCodes.CheckNamespaceLabels);
        Assert.Equal("namespace monitoring: the intent declares labels purpose=monitoring, the real Namespace has team=observability (purpose=monitoring is missing)", labels.Message);
        AssertAt(labels.IntentLocation, "examples/check-mistakes/intents.yaml", 11, 5);
        AssertAt(labels.ManifestLocation, "examples/check-mistakes/manifests/namespaces.yaml", 6, 1);

        var peer = Single(report, DiagnosticCodes.CheckNamespaceLabelPeer);
        Assert.StartsWith("app \"api\": ingress[0]: {namespaceLabels: purpose=monitoring} does not match namespace monitoring in the cluster", peer.Message, StringComparison.Ordinal);
        AssertAt(peer.IntentLocation, "examples/check-mistakes/intents.yaml", 30, 9);
        AssertAt(peer.ManifestLocation, "examples/check-mistakes/manifests/namespaces.yaml", 6, 1);
    }

    // ---- Shipped examples with manifests ----

    [Theory]
    [InlineData(null)]
    [InlineData("prod")]
    [InlineData("dev")]
    public void Shop_example_matches_its_manifests_in_every_environment(string? environment)
    {
        var (intent, cluster) = LoadExample("shop", environment);
        var report = IntentChecker.Check(intent, cluster, new CheckOptions { Strict = true });
        Assert.True(report.Findings.IsEmpty, string.Join("\n", report.Findings));
        Assert.Equal(4, report.Apps);
        Assert.Equal(4, report.SelectedEndpoints);
    }

    // ---- Inline clusters ----

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
              ports: {http: 8080/TCP}
              ingress:
              - from: [{preset: ingressController}]
        """;

    private static CheckReport Check(string manifests, string intent = Intent)
    {
        var loaded = ManifestLoader.LoadText("cluster.yaml", manifests);
        Assert.False(loaded.HasErrors, Dump(loaded.Diagnostics));
        return IntentChecker.Check(LoadValid(intent), loaded.Cluster);
    }

    private static string Pod(string ns, string name, string labels, string ports = "[{containerPort: 8080}]")
        => $"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: {ns}, labels: {labels}}}\nspec:\n  containers:\n  - name: c\n    ports: {ports}\n---\n";

    private static readonly string Healthy =
        Pod("shop", "web-1", "{app: web}")
        + Pod("kube-system", "coredns-1", "{k8s-app: kube-dns}", "[{containerPort: 53, protocol: UDP}]")
        + Pod("ingress-nginx", "controller-1", "{app.kubernetes.io/name: ingress-nginx}", "[{containerPort: 80}]");

    [Fact]
    public void A_healthy_inline_cluster_passes()
    {
        var report = Check(Healthy);
        Assert.True(report.Findings.IsEmpty, string.Join("\n", report.Findings));
    }

    [Fact]
    public void Dns_peers_that_match_no_pod_are_an_error_with_the_real_labels()
    {
        var report = Check(Healthy.Replace("{k8s-app: kube-dns}", "{k8s-app: coredns}", StringComparison.Ordinal));
        var finding = Single(report, DiagnosticCodes.CheckDnsPeer);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.StartsWith("defaults.dns.peers (the default, kube-dns in kube-system)[0]: pods k8s-app=kube-dns in namespace kube-system match no workload or pod", finding.Message, StringComparison.Ordinal);
        Assert.Equal("did you mean k8s-app=coredns? kube-system/coredns-1 (Pod) has k8s-app=coredns", finding.Hint);
        AssertAt(finding.IntentLocation, "intents.yaml", 1, 1);
        AssertAt(finding.ManifestLocation, "cluster.yaml", 9, 1);
    }

    [Fact]
    public void Ingress_controller_preset_that_matches_no_pod_is_an_error()
    {
        var report = Check(Healthy.Replace("{app.kubernetes.io/name: ingress-nginx}", "{app.kubernetes.io/name: traefik}", StringComparison.Ordinal));
        var finding = Single(report, DiagnosticCodes.CheckIngressController);
        Assert.Contains("pods app.kubernetes.io/name=ingress-nginx in namespace ingress-nginx match no workload or pod", finding.Message, StringComparison.Ordinal);
        Assert.StartsWith("did you mean app.kubernetes.io/name=traefik?", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Namespaces_the_manifests_do_not_hold_are_warnings_that_name_what_to_pass()
    {
        var report = Check(Pod("shop", "web-1", "{app: web}"));
        Assert.True(report.Passed, string.Join("\n", report.Findings));
        Assert.Equal(2, report.Findings.Count(f => f.Code == DiagnosticCodes.CheckIncomplete && f.Severity == Severity.Warning));
        Assert.Contains(report.Findings, f => f.Hint!.Contains("kubectl get deploy,ds,pods -n kube-system -o yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void An_app_whose_pods_run_in_another_namespace_says_so()
    {
        var report = Check(Healthy.Replace("namespace: shop", "namespace: store", StringComparison.Ordinal));
        var finding = Single(report, DiagnosticCodes.CheckAppSelectsNothing);
        Assert.EndsWith("the manifests hold no workloads or pods in that namespace", finding.Message, StringComparison.Ordinal);
        Assert.Contains("pods with these labels run in namespace store", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_on_one_replica_but_not_another_names_the_one_that_lacks_it()
    {
        var report = Check(Healthy + Pod("shop", "web-2", "{app: web}", "[{name: http, containerPort: 80, protocol: UDP}]"));
        var finding = Single(report, DiagnosticCodes.CheckPortMissing);
        Assert.Equal(["shop/web-2 (Pod)"], finding.Objects.ToArray());
        Assert.Contains("container port \"http\" of shop/web-2 is 80/UDP", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Pods_that_declare_no_container_ports_are_a_warning_not_an_error()
    {
        var report = Check(Healthy.Replace("ports: [{containerPort: 8080}]", "ports: []", StringComparison.Ordinal));
        Assert.True(report.Passed);
        var finding = Single(report, DiagnosticCodes.CheckIncomplete);
        Assert.Contains("declares no container ports", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_extra_real_namespace_label_that_a_namespaceLabels_peer_uses_is_an_error()
    {
        const string intent = """
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              defaults: {dns: {enabled: false}}
              namespaces:
                shop: {managed: true}
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  ingress:
                  - from: [{namespaceLabels: {env: prod}}]
            """;
        var manifests = Pod("shop", "web-1", "{app: web}")
                        + "apiVersion: v1\nkind: Namespace\nmetadata: {name: sandbox, labels: {env: prod}}\n";
        var report = Check(manifests, intent);
        var finding = Single(report, DiagnosticCodes.CheckNamespaceLabelPeer);
        Assert.StartsWith("app \"web\": ingress[0]: {namespaceLabels: env=prod} matches namespace sandbox in the cluster (labels env=prod), but the intent assumed it does not",
            finding.Message, StringComparison.Ordinal);
        AssertAt(finding.ManifestLocation, "cluster.yaml", 9, 1);
    }

    [Fact]
    public void Label_values_from_the_manifests_are_printed_with_control_characters_escaped()
    {
        var report = Check(Healthy.Replace("{k8s-app: kube-dns}", "{k8s-app: \"dns\\u001b[31m\"}", StringComparison.Ordinal));
        var text = Single(report, DiagnosticCodes.CheckDnsPeer).ToString();
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("\\u001b[31m", text, StringComparison.Ordinal);
    }
}
