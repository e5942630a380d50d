using PolicyGen.Model;

namespace PolicyGen.Evaluation;

/// <summary>
/// Compiles the cluster policies (S18) with the identity machinery of <see cref="EvaluatorBuilder"/>:
/// subjects and selector peers become <see cref="IdentitySet"/>s over the same identities, and
/// <c>networks</c> and node addresses become address blocks that also cut the IP atoms, so scale holds.
/// </summary>
internal static class ClusterLayerCompiler
{
    private static readonly string[] AnyProtocol = ["TCP", "UDP", "SCTP"];

    /// <summary>Label keys subjects and pod peers read, and the port names rules use: they tell identities apart.</summary>
    public static void AddKeys(Cluster cluster, HashSet<string> keys, HashSet<string> portNames)
    {
        foreach (var policy in cluster.ClusterPolicies)
        {
            AddPodKeys(policy.Subject, keys);
            foreach (var rule in policy.Ingress.Concat(policy.Egress))
            {
                foreach (var peer in rule.Peers)
                {
                    AddPodKeys(peer, keys);
                }

                foreach (var port in rule.Ports ?? [])
                {
                    if (port.Name is { } name)
                    {
                        portNames.Add(name);
                    }
                }
            }
        }
    }

    /// <summary>Every CIDR and node address the cluster policies mention, so that IP atoms are cut at their bounds.</summary>
    public static IEnumerable<CompiledIpBlock> AddressBlocks(Cluster cluster)
        => cluster.ClusterPolicies.SelectMany(p => p.Egress).SelectMany(r => r.Peers).SelectMany(p => Blocks(p, cluster));

    public static ClusterLayers Compile(Cluster cluster, EvaluatorBuilder builder, int identityCount)
    {
        if (cluster.ClusterPolicies.IsEmpty)
        {
            return ClusterLayers.None;
        }

        var compiled = cluster.ClusterPolicies.Select(p => CompilePolicy(p, cluster, builder)).ToList();
        return new ClusterLayers(
            [.. Ordered(compiled.Where(c => c.Source.Tier == ClusterPolicyTier.Admin))],
            [.. Ordered(compiled.Where(c => c.Source.Tier == ClusterPolicyTier.Baseline))],
            identityCount);
    }

    /// <summary>
    /// S18.4: lower priority first. Equal priorities, which the API leaves to the implementation, go
    /// by kind then name (npgen warns, NPG521); a BaselineAdminNetworkPolicy has no priority and comes
    /// after every baseline ClusterNetworkPolicy.
    /// </summary>
    public static IEnumerable<CompiledClusterPolicy> Ordered(IEnumerable<CompiledClusterPolicy> policies)
        => policies.OrderBy(p => p.Source.Priority ?? int.MaxValue).ThenBy(p => p.Source.Kind).ThenBy(p => p.Source.Name, StringComparer.Ordinal);

    private static CompiledClusterPolicy CompilePolicy(ClusterPolicy policy, Cluster cluster, EvaluatorBuilder builder)
    {
        CompiledClusterRule[] Rules(PolicyDirection direction)
            => [.. policy.Rules(direction).Select((rule, index) => CompileRule(policy, rule, index, cluster, builder))];

        return new CompiledClusterPolicy(policy, SelectPods(policy.Subject, builder), Rules(PolicyDirection.Ingress), Rules(PolicyDirection.Egress));
    }

    private static CompiledClusterRule CompileRule(ClusterPolicy policy, ClusterPolicyRule rule, int index, Cluster cluster, EvaluatorBuilder builder)
    {
        var sets = new List<IdentitySet>();
        var blocks = new List<CompiledIpBlock>();
        foreach (var peer in rule.Peers)
        {
            if (peer.FieldCount != 1)
            {
                continue; // the API wants exactly one field (validation reports it); such a peer matches nothing
            }

            sets.Add(SelectPods(peer, builder));
            foreach (var block in Blocks(peer, cluster))
            {
                blocks.Add(block);
                sets.Add(builder.AddressIdentities(block)); // S18.6: networks and node IPs match pod IPs too
            }
        }

        return new CompiledClusterRule(index, rule, rule.Action(policy.Kind), IdentitySet.Union(sets), [.. blocks], new PortMatcher(Ports(rule)));
    }

    /// <summary>S18.5: the pods a subject or a namespaces/pods peer selects (never hostNetwork pods with the default S13 treatment).</summary>
    private static IdentitySet SelectPods(ClusterPolicyPeer peer, EvaluatorBuilder builder)
        => peer.FieldCount != 1 ? IdentitySet.Empty
            : peer.Namespaces is { } namespaces ? builder.SelectPods(namespaces, null)
            : peer.Pods is { } pods ? builder.SelectPods(pods.NamespaceSelector, pods.PodSelector)
            : IdentitySet.Empty;

    private static IEnumerable<CompiledIpBlock> Blocks(ClusterPolicyPeer peer, Cluster cluster)
    {
        foreach (var text in peer.Networks ?? [])
        {
            if (Cidr.TryParse(text, out var cidr, out _))
            {
                yield return new CompiledIpBlock(cidr, []);
            }
        }

        if (peer.Nodes is { } selector)
        {
            foreach (var node in cluster.Nodes.Where(n => selector.Matches(n.Labels)))
            {
                foreach (var address in node.Addresses)
                {
                    var (family, number) = Cidr.ToNumber(address);
                    yield return new CompiledIpBlock(new Cidr(family, number, family == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128), []);
                }
            }
        }
    }

    /// <summary>
    /// S18.7: ports as NetworkPolicy ports. A named port has no protocol of its own: it matches the
    /// destination's container port of that name whatever its protocol. An entry that names nothing
    /// (rejected by validation) matches nothing rather than everything.
    /// </summary>
    private static IEnumerable<PolicyPort> Ports(ClusterPolicyRule rule)
    {
        foreach (var port in rule.Ports ?? [])
        {
            if (port.Name is { } name)
            {
                foreach (var protocol in AnyProtocol)
                {
                    yield return new PolicyPort { Protocol = protocol, Port = IntOrString.FromName(name) };
                }
            }
            else if (port.Start is { } start)
            {
                yield return new PolicyPort { Protocol = port.Protocol ?? "TCP", Port = IntOrString.FromNumber(start), EndPort = port.End ?? start };
            }
            else
            {
                yield return new PolicyPort { Protocol = port.Protocol ?? "none" };
            }
        }
    }

    private static void AddPodKeys(ClusterPolicyPeer peer, HashSet<string> keys)
    {
        if (peer.Pods is { } pods)
        {
            keys.UnionWith(pods.PodSelector.MatchLabels.Keys);
            keys.UnionWith(pods.PodSelector.MatchExpressions.Select(e => e.Key));
        }
    }
}
