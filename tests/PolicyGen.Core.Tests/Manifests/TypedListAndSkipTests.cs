using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Manifests;
using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Manifests;

/// <summary>Every input is read or refused out loud (issue 12 item 2), and container ports are checked as the API server checks them.</summary>
public sealed class TypedListAndSkipTests
{
    private static LoadResult Load(string yaml, string name = "m.yaml") => ManifestLoader.LoadText(name, yaml);

    [Fact]
    public void Typed_lists_of_every_kind_npgen_reads_are_unpacked_with_the_item_kind_from_the_list()
    {
        var result = Load("""
            apiVersion: v1
            kind: NamespaceList
            items:
            - metadata: {name: shop, labels: {team: a}}
            ---
            apiVersion: v1
            kind: PodList
            items:
            - metadata: {name: p, namespace: shop, labels: {app: p}}
            ---
            apiVersion: apps/v1
            kind: DeploymentList
            items:
            - metadata: {name: d, namespace: shop}
              spec: {template: {metadata: {labels: {app: d}}}}
            ---
            apiVersion: apps/v1
            kind: StatefulSetList
            items:
            - metadata: {name: s, namespace: shop}
              spec: {template: {metadata: {labels: {app: s}}}}
            ---
            apiVersion: batch/v1
            kind: CronJobList
            items:
            - metadata: {name: c, namespace: shop}
              spec: {jobTemplate: {spec: {template: {metadata: {labels: {app: c}}}}}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicyList
            metadata: {resourceVersion: "1"}
            items:
            - metadata: {name: deny, namespace: shop}
              spec: {podSelector: {}}
            - apiVersion: networking.k8s.io/v1
              kind: NetworkPolicy
              metadata: {name: explicit, namespace: shop}
              spec: {podSelector: {}}
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Equal("a", result.Cluster.Namespaces.Single(n => n.Name == "shop").Labels["team"]);
        Assert.Equal(["CronJob c", "Deployment d", "Pod p", "StatefulSet s"],
            result.Cluster.Endpoints.Select(e => $"{e.Kind} {e.Name}").Order(StringComparer.Ordinal));
        Assert.Equal(["shop/deny", "shop/explicit"], result.Cluster.Policies.Select(p => p.Id));
        Assert.Equal(new SourceLocation("m.yaml", 33, 3), result.Cluster.Policies[0].Location); // the item, where its kind is implied
    }

    [Fact]
    public void A_typed_list_item_of_another_kind_keeps_its_own_kind()
    {
        var result = Load("apiVersion: v1\nkind: PodList\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: x}}\n");
        Assert.Empty(result.Diagnostics);
        Assert.Contains(result.Cluster.Namespaces, n => n.Name == "x");
        Assert.Empty(result.Cluster.Endpoints);
    }

    [Fact]
    public void A_plain_list_item_without_kind_is_still_an_error()
    {
        var result = Load("apiVersion: v1\nkind: List\nitems:\n- metadata: {name: x}\n");
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.MissingField, new SourceLocation("m.yaml", 4, 3)), (error.Code, error.Location));
    }

    /// <summary>
    /// client -> db:5432 is allowed without policies; the NetworkPolicyList (items without kind, as
    /// kubectl get netpol -o yaml prints them) denies it. Skipping the list would answer ALLOWED.
    /// </summary>
    [Fact]
    public void A_network_policy_list_denies_a_flow_that_is_otherwise_allowed()
    {
        const string Pods = """
            apiVersion: v1
            kind: PodList
            items:
            - metadata: {name: client, namespace: shop, labels: {app: client}}
            - metadata: {name: db, namespace: shop, labels: {app: db}}
              spec: {containers: [{name: db, ports: [{containerPort: 5432}]}]}
            """;
        const string Policies = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicyList
            items:
            - metadata: {name: db-ingress, namespace: shop}
              spec:
                podSelector: {matchLabels: {app: db}}
                policyTypes: [Ingress]
                ingress:
                - from: [{podSelector: {matchLabels: {app: web}}}]
            """;
        Assert.True(Allowed(ManifestLoader.Load([new ManifestSource("pods.yaml", Pods)])));
        Assert.False(Allowed(ManifestLoader.Load([new ManifestSource("pods.yaml", Pods), new ManifestSource("netpol.yaml", Policies)])));
    }

    private static bool Allowed(LoadResult loaded)
    {
        Assert.Empty(loaded.Diagnostics);
        var evaluator = PolicyEvaluator.Create(loaded.Cluster);
        Assert.True(evaluator.TryResolve("shop/client", out var from, out _));
        Assert.True(evaluator.TryResolve("shop/db", out var to, out _));
        return evaluator.Evaluate(from!, to!, 5432, Protocol.TCP).Allowed;
    }

    [Fact]
    public void Skipped_objects_are_counted_by_kind_with_their_files()
    {
        var result = ManifestLoader.Load(
        [
            new ManifestSource("a.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: s1}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"),
            new ManifestSource("b.yaml", "apiVersion: v1\nkind: ServiceList\nitems:\n- metadata: {name: s2}\n"),
        ]);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.SkippedObjects, Severity.Warning), (warning.Code, warning.Severity));
        Assert.Equal("skipped 3 objects npgen does not use: 2 Service, 1 ConfigMap (in a.yaml, b.yaml)", warning.Message);
        Assert.Equal([("Service", "s1"), ("ConfigMap", "c"), ("Service", "s2")], result.Skipped.Select(o => (o.Kind, o.Name)));
    }

    [Theory]
    [InlineData("[1, 2]\n", "a list")]
    [InlineData("[{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"}}]\n", "a list")]
    [InlineData("just text\n", "a single value of 9 characters")] // never the text itself
    public void A_file_that_is_not_kubernetes_objects_is_a_warning_naming_the_file(string text, string found)
    {
        var result = Load(text, "data.json");
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.NotKubernetesObjects, Severity.Warning), (warning.Code, warning.Severity));
        Assert.StartsWith($"data.json holds {found} where a Kubernetes object", warning.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("data.json", 1, 1), warning.Location);
        Assert.Empty(result.Cluster.Endpoints);
    }

    [Theory]
    // Versions of the cluster policy kinds npgen does not read (S18.1) stay named, never silently used.
    [InlineData("policy.networking.k8s.io/v1beta1", "AdminNetworkPolicy")]
    [InlineData("policy.networking.k8s.io/v1alpha1", "ClusterNetworkPolicy")]
    [InlineData("cilium.io/v2", "CiliumNetworkPolicy")]
    [InlineData("cilium.io/v2", "CiliumClusterwideNetworkPolicy")]
    [InlineData("crd.projectcalico.org/v1", "NetworkPolicy")]
    [InlineData("crd.projectcalico.org/v1", "GlobalNetworkPolicy")]
    [InlineData("projectcalico.org/v3", "NetworkPolicy")]
    [InlineData("projectcalico.org/v3", "GlobalNetworkPolicy")]
    [InlineData("security.istio.io/v1", "AuthorizationPolicy")]
    public void Policies_the_evaluator_does_not_model_are_a_warning_that_verdicts_ignore_them(string apiVersion, string kind)
    {
        var result = Load($"apiVersion: v1\nkind: Namespace\nmetadata: {{name: n}}\n---\napiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: p, namespace: n}}\nspec: {{}}\n");
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.UnmodeledPolicy, Severity.Warning), (warning.Code, warning.Severity));
        Assert.Equal($"verdicts ignore 1 {kind} object ({apiVersion}), which npgen does not model: n/p (m.yaml:5:1)", warning.Message);
        Assert.Equal(new SourceLocation("m.yaml", 5, 1), warning.Location);
        Assert.Empty(result.Cluster.Policies);
        Assert.Empty(result.Skipped);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    [InlineData(-1)]
    public void A_container_port_outside_1_to_65535_is_the_api_servers_error(int port)
    {
        var result = Load($"apiVersion: v1\nkind: Pod\nmetadata: {{name: a}}\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: {port}\n");
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.ContainerPortOutOfRange, Severity.Error), (error.Code, error.Severity));
        Assert.Equal(new SourceLocation("m.yaml", 8, 22), error.Location);
        Assert.Equal($"spec.containers[0].ports[0].containerPort: Invalid value: {port}: must be between 1 and 65535, inclusive", error.Message);
    }

    [Fact]
    public void A_container_port_in_a_pod_template_is_checked_too()
    {
        var result = Load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: c, ports: [{containerPort: 65536}]}]\n");
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ContainerPortOutOfRange, error.Code);
        Assert.StartsWith("spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 65536", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, error.Location!.Line);
        foreach (var edge in (int[])[1, 65535])
        {
            Assert.False(Load($"apiVersion: v1\nkind: Pod\nmetadata: {{name: a}}\nspec: {{containers: [{{name: c, ports: [{{containerPort: {edge}}}]}}]}}\n").HasErrors);
        }
    }
}
