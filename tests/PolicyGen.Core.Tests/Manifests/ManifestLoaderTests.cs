using System.Net;
using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Manifests;

public sealed class ManifestLoaderTests
{
    private static LoadResult Load(string yaml, string name = "m.yaml") => ManifestLoader.LoadText(name, yaml);

    private static Diagnostic SingleError(LoadResult result)
    {
        Assert.True(result.HasErrors);
        return Assert.Single(result.Diagnostics);
    }

    [Fact]
    public void Replicas_with_the_same_labels_share_one_label_map_and_different_sets_never_merge()
    {
        // One map per distinct label set keeps 150,000 pods small and lets the evaluator project a
        // set once (S5.1 still sees each pod's own labels: the maps are immutable and equal).
        var result = ManifestLoader.Load([
            new ManifestSource("a.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web-1, namespace: shop, labels: {app: web, tier: front}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: odd-1, namespace: shop, labels: {a: "1b"}}
                """),
            new ManifestSource("b.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web-2, namespace: shop, labels: {tier: front, app: web}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: odd-2, namespace: shop, labels: {a1: b}}
                """),
        ]);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var byName = result.Cluster.Endpoints.ToDictionary(e => e.Name);
        Assert.Same(byName["web-1"].Labels, byName["web-2"].Labels);
        Assert.NotSame(byName["odd-1"].Labels, byName["odd-2"].Labels);
        Assert.Equal("1b", byName["odd-1"].Labels["a"]);
        Assert.Equal("b", byName["odd-2"].Labels["a1"]);
    }

    [Fact]
    public void Reads_pods_with_labels_ports_and_dual_stack_addresses()
    {
        var result = Load("""
            apiVersion: v1
            kind: Pod
            metadata: {name: web-1, namespace: shop, labels: {app: web, version: 2}}
            spec:
              containers:
              - name: c
                ports:
                - {name: http, containerPort: 8080}
                - {name: dns, containerPort: 53, protocol: UDP}
              initContainers:
              - name: sidecar
                ports: [{name: admin, containerPort: 9901}]
            status:
              podIP: 10.0.0.5
              podIPs: [{ip: 10.0.0.5}, {ip: "fd00::5"}]
            """);
        Assert.Empty(result.Diagnostics);
        var pod = Assert.Single(result.Cluster.Endpoints);
        Assert.Equal("shop/web-1", pod.Id);
        Assert.Equal("Pod", pod.Kind);
        Assert.Equal("2", pod.Labels["version"]); // a plain scalar in a string field is its text
        Assert.Equal(
            new[] { new ContainerPort("http", 8080, Protocol.TCP), new ContainerPort("dns", 53, Protocol.UDP), new ContainerPort("admin", 9901, Protocol.TCP) },
            pod.Ports.ToArray());
        Assert.Equal(new[] { IPAddress.Parse("10.0.0.5"), IPAddress.Parse("fd00::5") }, pod.Addresses.ToArray());
    }

    [Fact]
    public void Workloads_stand_for_their_pod_template_including_cronjobs()
    {
        var result = Load("""
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: backup, namespace: ops}
            spec:
              schedule: "@daily"
              jobTemplate:
                spec:
                  template:
                    metadata: {labels: {app: backup}}
                    spec:
                      containers: [{name: c, ports: [{containerPort: 9000}]}]
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: ops}
            spec:
              template:
                metadata: {labels: {app: agent}}
                spec:
                  hostNetwork: true
                  containers: [{name: c}]
            """);
        Assert.Empty(result.Diagnostics);
        var backup = result.Cluster.Endpoints.Single(e => e.Name == "backup");
        Assert.Equal("CronJob", backup.Kind);
        Assert.Equal("backup", backup.Labels["app"]);
        Assert.Equal(9000, Assert.Single(backup.Ports).Port);
        Assert.Empty(backup.Addresses);
        Assert.True(result.Cluster.Endpoints.Single(e => e.Name == "agent").HostNetwork);
    }

