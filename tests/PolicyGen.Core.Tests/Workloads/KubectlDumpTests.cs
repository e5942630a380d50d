using PolicyGen.Evaluation;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Workloads;

namespace PolicyGen.Core.Tests.Workloads;

/// <summary>
/// <c>npgen bench gen --style kubectl</c> prints the generated cluster as a real
/// <c>kubectl get pods,ns,netpol,deploy,rs -A -o json|yaml</c> dump. Reading that dump must give
/// the cluster of the plain output: the same pods (names, labels, IPs, ports, hostNetwork), the
/// same namespaces and the same reachability, whatever the dump adds around them.
/// </summary>
public sealed class KubectlDumpTests
{
    private static readonly (string Preset, ulong Seed)[] Cases = [("S", 1), ("S", 5), ("S", 9)];

    [Fact]
    public void Json_and_yaml_dumps_read_as_the_plain_outputs_pods_namespaces_and_reachability()
    {
        foreach (var (preset, seed) in Cases)
        {
            var workload = WorkloadGenerator.Generate(WorkloadParameters.FromPreset(preset)!, seed);
            var plain = Load(workload, null);
            var plainDigest = Digest(plain);
            foreach (var format in new[] { KubectlFormat.Json, KubectlFormat.Yaml })
            {
                var dump = Load(workload, format);
                var label = $"{preset} seed {seed}, {format}";
                Assert.True(Describe(plain.Namespaces) == Describe(dump.Namespaces), label);
                Assert.Equal(Pods(plain), Pods(dump));
                Assert.Equal(plain.Policies.Select(p => p.Id), dump.Policies.Select(p => p.Id));
                // The dump's Deployments and ReplicaSets stand for pods it also holds: compare the pods' answer.
                Assert.True(plainDigest == Digest(dump with { Endpoints = [.. dump.Endpoints.Where(e => e.Kind == "Pod")] }), label);
            }
        }
    }

    [Fact]
    public void A_dump_with_deployments_and_replica_sets_holds_exactly_the_plain_outputs_endpoints()
    {
        foreach (var (preset, seed) in Cases)
        {
            var workload = WorkloadGenerator.Generate(WorkloadParameters.FromPreset(preset)!, seed);
            var plain = Load(workload, null);
            foreach (var format in new[] { KubectlFormat.Json, KubectlFormat.Yaml })
            {
                var dump = Load(workload, format);
                Assert.Equal(Pods(plain), Pods(dump));
                Assert.Equal(plain.Endpoints.Length, dump.Endpoints.Length);
                Assert.Equal(Digest(plain), Digest(dump));
            }
        }
    }

    [Fact]
    public void A_dump_is_a_kind_List_of_full_objects_with_deployments_replica_sets_and_owner_references()
    {
        var workload = WorkloadGenerator.Generate(WorkloadParameters.FromPreset("S")!, 1);
        var text = Write(workload, KubectlFormat.Json, out _);
        using var json = System.Text.Json.JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal("List", root.GetProperty("kind").GetString());
        Assert.Equal("v1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("", root.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        var items = root.GetProperty("items").EnumerateArray().ToList();
        var kinds = items.Select(i => i.GetProperty("kind").GetString()).Distinct().ToList();
        Assert.Equal(["Pod", "Namespace", "NetworkPolicy", "Deployment", "ReplicaSet"], kinds);
        var replicaSets = items.Where(i => i.GetProperty("kind").GetString() == "ReplicaSet")
            .Select(i => (i.GetProperty("metadata").GetProperty("name").GetString(), i.GetProperty("metadata").GetProperty("uid").GetString()))
            .ToHashSet();
        var pods = items.Where(i => i.GetProperty("kind").GetString() == "Pod").ToList();
        Assert.Equal(workload.Cluster.Endpoints.Length, pods.Count);
        foreach (var pod in pods)
        {
            var metadata = pod.GetProperty("metadata");
            Assert.True(metadata.GetProperty("managedFields").GetArrayLength() >= 2);
            Assert.Equal(pod.GetProperty("status").GetProperty("podIP").GetString(), pod.GetProperty("status").GetProperty("podIPs")[0].GetProperty("ip").GetString());
            var owner = metadata.GetProperty("ownerReferences")[0];
            if (owner.GetProperty("kind").GetString() == "ReplicaSet")
            {
                // Every pod of a Deployment points at a ReplicaSet the dump holds, by name and uid.
                Assert.Contains((owner.GetProperty("name").GetString(), owner.GetProperty("uid").GetString()), replicaSets);
            }
        }
    }

    [Fact]
    public void The_same_seed_prints_the_same_bytes_and_a_pod_costs_kilobytes_as_in_a_real_dump()
    {
        foreach (var format in new[] { KubectlFormat.Json, KubectlFormat.Yaml })
        {
            var first = Write(WorkloadGenerator.Generate(WorkloadParameters.FromPreset("S")!, 2), format, out var pods);
            var second = Write(WorkloadGenerator.Generate(WorkloadParameters.FromPreset("S")!, 2), format, out _);
            var other = Write(WorkloadGenerator.Generate(WorkloadParameters.FromPreset("S")!, 3), format, out _);
            Assert.Equal(first, second);
            Assert.NotEqual(first, other);
            // kubectl prints several KB per pod (managedFields, status, volumes, env).
            Assert.True(first.Length / pods > 2_000, $"{format}: {first.Length / pods} bytes per pod");
        }
    }

    private static string Write(Workload workload, KubectlFormat format, out int pods)
    {
        var directory = Directory.CreateTempSubdirectory("npgen-kubectl-dump-").FullName;
        try
        {
            WorkloadFiles.Write(workload, directory, format);
            pods = workload.Cluster.Endpoints.Count(e => e.Kind == "Pod");
            return File.ReadAllText(Path.Combine(directory, WorkloadFiles.ManifestsDirectory, KubectlDump.FileName(format)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Cluster Load(Workload workload, KubectlFormat? format)
    {
        var directory = Directory.CreateTempSubdirectory("npgen-kubectl-dump-").FullName;
        try
        {
            WorkloadFiles.Write(workload, directory, format);
            var loaded = WorkloadFiles.ReadManifests(directory);
            Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
            return loaded.Cluster;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Digest(Cluster cluster)
        => ReachabilityDigest.Sha256(PolicyEvaluator.Create(cluster), WorkloadStatistics.CanonicalProbes(cluster));

    private static string Describe(IEnumerable<Namespace> namespaces)
        => string.Join("\n", namespaces.Select(n => $"{n.Name} {string.Join(",", n.Labels.Select(l => $"{l.Key}={l.Value}"))}"));

    private static List<string> Pods(Cluster cluster) => [.. cluster.Endpoints.Where(e => e.Kind == "Pod").Select(e =>
        $"{e.Id} {string.Join(",", e.Labels.Select(l => $"{l.Key}={l.Value}"))} {string.Join(",", e.Addresses)} {string.Join(",", e.Ports)} {e.HostNetwork}")];
}
