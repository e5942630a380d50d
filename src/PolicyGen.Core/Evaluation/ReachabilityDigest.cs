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
        var endpoints = evaluator.Cluster.Endpoints;
        var count = endpoints.Length;
        var identityCount = evaluator.IdentityCount;
        var identityOf = new int[count];
        for (var e = 0; e < count; e++)
        {
            identityOf[e] = evaluator.IdentityOf(e);
        }

        var rowBytes = (count + 7) / 8;
        var words = (identityCount + 63) / 64;
        var selfAllowed = evaluator.Options.SelfTraffic == SelfTrafficMode.Allow;
        var buffer = new byte[3 * rowBytes];
        for (var p = 0; p < probes.Count; p++)
        {
            // Identity level first: per source identity, the destination identities whose ingress lets it in.
            var ingressOk = new ulong[identityCount * words];
            for (var d = 0; d < identityCount; d++)
            {
                var row = matrix.IngressSet(p, d);
                if (row is null)
                {
                    for (var s = 0; s < identityCount; s++)
                    {
                        ingressOk[(s * words) + (d >> 6)] |= 1UL << d;
                    }

                    continue;
                }

                for (var r = 0; r < row.RangeCount; r++)
                {
                    var (start, end) = row.RangeAt(r);
                    for (var s = start; s < end; s++)
                    {
                        ingressOk[(s * words) + (d >> 6)] |= 1UL << d;
                    }
                }
            }

            // Then endpoint rows, once per source identity, copied for each endpoint of the identity.
            var cache = new Dictionary<int, byte[]>();
            var egressOk = new ulong[words];
            for (var f = 0; f < count; f++)
            {
                var s = identityOf[f];
                if (!cache.TryGetValue(s, out var rows))
                {
                    Array.Clear(egressOk);
                    var row = matrix.EgressSet(p, s);
                    for (var r = 0; row is null ? r < 1 : r < row.RangeCount; r++)
                    {
                        var (start, end) = row is null ? (0, identityCount) : row.RangeAt(r);
                        for (var d = start; d < end; d++)
                        {
                            egressOk[d >> 6] |= 1UL << d;
                        }
                    }

                    rows = new byte[3 * rowBytes];
                    var ingressRow = ingressOk.AsSpan(s * words, words);
                    for (var t = 0; t < count; t++)
                    {
                        var d = identityOf[t];
                        var bit = 1UL << d;
                        var eg = (egressOk[d >> 6] & bit) != 0;
                        var ing = (ingressRow[d >> 6] & bit) != 0;
                        var mask = (byte)(1 << (t & 7));
                        if (eg && ing)
                        {
                            rows[t >> 3] |= mask;
                        }

                        if (ing)
                        {
                            rows[rowBytes + (t >> 3)] |= mask;
                        }

                        if (eg)
                        {
                            rows[(2 * rowBytes) + (t >> 3)] |= mask;
                        }
                    }

                    cache[s] = rows;
                }

                rows.CopyTo(buffer, 0);
                if (selfAllowed && endpoints[f].SinglePod)
                {
                    var mask = (byte)(1 << (f & 7)); // S12: a pod may always reach itself
                    buffer[f >> 3] |= mask;
                    buffer[rowBytes + (f >> 3)] |= mask;
                    buffer[(2 * rowBytes) + (f >> 3)] |= mask;
                }

                hash.AppendData(buffer);
            }

            progress?.Report((p + 1.0) / probes.Count);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
