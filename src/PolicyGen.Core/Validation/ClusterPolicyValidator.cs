using System.Collections.Immutable;
using System.Globalization;
using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Validation;

/// <summary>
/// S18.8: the checks the API server's CRD schema and CEL rules make on AdminNetworkPolicy,
/// BaselineAdminNetworkPolicy (v1alpha1) and ClusterNetworkPolicy (v1alpha2)
/// (kubernetes-sigs/network-policy-api apis/v1alpha1/*_types.go, apis/v1alpha2/clusternetworkpolicy_types.go),
/// plus the warning for equal priorities that could both match (S18.4). Each problem is a diagnostic
/// with the field's file:line:col and a hint.
/// </summary>
public static class ClusterPolicyValidator
{
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];
    private const int MaxNameLength = 100;
    private const int MaxCidrLength = 43;

    public static ImmutableArray<Diagnostic> Validate(Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var problems = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var policy in cluster.ClusterPolicies)
        {
            Validate(policy, problems);
        }

        EqualPriorityOverlaps(cluster, problems);
        return problems.ToImmutable();
    }

    private static void Validate(ClusterPolicy policy, ImmutableArray<Diagnostic>.Builder problems)
    {
        void Error(string code, string path, string message, string hint)
            => problems.Add(Diagnostic.Error(code, $"{policy.Kind} {policy.Name}: {path}: {message}", policy.LocationOf(path), hint));

        foreach (var error in KubernetesNames.Dns1123SubdomainErrors(policy.Name))
        {
            Error(DiagnosticCodes.ClusterPolicyName, "metadata.name", $"Invalid value: \"{policy.Name}\": {error}", "use lowercase letters, digits, '-' and '.'");
        }

        var v2 = policy.Kind == ClusterPolicyKind.ClusterNetworkPolicy;
        if (policy.Kind == ClusterPolicyKind.BaselineAdminNetworkPolicy && policy.Name != "default")
        {
            Error(DiagnosticCodes.ClusterPolicyName, "metadata.name", "Only one baseline admin network policy with metadata.name=\"default\" can be created in the cluster",
                "name it default: the API accepts no other BaselineAdminNetworkPolicy");
        }

        if (v2 && policy.TierText is not ("Admin" or "Baseline"))
        {
            Error(DiagnosticCodes.ClusterPolicyTierOrPriority, "spec.tier", policy.TierText is null ? "Required value" : $"Unsupported value: \"{policy.TierText}\": supported values: \"Admin\", \"Baseline\"",
                "write tier: Admin (before NetworkPolicy) or tier: Baseline (after it)");
        }

        if (policy.Kind != ClusterPolicyKind.BaselineAdminNetworkPolicy && policy.Priority is not (>= 0 and <= 1000))
        {
            Error(DiagnosticCodes.ClusterPolicyTierOrPriority, "spec.priority", policy.Priority is { } p
                ? $"Invalid value: {p.ToString(CultureInfo.InvariantCulture)}: should be between 0 and 1000" : "Required value",
                "give a priority from 0 to 1000; lower numbers are evaluated first");
        }

        ValidateSubject(policy, Error);
        var maxItems = v2 ? 25 : 100;
        ValidateRules(policy, PolicyDirection.Ingress, maxItems, Error, problems);
        ValidateRules(policy, PolicyDirection.Egress, maxItems, Error, problems);
    }

    private static void ValidateSubject(ClusterPolicy policy, Action<string, string, string, string> error)
    {
        var subject = policy.Subject;
        if (subject.FieldCount != 1 || (subject.Namespaces is null && subject.Pods is null))
        {
            error(DiagnosticCodes.ClusterPolicySubject, "spec.subject", "must set exactly one of namespaces or pods",
                "write subject: {namespaces: {...}} or subject: {pods: {namespaceSelector: {...}, podSelector: {...}}}");
        }

        if (subject.Pods is { } pods)
        {
            RequireBoth(pods, "spec.subject.pods", error);
        }
    }

    private static void RequireBoth(NamespacedPods pods, string path, Action<string, string, string, string> error)
    {
        if (ReferenceEquals(pods.NamespaceSelector, NamespacedPods.MissingSelector) || ReferenceEquals(pods.PodSelector, NamespacedPods.MissingSelector))
        {
            error(DiagnosticCodes.ClusterPolicySubject, path, "namespaceSelector and podSelector are both required",
                "write {} for the one that should match everything");
        }
    }

    private static void ValidateRules(ClusterPolicy policy, PolicyDirection direction, int maxItems, Action<string, string, string, string> error,
        ImmutableArray<Diagnostic>.Builder problems)
    {
        var word = direction == PolicyDirection.Ingress ? "ingress" : "egress";
        var peersKey = direction == PolicyDirection.Ingress ? "from" : "to";
        var portsKey = policy.Kind == ClusterPolicyKind.ClusterNetworkPolicy ? "protocols" : "ports";
        var rules = policy.Rules(direction);
        if (rules.Length > maxItems)
        {
            error(DiagnosticCodes.ClusterPolicyRule, $"spec.{word}", $"Too many: {rules.Length}: must have at most {maxItems} items", "split the rules over several policies");
        }

        for (var r = 0; r < rules.Length; r++)
        {
            var rule = rules[r];
            var path = $"spec.{word}[{r}]";
            if (rule.Name is { Length: > MaxNameLength })
            {
                error(DiagnosticCodes.ClusterPolicyRule, path + ".name", $"Too long: may not be more than {MaxNameLength} bytes", "shorten the rule name");
            }

            if (rule.Action(policy.Kind) is null)
            {
                var allowed = policy.Kind switch
                {
                    ClusterPolicyKind.AdminNetworkPolicy => "\"Allow\", \"Deny\", \"Pass\"",
                    ClusterPolicyKind.BaselineAdminNetworkPolicy => "\"Allow\", \"Deny\"",
                    _ => "\"Accept\", \"Deny\", \"Pass\"",
                };
                error(DiagnosticCodes.ClusterPolicyAction, path + ".action", rule.ActionText.Length == 0 ? "Required value" : $"Unsupported value: \"{rule.ActionText}\": supported values: {allowed}",
                    policy.Kind == ClusterPolicyKind.ClusterNetworkPolicy ? "v1alpha2 writes Accept where v1alpha1 wrote Allow" : $"use one of {allowed}");
            }

            if (rule.Peers.Length is 0 || rule.Peers.Length > maxItems)
            {
                error(DiagnosticCodes.ClusterPolicyRule, $"{path}.{peersKey}", rule.Peers.IsEmpty ? "Required value: must have at least 1 item" : $"Too many: {rule.Peers.Length}: must have at most {maxItems} items",
                    $"list the peers under {peersKey}:");
            }

            for (var p = 0; p < rule.Peers.Length; p++)
            {
                ValidatePeer(rule.Peers[p], $"{path}.{peersKey}[{p}]", direction, error, policy, problems);
            }

            if (rule.Ports is { } ports)
            {
                if (ports.Length is 0 || ports.Length > maxItems)
                {
                    error(DiagnosticCodes.ClusterPolicyPort, $"{path}.{portsKey}", ports.IsEmpty ? "Required value: must have at least 1 item" : $"Too many: {ports.Length}: must have at most {maxItems} items",
                        $"leave {portsKey} out to match every port");
                }

                for (var i = 0; i < ports.Length; i++)
                {
                    ValidatePort(ports[i], $"{path}.{portsKey}[{i}]", error);
                }

                // CEL rule of the egress rule types: named ports need pods on the other side.
                if (ports.Any(x => x.Name is not null) && rule.Peers.Any(x => x.Networks is not null || x.Nodes is not null || x.DomainNames is not null))
                {
                    error(DiagnosticCodes.ClusterPolicyPort, path, "networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames",
                        "give the port as a number, or move those peers to a rule of their own");
                }
            }
        }
    }

    private static void ValidatePeer(ClusterPolicyPeer peer, string path, PolicyDirection direction, Action<string, string, string, string> error,
        ClusterPolicy policy, ImmutableArray<Diagnostic>.Builder problems)
    {
        var known = (peer.Namespaces is null ? 0 : 1) + (peer.Pods is null ? 0 : 1) + (peer.Nodes is null ? 0 : 1) + (peer.Networks is null ? 0 : 1) + (peer.DomainNames is null ? 0 : 1);
        if (peer.FieldCount != 1 || known != 1)
        {
            error(DiagnosticCodes.ClusterPolicyPeer, path, "must set exactly one of " + (direction == PolicyDirection.Ingress ? "namespaces or pods" : "namespaces, pods, nodes, networks or domainNames"),
                "write one field per peer entry; list several entries to match several kinds of peer");
        }

        if (direction == PolicyDirection.Ingress && (peer.Nodes is not null || peer.Networks is not null || peer.DomainNames is not null))
        {
            error(DiagnosticCodes.ClusterPolicyPeer, path, "ingress peers can only be namespaces or pods", "nodes, networks and domainNames are egress peers");
        }

        if (peer.Pods is { } pods)
        {
            RequireBoth(pods, path + ".pods", error);
        }

        if (peer.Networks is { } networks)
        {
            if (networks.Length is 0 or > 25)
            {
                error(DiagnosticCodes.ClusterPolicyPeer, path + ".networks", networks.IsEmpty ? "Required value: must have at least 1 item" : $"Too many: {networks.Length}: must have at most 25 items", "list 1 to 25 CIDRs");
            }

            for (var i = 0; i < networks.Length; i++)
            {
                if (networks[i].Length > MaxCidrLength || !Cidr.TryParse(networks[i], out _, out _))
                {
                    error(DiagnosticCodes.ClusterPolicyPeer, $"{path}.networks[{i}]", $"Invalid value: \"{networks[i]}\": Invalid CIDR format provided", "write a CIDR such as 10.0.0.0/8 or fd00::/8");
                }
            }
        }

        if (peer.DomainNames is not null && peer.FieldCount == 1)
        {
            problems.Add(Diagnostic.Warning(DiagnosticCodes.ClusterPolicyDomainNames,
                $"{policy.Kind} {policy.Name}: {path}.domainNames: npgen cannot resolve domain names, so this peer matches no address in its answers",
                policy.LocationOf(path + ".domainNames"), "query the addresses the names resolve to with a networks peer in mind; the cluster resolves them at run time"));
        }
    }

    private static void ValidatePort(ClusterPolicyPort port, string path, Action<string, string, string, string> error)
    {
        if (port.FieldCount != 1)
        {
            error(DiagnosticCodes.ClusterPolicyPort, path, "must set exactly one port form", "write one of portNumber, portRange, namedPort (v1alpha1) or tcp, udp, sctp, destinationNamedPort (v1alpha2) per entry");
        }

        if (port.Name is { } name)
        {
            foreach (var problem in KubernetesNames.IanaSvcNameErrors(name))
            {
                error(DiagnosticCodes.ClusterPolicyPort, path, $"Invalid value: \"{name}\": {problem}", "name a container port of the destination pods");
            }

            return;
        }

        if (port.Protocol is { } protocol && !Protocols.Contains(protocol, StringComparer.Ordinal))
        {
            error(DiagnosticCodes.ClusterPolicyPort, path + ".protocol", $"Unsupported value: \"{protocol}\": supported values: \"TCP\", \"UDP\", \"SCTP\"", "write TCP, UDP or SCTP in capitals");
        }

        if (port.FieldCount == 1 && port.Start is null)
        {
            error(DiagnosticCodes.ClusterPolicyPort, path, "Required value: a port number or range", "write destinationPort: {number: N} or destinationPort: {range: {start: A, end: B}}");
        }

        foreach (var (value, field) in new[] { (port.Start, port.IsRange ? "start" : "port"), (port.End, "end") })
        {
            if (value is { } v && v is < 1 or > 65535 && (field != "end" || port.IsRange))
            {
                error(DiagnosticCodes.ClusterPolicyPort, $"{path}.{field}", $"Invalid value: {v.ToString(CultureInfo.InvariantCulture)}: should be between 1 and 65535", "ports are 1 to 65535");
            }
        }

        if (port.IsRange && port.Start is { } start && port.End is { } end && start >= end)
        {
            error(DiagnosticCodes.ClusterPolicyPort, path, "Start port must be less than End port", "write a single port as a number, not a range of one");
        }
    }

    /// <summary>
    /// S18.4: two policies of one tier with one priority whose subjects share a pod and which both
    /// have rules in one direction: the API leaves their order undefined, so the answer may differ by implementation.
    /// </summary>
    private static void EqualPriorityOverlaps(Cluster cluster, ImmutableArray<Diagnostic>.Builder problems)
    {
        var namespaces = cluster.Namespaces.ToDictionary(n => n.Name, n => n.Labels.SetItem(Namespace.NameLabel, n.Name), StringComparer.Ordinal);
        var ranked = cluster.ClusterPolicies.Where(p => p.Priority is not null).GroupBy(p => (p.Tier, p.Priority)).Where(g => g.Count() > 1);
        foreach (var group in ranked)
        {
            var list = group.OrderBy(p => p.Kind).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    var (a, b) = (list[i], list[j]);
                    var sharedDirection = (a.Ingress.Length > 0 && b.Ingress.Length > 0) || (a.Egress.Length > 0 && b.Egress.Length > 0);
                    var pod = sharedDirection ? cluster.Endpoints.FirstOrDefault(e => Selects(a.Subject, e, namespaces) && Selects(b.Subject, e, namespaces)) : null;
                    if (pod is not null)
                    {
                        problems.Add(Diagnostic.Warning(DiagnosticCodes.ClusterPolicyEqualPriority,
                            $"{a.Kind} {a.Name} and {b.Kind} {b.Name} have the same tier ({a.Tier}) and priority ({a.Priority!.Value.ToString(CultureInfo.InvariantCulture)}) and both apply to {pod.Id}: the API leaves their order undefined; npgen evaluates {a.Kind} {a.Name} first (kind, then name)",
                            b.LocationOf("spec.priority"), "give them different priorities so every implementation agrees"));
                    }
                }
            }
        }
    }

    private static bool Selects(ClusterPolicyPeer subject, Endpoint endpoint, Dictionary<string, ImmutableSortedDictionary<string, string>> namespaces)
    {
        if (!namespaces.TryGetValue(endpoint.Namespace, out var nsLabels))
        {
            return false;
        }

        return subject.FieldCount == 1 && (subject.Namespaces is { } ns ? ns.Matches(nsLabels)
            : subject.Pods is { } pods && pods.NamespaceSelector.Matches(nsLabels) && pods.PodSelector.Matches(endpoint.Labels));
    }
}
