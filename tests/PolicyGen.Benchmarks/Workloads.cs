using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Workloads;

namespace PolicyGen.Benchmarks;

/// <summary>Generated workloads (npgen bench gen), loaded through the manifest loader as a user's files would be.</summary>
public static class Workloads
{
    private static readonly Dictionary<string, Cluster> Cache = new(StringComparer.Ordinal);

    /// <summary>A preset with optional parameter changes (key=value), generated, written as YAML and read back.</summary>
    public static Cluster Load(string preset, ulong seed = 1, params string[] settings)
    {
        var key = $"{preset}/{seed}/{string.Join(",", settings)}";
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var parameters = WorkloadParameters.FromPreset(preset) ?? throw new ArgumentException(preset, nameof(preset));
        foreach (var setting in settings)
        {
            var (changed, error) = parameters.With(setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            parameters = changed ?? throw new ArgumentException(error, nameof(settings));
        }

        var workload = WorkloadGenerator.Generate(parameters, seed);
        var yaml = new StringWriter();
        foreach (var ns in workload.Cluster.Namespaces)
        {
            ManifestWriter.WriteNamespace(yaml, ns);
        }

        foreach (var endpoint in workload.Cluster.Endpoints)
        {
            ManifestWriter.WriteEndpoint(yaml, endpoint);
        }

        foreach (var policy in workload.Cluster.Policies)
        {
            ManifestWriter.WritePolicy(yaml, policy);
        }

        var loaded = ManifestLoader.LoadText($"{preset}.yaml", yaml.ToString());
        if (loaded.HasErrors)
        {
            throw new InvalidOperationException(string.Join("\n", loaded.Diagnostics));
        }

        return Cache[key] = loaded.Cluster;
    }

    /// <summary>Reads a directory written by npgen bench gen.</summary>
    public static LoadResult LoadDirectory(string directory, IProgress<double>? progress = null)
        => WorkloadFiles.ReadManifests(directory, progress);
}
