using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PolicyGen.Manifests;

namespace PolicyGen.Workloads;

/// <summary>One file written for a workload.</summary>
public sealed record WorkloadFile(string Path, long Bytes, string Sha256);

/// <summary>The reachability digest recorded in manifest.json, and who computed it.</summary>
public sealed record WorkloadDigest(int Endpoints, int Probes, string Sha256, string ComputedBy, string? OracleSha256);

/// <summary>
/// Writes a generated workload as files: <c>intent.yaml</c>, <c>manifests/namespaces.yaml</c>,
/// <c>manifests/pods.yaml</c> (or <c>workloads.yaml</c>), <c>manifests/policies.yaml</c>, and
/// <c>manifest.json</c> with the parameters, the counts and the expected results. Bytes depend
/// only on the parameters and the seed: UTF-8 without BOM, <c>\n</c> line ends, sorted objects.
/// </summary>
public static class WorkloadFiles
{
    public const int GeneratorVersion = 1;
    public const string IntentFile = "intent.yaml";
    public const string ManifestsDirectory = "manifests";
    public const string ManifestFile = "manifest.json";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Reads a workload's manifests back from <paramref name="directory"/> the way a user's files are
    /// read (<c>npgen validate -f DIR/manifests</c>); a missing or unreadable directory is a diagnostic.
    /// </summary>
    public static LoadResult ReadManifests(string directory, IProgress<double>? progress = null)
    {
        var (sources, unreadable) = ManifestFiles.Read([Path.Combine(directory, ManifestsDirectory)], () => "");
        var loaded = ManifestLoader.Load(sources, progress);
        return unreadable.IsEmpty ? loaded : loaded with { Diagnostics = unreadable.AddRange(loaded.Diagnostics) };
    }

    /// <summary>
    /// Writes the intent and the cluster manifests; returns the files and the SHA-256 of the manifests
    /// together. With <paramref name="kubectl"/> the manifests are one file, <c>manifests/cluster.json</c>
    /// or <c>cluster.yaml</c>, printed as <c>kubectl get pods,ns,netpol,deploy,rs -A</c> prints a cluster.
    /// </summary>
    public static (IReadOnlyList<WorkloadFile> Files, string ManifestsSha256) Write(Workload workload, string directory, KubectlFormat? kubectl = null)
    {
        Directory.CreateDirectory(Path.Combine(directory, ManifestsDirectory));
        var files = new List<WorkloadFile>();
        using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (kubectl is { } format)
        {
            files.Add(WriteFile(directory, $"{ManifestsDirectory}/{KubectlDump.FileName(format)}", all, w => KubectlDump.Write(workload, (StreamWriter)w, format)));
            files.Insert(0, WriteFile(directory, IntentFile, null, w => w.Write(WorkloadIntentWriter.Write(workload))));
            return (files, Convert.ToHexStringLower(all.GetHashAndReset()));
        }

        var cluster = workload.Cluster;
        var replicas = workload.Apps.ToDictionary(a => a.Id, a => a.Replicas, StringComparer.Ordinal);

        files.Add(WriteFile(directory, $"{ManifestsDirectory}/namespaces.yaml", all, w =>
        {
            foreach (var ns in cluster.Namespaces)
            {
                ManifestWriter.WriteNamespace(w, ns);
            }
        }));
        var pods = workload.Parameters.Objects != "workloads";
        files.Add(WriteFile(directory, $"{ManifestsDirectory}/{(pods ? "pods" : "workloads")}.yaml", all, w =>
        {
            foreach (var endpoint in cluster.Endpoints)
            {
                ManifestWriter.WriteEndpoint(w, endpoint, replicas.GetValueOrDefault(endpoint.Id, 1));
            }
        }));
        files.Add(WriteFile(directory, $"{ManifestsDirectory}/policies.yaml", all, w =>
        {
            foreach (var policy in cluster.Policies)
            {
                ManifestWriter.WritePolicy(w, policy);
            }
        }));
        var manifestsSha = Convert.ToHexStringLower(all.GetHashAndReset());
        files.Insert(0, WriteFile(directory, IntentFile, null, w => w.Write(WorkloadIntentWriter.Write(workload))));
        return (files, manifestsSha);
    }

