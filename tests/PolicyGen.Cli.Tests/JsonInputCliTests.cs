namespace PolicyGen.Cli.Tests;

/// <summary>
/// kubectl's JSON piped into npgen (<c>kubectl get ... -o json | npgen matrix -f -</c>): the same
/// answers as the same objects in YAML, and a located error with exit 2 for JSON that is not.
/// </summary>
public sealed class JsonInputCliTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-cli-json-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    // What kubectl get pods,ns,netpol -A -o json prints (cut down): a List, items before kind, every object with managedFields and status.
    private const string Dump = """
        {
            "apiVersion": "v1",
            "items": [
                {
                    "apiVersion": "v1",
                    "kind": "Namespace",
                    "metadata": {"labels": {"kubernetes.io/metadata.name": "shop"}, "name": "shop",
                                 "managedFields": [{"manager": "kubectl", "operation": "Update", "fieldsV1": {"f:metadata": {"f:labels": {}}}}]},
                    "spec": {"finalizers": ["kubernetes"]},
                    "status": {"phase": "Active"}
                },
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {"labels": {"app": "web"}, "name": "web-1", "namespace": "shop",
                                 "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-6f", "controller": true}],
                                 "managedFields": [{"manager": "kube-controller-manager", "fieldsV1": {"f:spec": {"f:containers": {}}}}]},
                    "spec": {"containers": [{"name": "web", "image": "web:1", "env": [{"name": "A", "value": "b"}],
                                             "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                                             "volumeMounts": [{"mountPath": "/data", "name": "data"}]}],
                             "volumes": [{"name": "data", "emptyDir": {}}]},
                    "status": {"phase": "Running", "podIP": "10.1.0.11", "podIPs": [{"ip": "10.1.0.11"}],
                               "conditions": [{"type": "Ready", "status": "True"}]}
                },
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {"labels": {"app": "client"}, "name": "client-1", "namespace": "shop"},
                    "spec": {"containers": [{"name": "c", "image": "c:1"}]},
                    "status": {"phase": "Running", "podIP": "10.1.0.12"}
                },
                {
                    "apiVersion": "networking.k8s.io/v1",
                    "kind": "NetworkPolicy",
                    "metadata": {"name": "web-from-client", "namespace": "shop", "managedFields": [{"manager": "kubectl"}]},
                    "spec": {"podSelector": {"matchLabels": {"app": "web"}},
                             "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "client"}}}], "ports": [{"port": 8080}]}],
                             "policyTypes": ["Ingress"]}
                }
            ],
            "kind": "List",
            "metadata": {"resourceVersion": ""}
        }
        """;

    private const string SameAsYaml = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop, labels: {kubernetes.io/metadata.name: shop}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, namespace: shop, labels: {app: web}}
        spec: {containers: [{name: web, ports: [{containerPort: 8080, protocol: TCP}]}]}
        status: {podIP: 10.1.0.11, podIPs: [{ip: 10.1.0.11}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client-1, namespace: shop, labels: {app: client}}
        spec: {containers: [{name: c}]}
        status: {podIP: 10.1.0.12}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web-from-client, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: web}}
          ingress: [{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: 8080}]}]
          policyTypes: [Ingress]
        """;

    [Fact]
    public void Matrix_and_validate_read_kubectl_json_on_stdin_as_they_read_the_same_objects_in_yaml()
    {
        var yaml = Path.Combine(temp, "cluster.yaml");
        File.WriteAllText(yaml, SameAsYaml);
        var fromJson = Npgen.RunWithInput(Dump, "matrix", "-f", "-", "-o", "json");
        var fromYaml = Npgen.Run("matrix", "-f", yaml, "-o", "json");
        Assert.True(fromJson.ExitCode == 0, fromJson.ToString());
        Assert.True(fromYaml.ExitCode == 0, fromYaml.ToString());
        Assert.Contains("web-1", fromJson.StdOut, StringComparison.Ordinal);
        Assert.Equal(fromYaml.StdOut, fromJson.StdOut);

        var validate = Npgen.RunWithInput(Dump, "validate", "-f", "-");
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.DoesNotContain("error", validate.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_with_a_syntax_error_on_stdin_exits_2_with_the_line_and_column()
    {
        var broken = Dump.Replace("\"name\": \"client-1\",", "\"name\": \"client-1\"", StringComparison.Ordinal);
        foreach (var command in new[] { "validate", "matrix" })
        {
            var run = Npgen.RunWithInput(broken, command, "-f", "-");
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Matches(@"<stdin>:\d+:\d+: error NPG150: invalid JSON", run.StdErr);
            Assert.DoesNotContain("   at ", run.StdErr, StringComparison.Ordinal);
            Assert.Equal("", run.StdOut);
        }
    }
}
