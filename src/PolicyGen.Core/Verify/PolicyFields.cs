using System.Globalization;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// A NetworkPolicy's spec as a flat map from field path (<c>spec.egress[1].to[0].podSelector.matchLabels.app</c>)
/// to value, so two versions of one policy can be compared field by field and each difference
/// named by the path a user would look for in the YAML.
/// </summary>
public static class PolicyFields
{
    public static SortedDictionary<string, string> Flatten(NetworkPolicy policy)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["spec.policyTypes"] = policy.PolicyTypes is { } types ? string.Join(",", types) : "(default)",
        };
        Selector(fields, "spec.podSelector", policy.PodSelector);
        Rules(fields, "spec.ingress", "from", policy.Ingress);
        Rules(fields, "spec.egress", "to", policy.Egress);
        return fields;
    }

    private static void Rules(SortedDictionary<string, string> fields, string path, string peersKey, IReadOnlyList<PolicyRule> rules)
    {
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r];
            var rulePath = $"{path}[{r}]";
            fields[rulePath] = "rule";
            if (rule.Peers.IsEmpty)
            {
                fields[$"{rulePath}.{peersKey}"] = "(every peer)";
            }

            for (var p = 0; p < rule.Peers.Length; p++)
            {
                var peer = rule.Peers[p];
                var peerPath = $"{rulePath}.{peersKey}[{p}]";
                fields[peerPath] = "peer";
                if (peer.PodSelector is { } pods)
                {
                    Selector(fields, peerPath + ".podSelector", pods);
                }

                if (peer.NamespaceSelector is { } namespaces)
                {
                    Selector(fields, peerPath + ".namespaceSelector", namespaces);
                }

                if (peer.IpBlock is { } block)
                {
                    fields[peerPath + ".ipBlock.cidr"] = block.Cidr;
                    if (!block.Except.IsEmpty)
                    {
                        fields[peerPath + ".ipBlock.except"] = string.Join(",", block.Except);
                    }
                }
            }

            if (rule.Ports.IsEmpty)
            {
                fields[$"{rulePath}.ports"] = "(every port)";
            }

            for (var p = 0; p < rule.Ports.Length; p++)
            {
                fields[$"{rulePath}.ports[{p}]"] = Port(rule.Ports[p]);
            }
        }
    }

    private static void Selector(SortedDictionary<string, string> fields, string path, LabelSelector selector)
    {
        fields[path] = "selector";
        foreach (var (key, value) in selector.MatchLabels)
        {
            fields[$"{path}.matchLabels.{key}"] = value;
        }

        for (var i = 0; i < selector.MatchExpressions.Length; i++)
        {
            var e = selector.MatchExpressions[i];
            fields[$"{path}.matchExpressions[{i}]"] = $"{e.Key} {e.Operator} ({string.Join(",", e.Values)})";
        }
    }

    /// <summary><c>8080/TCP</c>, <c>7000-7100/TCP</c>, <c>http/TCP</c>, <c>all/UDP</c>.</summary>
    public static string Port(PolicyPort port)
    {
        var number = port.Port?.ToString() ?? "all";
        var range = port.EndPort is { } end ? $"{number}-{end.ToString(CultureInfo.InvariantCulture)}" : number;
        return $"{range}/{port.Protocol ?? "TCP"}";
    }
}