    [Fact]
    public void List_kind_json_and_unknown_kinds()
    {
        var result = Load("""
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "x"}},
              {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"k": "v"}},
              {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "svc"}, "spec": {"ports": [{"port": 80}]}}
            ]}
            """, "list.json");
        // Unknown kinds are not read, and said so (issue 12: never a silent skip), but are no error.
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.SkippedObjects, Severity.Warning), (warning.Code, warning.Severity));
        Assert.Equal("skipped 2 objects npgen does not use: 1 ConfigMap, 1 Service (in list.json)", warning.Message);
        Assert.Equal(["ConfigMap", "Service"], result.Skipped.Select(o => o.Kind));
        Assert.Equal("x/a", Assert.Single(result.Cluster.Endpoints).Id);
    }

    [Fact]
    public void S5_4_namespaces_get_their_name_label_and_referenced_ones_exist()
    {
        var result = Load("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: x, labels: {team: a}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: y}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: q}
            """);
        Assert.Empty(result.Diagnostics);
        var ns = result.Cluster.Namespaces.ToDictionary(n => n.Name);
        Assert.Equal(["default", "x", "y"], ns.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("x", ns["x"].Labels["kubernetes.io/metadata.name"]);
        Assert.Equal("a", ns["x"].Labels["team"]);
        Assert.Equal(Labels.Of(("kubernetes.io/metadata.name", "y")), ns["y"].Labels);
        Assert.Equal("default/q", result.Cluster.Endpoints.Single(e => e.Name == "q").Id);
    }

    [Fact]
    public void Policy_fields_keep_where_they_were_written()
    {
        var result = Load("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: p, namespace: x}
            spec:
              podSelector: {}
              ingress:
              - from:
                - ipBlock:
                    cidr: 10.0.0.0/8
                    except:
                    - 10.1.0.0/16
                ports:
                - port: "80"
                - port: 443
                  endPort: 445
            """);
        Assert.Empty(result.Diagnostics);
        var policy = Assert.Single(result.Cluster.Policies);
        Assert.Equal(new SourceLocation("m.yaml", 11, 11), policy.LocationOf("spec.ingress[0].from[0].ipBlock.except[0]"));
        Assert.Equal(1, policy.Location!.Line);
        var ports = policy.Ingress[0].Ports;
        Assert.Equal("80", ports[0].Port!.Name); // quoted: a (bad) port name, as the API server reads it
        Assert.Equal(443, ports[1].Port!.Number);
        Assert.Equal(445, ports[1].EndPort);
        Assert.Null(policy.PolicyTypes);
    }

    [Fact]
    public void Malformed_yaml_names_line_and_column()
    {
        var error = SingleError(Load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   labels: {}\n"));
        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.Equal(new SourceLocation("m.yaml", 5, 10), error.Location);
    }

    [Fact]
    public void Duplicate_key_is_a_yaml_error_with_a_hint()
    {
        var error = SingleError(Load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n"));
        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.Equal(5, error.Location!.Line);
        Assert.Equal("each key may appear once in a mapping: name is first set at line 4; keep one of the two, or merge them", error.Hint);
    }

    [Fact]
    public void Duplicate_key_in_a_large_mapping_is_found_too()
    {
        var labels = string.Concat(Enumerable.Range(0, 12).Select(i => $"    k{i}: v\n"));
        var error = SingleError(Load($"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n{labels}    k3: w\n"));
        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.Equal(new SourceLocation("m.yaml", 18, 5), error.Location);
        Assert.Equal("invalid YAML: Duplicate key k3", error.Message);
    }

    [Fact]
    public void Anchors_and_aliases_read_as_if_written_out()
    {
        var result = Load("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Pod
              metadata:
                name: a
                labels: &labels {app: web}
              spec:
                containers:
                - name: c
                  ports: &ports
                  - {containerPort: 8080, name: http}
            - apiVersion: v1
              kind: Pod
              metadata: {name: b, labels: *labels}
              spec:
                containers:
                - {name: c, ports: *ports}
            """);
        Assert.Empty(result.Diagnostics);
        var b = result.Cluster.Endpoints.Single(e => e.Name == "b");
        Assert.Equal("web", b.Labels["app"]);
        Assert.Equal(new ContainerPort("http", 8080, Protocol.TCP), Assert.Single(b.Ports));
        Assert.Equal(new SourceLocation("m.yaml", 14, 3), b.Location);
    }

    [Fact]
    public void An_alias_to_another_document_rejects_the_file()
    {
        var error = SingleError(Load("apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: &l {app: web}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, labels: *l}\n"));
        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.Contains("anchor 'l'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tagged_and_complex_keys_are_not_the_plain_field()
    {
        var result = Load("""
            apiVersion: v1
            kind: Namespace
            ? [not, a, field]
            : x
            metadata: {name: n, labels: {!!str team: a, team: b}}
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Equal("b", result.Cluster.Namespaces.Single(n => n.Name == "n").Labels["team"]);
    }

    [Fact]
    public void Several_sources_report_in_source_order_as_if_read_one_after_another()
    {
        var result = ManifestLoader.Load(
        [
            new ManifestSource("a.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"),
            new ManifestSource("b.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\n---\nkind: [\n"),
            new ManifestSource("c.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: r}\nspec: {hostNetwork: maybe}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"),
            new ManifestSource("d.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: r}\n"),
        ]);
        Assert.Equal(
            [(DiagnosticCodes.YamlSyntax, "b.yaml", 6), (DiagnosticCodes.WrongType, "c.yaml", 4), (DiagnosticCodes.DuplicateObject, "c.yaml", 6),
             (DiagnosticCodes.DuplicateEndpoint, "d.yaml", 1)],
            result.Diagnostics.Select(d => (d.Code, d.Location!.File, d.Location.Line)));
        Assert.Equal(["default/p", "default/r"], result.Cluster.Endpoints.Select(e => e.Id));
        Assert.Equal("a.yaml", result.Cluster.Endpoints[0].Location!.File);
    }

    [Fact]
    public void Quoted_container_port_is_a_wrong_type_with_a_fix()
    {
        var error = SingleError(Load("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: \"80\"\n"));
        Assert.Equal(DiagnosticCodes.WrongType, error.Code);
        Assert.Equal(new SourceLocation("m.yaml", 8, 22), error.Location);
        Assert.Contains("spec.containers[0].ports[0].containerPort: expected an integer", error.Message);
        Assert.Equal("remove the quotes", error.Hint);
    }

    [Fact]
    public void Messages_name_the_field_in_every_list_a_pod_holds()
    {
        // Clean pods are read once without path text; these are read again with it.
        var result = Load("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: a
              ownerReferences: [{kind: ReplicaSet, name: r}, [x]]
            spec:
              initContainers: [{name: i}, {name: j, ports: [{containerPort: 80, protocol: ICMP}]}]
            status:
              podIP: 10.0.0.1
              podIPs: [{ip: 10.0.0.1}, {ip: 10.0.0.999}]
            """);
        Assert.Equal(
            ["metadata.ownerReferences[1]: expected a mapping (key: value), found a list",
             "spec.initContainers[1].ports[0].protocol: unsupported protocol \"ICMP\"",
             "status.podIPs[1].ip: \"10.0.0.999\" is not an IP address"],
            result.Diagnostics.Select(d => d.Message).Order(StringComparer.Ordinal));
        var pod = Assert.Single(result.Cluster.Endpoints);
        Assert.Equal(["10.0.0.1"], pod.Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void Bad_pod_ip_and_missing_kind_are_reported_together()
    {
        var result = Load("""
            apiVersion: v1
            kind: Pod
            metadata: {name: a}
            status: {podIP: 10.0.0.300}
            ---
            apiVersion: v1
            metadata: {name: b}
            """);
        Assert.Equal(2, result.Diagnostics.Length);
        Assert.Equal(DiagnosticCodes.BadValue, result.Diagnostics[0].Code);
        Assert.Equal(4, result.Diagnostics[0].Location!.Line);
        Assert.Equal(DiagnosticCodes.MissingField, result.Diagnostics[1].Code);
        Assert.Equal(6, result.Diagnostics[1].Location!.Line);
        Assert.Contains("has no kind", result.Diagnostics[1].Message);
    }

    [Fact]
    public void Duplicate_objects_and_clashing_endpoints_are_errors()
    {
        var result = Load("""
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: a, namespace: x}
            spec: {template: {spec: {containers: []}}}
            """);
        Assert.Equal([DiagnosticCodes.DuplicateObject, DiagnosticCodes.DuplicateEndpoint], result.Diagnostics.Select(d => d.Code));
        Assert.Contains("already defined at m.yaml:1:1", result.Diagnostics[0].Message);
        Assert.Contains("Deployment x/a has the same namespace/name as Pod x/a", result.Diagnostics[1].Message);
        Assert.Single(result.Cluster.Endpoints);
    }

    [Fact]
    public void Files_expand_directories_recursively_in_a_stable_order()
    {
        var dir = Directory.CreateTempSubdirectory("npgen-files-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "sub"));
            File.WriteAllText(Path.Combine(dir, "b.yaml"), "");
            File.WriteAllText(Path.Combine(dir, "a.json"), "");
            File.WriteAllText(Path.Combine(dir, "sub", "c.yml"), "");
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "");
            var (sources, diagnostics) = ManifestFiles.Read([dir, "-", Path.Combine(dir, "missing.yaml")], () => "stdin text");
            Assert.Equal(
                [Path.Combine(dir, "a.json"), Path.Combine(dir, "b.yaml"), Path.Combine(dir, "sub", "c.yml"), "<stdin>"],
                sources.Select(s => s.Name));
            Assert.Equal("stdin text", sources[3].Text);
            Assert.Equal(DiagnosticCodes.FileNotFound, Assert.Single(diagnostics).Code);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
