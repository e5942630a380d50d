using System.Collections.Immutable;
using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Review;

/// <summary>
/// Two policy sets compared on one set of manifests with the evaluator: every ordered pair of
/// endpoints, and every endpoint with the first address of each ipBlock either set names, on every
/// port either set or the pods mention. Returns the differing cells in words (empty: equal).
/// </summary>
internal static class PolicySetComparison
{
    public static List<string> Differences(Cluster manifests, IReadOnlyList<NetworkPolicy> before, IReadOnlyList<NetworkPolicy> after, int limit = 10)
    {
        // The evaluator needs every namespace a policy or a pod lives in; the loader adds those only named (S5.4), so do the same.
        var named = before.Concat(after).Select(p => p.Namespace).Concat(manifests.Endpoints.Select(e => e.Namespace)).Distinct(StringComparer.Ordinal)
            .Where(n => !manifests.Namespaces.Any(m => m.Name == n)).Select(n => Namespace.Create(n, [], null));
        manifests = manifests with { Namespaces = [.. manifests.Namespaces.Concat(named).OrderBy(n => n.Name, StringComparer.Ordinal)] };
        var old = PolicyEvaluator.Create(manifests with { Policies = [.. before] });
        var now = PolicyEvaluator.Create(manifests with { Policies = [.. after] });
        var probes = old.MentionedPorts().Concat(now.MentionedPorts()).Distinct().ToList();
        var addresses = ReachabilityGrid.IpBlockAddresses(manifests with { Policies = [.. before.Concat(after)] }).Select(ConnectionEnd.External).ToList();
        var ends = manifests.Endpoints.Select(e => { old.TryResolve(e.Id, out var end, out _); return end!; }).ToList();
        var differences = new List<string>();
        foreach (var probe in probes)
        {
            foreach (var from in ends.Concat(addresses))
            {
                foreach (var to in ends.Concat(addresses))
                {
                    if (from == to || (from.IsExternal && to.IsExternal))
                    {
                        continue;
                    }

                    var was = old.IsAllowed(from, to, probe.Port, probe.Protocol);
                    if (was != now.IsAllowed(from, to, probe.Port, probe.Protocol) && differences.Count < limit)
                    {
                        differences.Add($"{(was ? "-" : "+")} {from.Display} -> {to.Display} {probe}");
                    }
                }
            }
        }

        return differences;
    }

    public static Cluster WithoutPolicies(Cluster cluster) => cluster with { Policies = ImmutableArray<NetworkPolicy>.Empty };
}
