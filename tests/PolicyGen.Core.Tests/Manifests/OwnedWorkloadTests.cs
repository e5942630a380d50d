using PolicyGen.Manifests;

namespace PolicyGen.Core.Tests.Manifests;

/// <summary>
/// `kubectl get pods,deploy,rs -A -o json` holds each workload three times: the Deployment, its
/// ReplicaSets and their pods. Only the lowest level present is the workload's endpoints, or npgen
/// would answer for objects that are not pods.
/// </summary>
public sealed class OwnedWorkloadTests
{
    private const string Deployment = """
          {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "a", "uid": "d1"},
           "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}
        """;

    private const string ReplicaSet = """
          {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web-5d4f", "namespace": "a", "uid": "r1",
             "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "d1", "controller": true}]},
           "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web", "pod-template-hash": "5d4f"}}, "template": {"metadata": {"labels": {"app": "web", "pod-template-hash": "5d4f"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}
        """;

    private const string Pod = """
          {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-5d4f-x2k9p", "namespace": "a", "labels": {"app": "web", "pod-template-hash": "5d4f"},
             "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d4f", "uid": "r1", "controller": true}]},
           "spec": {"containers": [{"name": "c", "image": "i"}]}, "status": {"podIP": "10.0.0.5", "podIPs": [{"ip": "10.0.0.5"}]}}
        """;

    private static string[] Endpoints(params string[] items)
    {
        var json = $$"""{"apiVersion": "v1", "kind": "List", "items": [{{string.Join(",", items)}}]}""";
        var loaded = ManifestLoader.LoadText("dump.json", json);
        Assert.DoesNotContain(loaded.Diagnostics, d => d.Severity == PolicyGen.Diagnostics.Severity.Error);
        return [.. loaded.Cluster.Endpoints.Select(e => $"{e.Kind} {e.Id}")];
    }

    [Fact]
    public void Pods_stand_for_their_replica_set_and_its_deployment()
        => Assert.Equal(["Pod a/web-5d4f-x2k9p"], Endpoints(Deployment, ReplicaSet, Pod));

    [Fact]
    public void Without_pods_the_replica_set_stands_for_its_deployment()
        => Assert.Equal(["ReplicaSet a/web-5d4f"], Endpoints(Deployment, ReplicaSet));

    [Fact]
    public void A_deployment_alone_is_its_own_endpoint()
        => Assert.Equal(["Deployment a/web"], Endpoints(Deployment));

    [Fact]
    public void The_same_holds_for_yaml_in_any_order()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-5d4f-x2k9p
              namespace: a
              labels: {app: web}
              ownerReferences:
              - {apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f, uid: r1, controller: true}
            spec: {containers: [{name: c, image: i}]}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web-5d4f
              namespace: a
            spec:
              replicas: 1
              template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: i}]}}
            """;
        var loaded = ManifestLoader.LoadText("dump.yaml", yaml);
        Assert.Equal(["Pod"], loaded.Cluster.Endpoints.Select(e => e.Kind));
    }
}