    private static WorkloadFile WriteFile(string directory, string relative, IncrementalHash? shared, Action<TextWriter> write)
    {
        var path = Path.Combine(directory, relative);
        using var own = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes;
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var hashing = new HashingStream(file, own, shared))
        using (var writer = new StreamWriter(hashing, Utf8, 1 << 16) { NewLine = "\n" })
        {
            write(writer);
            writer.Flush();
            bytes = file.Length;
        }

        return new WorkloadFile(relative, bytes, Convert.ToHexStringLower(own.GetHashAndReset()));
    }

    /// <summary>manifest.json: what was generated and what any evaluator must find in it.</summary>
    public static void WriteManifest(string directory, Workload workload, IReadOnlyList<WorkloadFile> files, string manifestsSha256,
        int identities, int portClasses, WorkloadDigest? digest, KubectlFormat? kubectl = null)
    {
        using var stream = new FileStream(Path.Combine(directory, ManifestFile), FileMode.Create, FileAccess.Write);
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", Output.ReportKinds.ApiVersion);
            json.WriteString("kind", Output.ReportKinds.BenchManifest);
            json.WriteString("generator", "npgen bench gen");
            json.WriteNumber("generatorVersion", GeneratorVersion);
            json.WriteString("preset", workload.Parameters.Preset);
            json.WriteNumber("seed", workload.Seed);
            json.WriteString("style", kubectl switch
            {
                KubectlFormat.Json => "kubectl -o json",
                KubectlFormat.Yaml => "kubectl -o yaml",
                _ => "plain",
            });
            json.WriteStartObject("parameters");
            foreach (var (key, value) in workload.Parameters.Describe())
            {
                switch (value)
                {
                    case int i: json.WriteNumber(key, i); break;
                    case double d: json.WriteNumber(key, d); break;
                    default: json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                }
            }

            json.WriteEndObject();
            json.WriteStartArray("files");
            foreach (var file in files)
            {
                json.WriteStartObject();
                json.WriteString("path", file.Path);
                json.WriteNumber("bytes", file.Bytes);
                json.WriteString("sha256", file.Sha256);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("manifestsSha256", manifestsSha256);
            var cluster = workload.Cluster;
            json.WriteStartObject("objects");
            json.WriteNumber("namespaces", cluster.Namespaces.Length);
            json.WriteNumber("pods", cluster.Endpoints.Count(e => e.Kind == "Pod"));
            json.WriteNumber("workloads", cluster.Endpoints.Count(e => e.Kind != "Pod"));
            json.WriteNumber("networkPolicies", cluster.Policies.Length);
            json.WriteNumber("apps", workload.Apps.Count(a => !a.System));
            json.WriteNumber("replicas", workload.PodCount);
            json.WriteNumber("calls", workload.Calls.Length);
            json.WriteEndObject();
            json.WriteStartObject("policyKinds");
            foreach (var (kind, count) in workload.PolicyKinds)
            {
                json.WriteNumber(kind, count);
            }

            json.WriteEndObject();
            json.WriteStartObject("expected");
            json.WriteNumber("identities", identities);
            json.WriteNumber("portClasses", portClasses);
            json.WriteStartObject("reachability");
            json.WriteString("format", Evaluation.ReachabilityDigest.Format);
            json.WriteString("options", "self-traffic=allow host-network=node");
            if (digest is null)
            {
                json.WriteNull("sha256");
                json.WriteString("note", "not computed: the canonical output has endpoints² × probes cells, too many for this size");
            }
            else
            {
                json.WriteNumber("endpoints", digest.Endpoints);
                json.WriteNumber("probes", digest.Probes);
                json.WriteString("sha256", digest.Sha256);
                json.WriteString("computedBy", digest.ComputedBy);
                if (digest.OracleSha256 is { } oracle)
                {
                    json.WriteString("oracleSha256", oracle);
                    json.WriteBoolean("matchesOracle", oracle == digest.Sha256);
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    /// <summary>Passes writes through while hashing them (per file, and the manifests together).</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash own, IncrementalHash? shared) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            own.AppendData(buffer);
            shared?.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
