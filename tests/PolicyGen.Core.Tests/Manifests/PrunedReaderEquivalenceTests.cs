using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Workloads;

namespace PolicyGen.Core.Tests.Manifests;

/// <summary>
/// The fast readers (JSON through Utf8JsonReader, YAML through parser events, both keeping only what
/// the loader reads) give the loader's answer of the full-tree reader: the same cluster, the same
/// diagnostics, at the same positions for the same text.
/// </summary>
public sealed class PrunedReaderEquivalenceTests
{
    internal const string KubectlPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          annotations:
            kubectl.kubernetes.io/restartedAt: "2026-11-30T10:00:00Z"
          creationTimestamp: "2026-12-01T08:00:00Z"
          generateName: web-7d9f8b6c4-
          labels:
            app: web
            pod-template-hash: 7d9f8b6c4
          managedFields:
          - apiVersion: v1
            fieldsType: FieldsV1
            fieldsV1:
              f:metadata:
                f:labels:
                  .: {}
                  f:app: {}
              f:spec:
                f:containers:
                  k:{"name":"web"}:
                    .: {}
                    f:ports:
                      k:{"containerPort":8080,"protocol":"TCP"}: {}
            manager: kube-controller-manager
            operation: Update
            time: "2026-12-01T08:00:00Z"
          name: web-7d9f8b6c4-x2x9q
          namespace: shop
          ownerReferences:
          - apiVersion: apps/v1
            blockOwnerDeletion: true
            controller: true
            kind: ReplicaSet
            name: web-7d9f8b6c4
            uid: 4f0c2b6e-0000-4000-8000-000000000001
          resourceVersion: "123456"
          uid: 4f0c2b6e-0000-4000-8000-000000000002
        spec:
          containers:
          - env:
            - name: PORT
              value: "8080"
            - name: POD_IP
              valueFrom:
                fieldRef: {apiVersion: v1, fieldPath: status.podIP}
            image: registry.example/web:1.2.3
            name: web
            ports:
            - containerPort: 8080
              name: http
              protocol: TCP
            resources:
              limits: {cpu: 500m, memory: 256Mi}
            volumeMounts:
            - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
              name: kube-api-access-abcde
              readOnly: true
          initContainers:
          - name: migrate
            image: registry.example/migrate:1
            ports:
            - containerPort: 9090
              protocol: UDP
          dnsPolicy: ClusterFirst
          nodeName: node-1
          volumes:
          - name: kube-api-access-abcde
            projected:
              sources:
              - serviceAccountToken: {expirationSeconds: 3607, path: token}
        status:
          conditions:
          - {lastTransitionTime: "2026-12-01T08:00:01Z", status: "True", type: Ready}
          containerStatuses:
          - {name: web, ready: true, restartCount: 0, started: true}
          hostIP: 192.168.1.10
          phase: Running
          podIP: 10.1.0.11
          podIPs:
          - ip: 10.1.0.11
          - ip: fd00::11
          qosClass: Burstable
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels: {app: web}
          managedFields:
          - {manager: kubectl, operation: Update, fieldsV1: {f:spec: {f:replicas: {}}}}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web, tier: front}
            spec:
              containers:
              - name: web
                env: [{name: A, value: b}]
                ports: [{containerPort: 8080, name: http}]
              hostNetwork: false
        status: {availableReplicas: 3, replicas: 3}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly, namespace: shop}
        spec:
          schedule: "0 1 * * *"
          jobTemplate:
            spec:
              template:
                metadata: {labels: {job: nightly}}
                spec:
                  containers: [{name: j, ports: [{containerPort: 7000}]}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop}
        data:
          a: "1"
          b: "2"
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shop
          labels: {team: a, kubernetes.io/metadata.name: shop}
          managedFields: [{manager: kubectl}]
        status: {phase: Active}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: web-allow
          namespace: shop
          labels: {owner: sre}
          annotations: {note: hello}
          managedFields: [{manager: kubectl}]
        spec:
          podSelector: {matchLabels: {app: web}}
          policyTypes: [Ingress, Egress]
          ingress:
          - from:
            - namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [a, b]}]}
              podSelector: {}
            - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
            ports: [{port: http}, {port: 8080, endPort: 8090, protocol: TCP}]
          egress:
          - {}
        ---
        apiVersion: policy.networking.k8s.io/v1alpha1
        kind: AdminNetworkPolicy
        metadata: {name: cluster-wide}
        spec: {priority: 10, subject: {namespaces: {}}}
        """;

    private static LoadResult Pruned(string name, string text) => ManifestLoader.Load([new ManifestSource(name, text)], null, ManifestReading.Pruned);

    private static LoadResult Tree(string name, string text) => ManifestLoader.Load([new ManifestSource(name, text)], null, ManifestReading.FullTree);

    /// <summary>YAML and JSON, each through both readers: the same text gives the same positions, the two formats the same answer.</summary>
    private static void AssertEquivalent(string yaml, bool expectClean)
    {
        var json = ManifestJson.AsList(yaml);
        // One name for both: the format is told by the text, and messages name the file.
        var yamlTree = Tree("input", yaml);
        var yamlPruned = Pruned("input", yaml);
        var jsonTree = Tree("input", json);
        var jsonPruned = Pruned("input", json);
        if (expectClean)
        {
            Assert.False(yamlTree.HasErrors, string.Join("\n", yamlTree.Diagnostics));
            Assert.NotEmpty(yamlTree.Cluster.Endpoints);
        }

        Assert.Equal(ClusterText.Of(yamlTree, positions: true), ClusterText.Of(yamlPruned, positions: true));
        Assert.Equal(ClusterText.Of(jsonTree, positions: true), ClusterText.Of(jsonPruned, positions: true));
        Assert.Equal(ClusterText.Of(yamlTree, positions: false), ClusterText.Of(jsonPruned, positions: false));
    }

    [Theory]
    [InlineData("S", 1UL)]
    [InlineData("S", 2UL)]
    [InlineData("fuzz", 3UL)]
    [InlineData("fuzz", 4UL)]
    [InlineData("fuzz", 5UL)]
    public void Generated_workloads_load_alike_through_every_reader(string preset, ulong seed)
    {
        var workload = WorkloadGenerator.Generate(WorkloadParameters.FromPreset(preset)!, seed);
        var yaml = new StringWriter();
        foreach (var ns in workload.Cluster.Namespaces)
        {
            ManifestWriter.WriteNamespace(yaml, ns);
        }

        foreach (var endpoint in workload.Cluster.Endpoints)
        {
            ManifestWriter.WriteEndpoint(yaml, endpoint, replicas: 2);
        }

        foreach (var policy in workload.Cluster.Policies)
        {
            ManifestWriter.WritePolicy(yaml, policy);
        }

        AssertEquivalent(yaml.ToString(), expectClean: true);
    }

    [Fact]
    public void Kubectl_style_objects_with_managed_fields_status_volumes_and_env_load_alike()
    {
        AssertEquivalent(KubectlPod, expectClean: true);
        var result = Pruned("dump.json", ManifestJson.AsList(KubectlPod));
        var pod = result.Cluster.Endpoints.Single(e => e.Kind == "Pod");
        Assert.Equal(["10.1.0.11", "fd00::11"], pod.Addresses.Select(a => a.ToString()));
        Assert.Equal([8080, 9090], pod.Ports.Select(p => p.Port));
        Assert.Equal(3, result.Cluster.Endpoints.Single(e => e.Kind == "Deployment").Replicas);
        Assert.Contains(result.Cluster.ClusterPolicies, p => p.Name == "cluster-wide" && p.Priority == 10);
        Assert.Contains(result.Skipped, o => o.Kind == "ConfigMap" && o.Name == "shop/settings");
    }

    [Theory]
    [InlineData("metadata: [a, b]")]
    [InlineData("metadata: {name: p, namespace: shop, labels: [x]}")]
    [InlineData("metadata: {name: p, labels: {a: {b: c}}}")]
    [InlineData("metadata: {name: p}\nspec: {containers: {web: {}}}")]
    [InlineData("metadata: {name: p}\nspec: {containers: [{name: c, ports: {containerPort: 80}}]}")]
    [InlineData("metadata: {name: p}\nspec: {containers: [{name: c, ports: [{containerPort: \"80\"}, {containerPort: 70000}, {protocol: ICMP, containerPort: 1}]}]}")]
    [InlineData("metadata: {name: p}\nspec: {containers: [7], initContainers: [{ports: [5]}], hostNetwork: maybe}")]
    [InlineData("metadata: {name: p}\nstatus: {podIP: not-an-ip, podIPs: [{ip: 10.0.0.1}, {ip: [1]}, 5]}")]
    [InlineData("metadata: {name: p}\nstatus: running")]
    [InlineData("metadata: {name: p}\nspec: 5")]
    [InlineData("metadata: {name: [p]}")]
    public void Wrong_types_in_fields_the_loader_reads_are_reported_alike(string podBody)
        => AssertEquivalent("apiVersion: v1\nkind: Pod\n" + podBody + "\n", expectClean: false);

    [Fact]
    public void Typed_lists_lend_their_kind_to_items_in_json_as_in_yaml()
    {
        var podList = """
            {"kind": "PodList", "apiVersion": "v1", "metadata": {},
             "items": [
               {"metadata": {"name": "a", "namespace": "x", "labels": {"app": "a"}, "managedFields": [{"manager": "m"}]},
                "spec": {"containers": [{"ports": [{"containerPort": 80}]}]}, "status": {"podIP": "10.0.0.1", "phase": "Running"}},
               {"metadata": {"name": "b", "namespace": "x"}, "kind": "Pod", "apiVersion": "v1"},
               {"metadata": {"name": "c", "namespace": "x"}, "spec": {"containers": [{"ports": [{"containerPort": 81}]}]}, "kind": "ConfigMap"}
             ]}
            """;
        Assert.Equal(ClusterText.Of(Tree("l.json", podList), positions: true), ClusterText.Of(Pruned("l.json", podList), positions: true));
        var result = Pruned("l.json", podList);
        Assert.Equal(["x/a", "x/b"], result.Cluster.Endpoints.Select(e => e.Id));
        Assert.Contains(result.Skipped, o => o.Kind == "ConfigMap" && o.Name == "x/c");
    }

    [Fact]
    public void Objects_whose_kind_comes_last_are_read_whole_and_alike()
    {
        var yaml = """
            metadata: {name: p, namespace: n, labels: {a: b}, managedFields: [{x: y}]}
            spec: {containers: [{ports: [{containerPort: 80}]}]}
            kind: Pod
            apiVersion: v1
            ---
            items:
            - metadata: {name: q, namespace: n}
              kind: Pod
              apiVersion: v1
            kind: List
            apiVersion: v1
            """;
        AssertEquivalent(yaml, expectClean: true);
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_into_read_fields_resolve_as_in_the_full_reader()
    {
        // The anchor sits in a field npgen skips (an annotation); the alias and the merge key bring it into labels and ports.
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              namespace: n
              annotations:
                shared: &labels {app: web, tier: front}
              labels:
                <<: *labels
                extra: x
            spec:
              volumes: [{name: v, configMap: &ports [{containerPort: 80}]}]
              containers:
              - name: c
                ports: *ports
            """;
        var pruned = Pruned("a.yaml", yaml);
        Assert.Equal(ClusterText.Of(Tree("a.yaml", yaml), positions: true), ClusterText.Of(pruned, positions: true));
        var pod = Assert.Single(pruned.Cluster.Endpoints);
        Assert.Equal("web", pod.Labels["app"]);
        Assert.Equal("x", pod.Labels["extra"]);
        Assert.Equal(80, Assert.Single(pod.Ports).Port);
    }

    [Fact]
    public void Yaml_errors_in_skipped_fields_are_the_full_readers_errors()
    {
        foreach (var body in new[]
        {
            "status: {a: 1, a: 2}",
            "status: {conditions: [{type: x, <<: 5}]}",
            "status: {x: *nowhere}",
            "status: {x: [1, 2}",
            "status:\n\tphase: x",
        })
        {
            var yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n" + body + "\n";
            var tree = Tree("e.yaml", yaml);
            Assert.True(tree.HasErrors, body);
            Assert.Equal(ClusterText.Of(tree, positions: true), ClusterText.Of(Pruned("e.yaml", yaml), positions: true));
        }
    }

    [Fact]
    public void A_json_dump_saved_as_yaml_is_read_as_json_by_its_first_character()
    {
        var directory = Directory.CreateTempSubdirectory("npgen-json-");
        try
        {
            var path = Path.Combine(directory.FullName, "dump.yaml");
            File.WriteAllText(path, "\uFEFF\n  " + ManifestJson.AsList(KubectlPod), new System.Text.UTF8Encoding(false));
            var fromFile = ManifestLoader.Load([ManifestSource.FromFile(path)]);
            var fromText = Tree(path, "\n  " + ManifestJson.AsList(KubectlPod));
            Assert.Equal(ClusterText.Of(fromText, positions: true), ClusterText.Of(fromFile, positions: true));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Json_positions_count_lines_and_characters_not_bytes()
    {
        var json = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\", \"annotations\": {\"é\": \"😀\"},\n  \"labels\": {\"a\": \"ü\", \"b\": [1]}}}";
        var pruned = Pruned("u.json", json);
        var error = Assert.Single(pruned.Diagnostics);
        Assert.Equal(new SourceLocation("u.json", 2, 29), error.Location); // ü is two bytes, one character
        Assert.Equal(ClusterText.Of(Tree("u.json", json), positions: true), ClusterText.Of(pruned, positions: true));
    }
}
