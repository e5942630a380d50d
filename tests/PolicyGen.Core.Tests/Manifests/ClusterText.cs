using System.Text;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Workloads;

namespace PolicyGen.Core.Tests.Manifests;

/// <summary>A load result as text (every record field, in order), so two reads can be compared whole; positions optional.</summary>
internal static class ClusterText
{
    public static string Of(LoadResult result, bool positions)
    {
        var text = new StringBuilder();
        foreach (var ns in result.Cluster.Namespaces)
        {
            text.Append($"namespace {ns.Name} {Map(ns.Labels)} {At(ns.Location, positions)}\n");
        }

        foreach (var e in result.Cluster.Endpoints)
        {
            text.Append($"{e.Kind} {e.Id} {Map(e.Labels)} ips=[{string.Join(",", e.Addresses)}] ports=[{string.Join(",", e.Ports)}] host={e.HostNetwork} replicas={e.Replicas} {At(e.Location, positions)}\n");
        }

        foreach (var p in result.Cluster.Policies)
        {
            var yaml = new StringWriter();
            ManifestWriter.WritePolicy(yaml, p);
            text.Append($"policy {p.Id} {Map(p.Labels)} {Map(p.Annotations)} {At(p.Location, positions)}\n{yaml}");
            if (positions)
            {
                foreach (var (path, at) in p.FieldLocations.OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    text.Append($"  {path} {at}\n");
                }
            }
        }

        foreach (var d in result.Diagnostics)
        {
            // Without positions, also those a message names (the first object of a kind ...).
            text.Append(positions ? d.ToString() : System.Text.RegularExpressions.Regex.Replace($"{d.Code} {d.Severity} {d.Message} {d.Hint}", @":\d+:\d+", "")).Append('\n');
        }

        foreach (var s in result.Skipped.Concat(result.Unmodeled))
        {
            text.Append($"skipped {s.ApiVersion} {s.Kind} {s.Name} {At(s.Location, positions)}\n");
        }

        return text.ToString();
    }

    private static string Map(IEnumerable<KeyValuePair<string, string>> map) => "{" + string.Join(",", map.Select(kv => $"{kv.Key}={kv.Value}")) + "}";

    private static string At(PolicyGen.Diagnostics.SourceLocation? location, bool positions) => positions ? location?.ToString() ?? "-" : "";
}
