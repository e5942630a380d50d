using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PolicyGen.Evaluation;

/// <summary>
/// The SHA-256 of the canonical reachability output (docs/benchmarks.md, "Canonical reachability"):
/// a header naming the options, the endpoints in cluster order and the probes, then for each probe
/// and each source endpoint three rows of bits over the destinations (allowed, ingress, egress),
/// least significant bit first. Two evaluators that agree on every cell give the same digest.
/// </summary>
public static class ReachabilityDigest
{
    public const string Format = "npgen-reachability-v1";

    public static string Header(PolicyEvaluator evaluator, IReadOnlyList<PortProbe> probes)
    {
        var text = new StringBuilder();
        text.Append(Format).Append('\n');
        text.Append("options self-traffic=").Append(evaluator.Options.SelfTraffic == SelfTrafficMode.Allow ? "allow" : "evaluate")
            .Append(" host-network=").Append(evaluator.Options.HostNetwork == HostNetworkMode.Node ? "node" : "pod").Append('\n');
        text.Append("endpoints ").Append(evaluator.Cluster.Endpoints.Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var endpoint in evaluator.Cluster.Endpoints)
        {
            text.Append(endpoint.Id).Append('\n');
        }

        text.Append("probes ").Append(probes.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var probe in probes)
        {
            text.Append(probe).Append('\n');
        }

        return text.ToString();
    }

    public static string Sha256(PolicyEvaluator evaluator, IReadOnlyList<PortProbe> probes, IProgress<double>? progress = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(Header(evaluator, probes)));
        var matrix = ReachabilityMatrix.Compute(evaluator, probes);
        var count = evaluator.Cluster.Endpoints.Length;
        var rowBytes = (count + 7) / 8;
        var rows = new byte[3 * rowBytes];
        for (var p = 0; p < probes.Count; p++)
        {
            for (var f = 0; f < count; f++)
            {
                matrix.WriteRows(p, f, rows.AsSpan(0, rowBytes), rows.AsSpan(rowBytes, rowBytes), rows.AsSpan(2 * rowBytes, rowBytes));
                hash.AppendData(rows);
            }

            progress?.Report((p + 1.0) / probes.Count);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
