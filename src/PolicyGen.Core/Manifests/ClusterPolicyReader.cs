using System.Collections.Immutable;
using System.Net;
using PolicyGen.Diagnostics;
using PolicyGen.Model;

namespace PolicyGen.Manifests;

/// <summary>
/// Reads the cluster-scoped policy kinds (AdminNetworkPolicy and BaselineAdminNetworkPolicy
/// v1alpha1, ClusterNetworkPolicy v1alpha2) and Nodes into model objects (S18). Kept apart from
/// <see cref="ManifestLoader"/>, which hands it whole objects of these kinds through one dispatch.
/// Validation (PolicyValidator, ClusterPolicyValidator) judges the values; this only reads shapes.
/// </summary>
internal sealed class ClusterPolicyReader
{
    public const string Group = "policy.networking.k8s.io";

    private readonly List<ClusterPolicy> policies = [];
    private readonly List<ClusterNode> nodes = [];

    /// <summary>The group/kind and version pairs read here; another version of these kinds is named as unmodeled.</summary>
    public static bool Reads(string groupKind, string apiVersion) => (groupKind, apiVersion) switch
    {
        ("/Node", "v1") => true,
        ($"{Group}/AdminNetworkPolicy", $"{Group}/v1alpha1") => true,
        ($"{Group}/BaselineAdminNetworkPolicy", $"{Group}/v1alpha1") => true,
        ($"{Group}/ClusterNetworkPolicy", $"{Group}/v1alpha2") => true,
        _ => false,
    };

    public int Count => policies.Count + nodes.Count;

    public (int Policies, int Nodes) Mark => (policies.Count, nodes.Count);

    /// <summary>Forgets what was read after <paramref name="mark"/> (a source with a syntax error counts as unread).</summary>
    public void Rollback((int Policies, int Nodes) mark)
    {
        policies.RemoveRange(mark.Policies, policies.Count - mark.Policies);
        nodes.RemoveRange(mark.Nodes, nodes.Count - mark.Nodes);
    }

    /// <summary>Adds what was read to the cluster, sorted so answers do not depend on file order.</summary>
    public Cluster AddTo(Cluster cluster) => cluster with
    {
        ClusterPolicies = [.. policies.OrderBy(p => p.Kind).ThenBy(p => p.Name, StringComparer.Ordinal)],
        Nodes = [.. nodes.OrderBy(n => n.Name, StringComparer.Ordinal)],
    };

    /// <param name="claim">Registers the object's identity; false for a duplicate (already reported).</param>
    public void Read(MappingNode map, string apiVersion, string kind, YamlNodeReader reader, Func<string, SourceLocation, bool> claim)
    {
        if (kind == "Node")
        {
            ReadNode(map, reader, claim);
            return;
        }

        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        reader.FieldLocations = locations;
        try
        {
            var policyKind = Enum.Parse<ClusterPolicyKind>(kind);
            var metadata = reader.Mapping(map, "metadata", "metadata");
            var name = metadata is null ? null : reader.String(metadata, "name", "metadata.name");
            if (string.IsNullOrEmpty(name))
            {
                reader.Error(DiagnosticCodes.MissingField, $"{kind} has no metadata.name", metadata ?? map,
                    "add metadata: {name: ...}; npgen needs the name to refer to the object");
                return;
            }

            var v2 = policyKind == ClusterPolicyKind.ClusterNetworkPolicy;
            var spec = reader.Mapping(map, "spec", "spec");
            var policy = new ClusterPolicy { Kind = policyKind, ApiVersion = apiVersion, Name = name, Location = map.Location };
            if (spec is not null)
            {
                var subject = reader.Mapping(spec, "subject", "spec.subject");
                policy = policy with
                {
                    TierText = reader.String(spec, "tier", "spec.tier"),
                    Priority = reader.Int(spec, "priority", "spec.priority"),
                    Subject = subject is null ? new ClusterPolicyPeer() : ReadPeer(subject, "spec.subject", reader),
                    Ingress = ReadRules(spec, "ingress", "from", v2, reader),
                    Egress = ReadRules(spec, "egress", "to", v2, reader),
                };
            }

            if (claim($"{kind} {name}", map.Location))
            {
                policies.Add(policy with { FieldLocations = locations.ToImmutableDictionary(StringComparer.Ordinal) });
            }
        }
        finally
        {
            reader.FieldLocations = null;
        }
    }

    private void ReadNode(MappingNode map, YamlNodeReader reader, Func<string, SourceLocation, bool> claim)
    {
        var metadata = reader.Mapping(map, "metadata", "metadata");
        var name = metadata is null ? null : reader.String(metadata, "name", "metadata.name");
        if (string.IsNullOrEmpty(name))
        {
            reader.Error(DiagnosticCodes.MissingField, "Node has no metadata.name", metadata ?? map, "add metadata: {name: ...}");
            return;
        }

        var labels = metadata is null ? Labels.Empty : reader.StringMap(metadata, "labels", "metadata.labels");
        var addresses = ImmutableArray.CreateBuilder<IPAddress>();
        if (reader.Mapping(map, "status", "status") is { } status)
        {
            var entries = reader.Sequence(status, "addresses", "status.addresses");
            for (var i = 0; i < entries.Length; i++)
            {
                // Hostnames and DNS names are not addresses a packet carries; only IPs are kept.
                if (reader.AsMapping(entries[i], $"status.addresses[{i}]") is { } entry
                    && reader.String(entry, "address", $"status.addresses[{i}].address") is { } text
                    && IpAddressText.TryParse(text, out var address))
                {
                    addresses.Add(address);
                }
            }
        }

        if (claim($"Node {name}", map.Location))
        {
            nodes.Add(new ClusterNode(name, labels, addresses.ToImmutable(), map.Location));
        }
    }

    private static ImmutableArray<ClusterPolicyRule> ReadRules(MappingNode spec, string direction, string peersKey, bool v2, YamlNodeReader reader)
    {
        var rules = reader.Sequence(spec, direction, $"spec.{direction}");
        var result = ImmutableArray.CreateBuilder<ClusterPolicyRule>(rules.Length);
        for (var r = 0; r < rules.Length; r++)
        {
            var rulePath = $"spec.{direction}[{r}]";
            reader.Record(rulePath, rules[r]);
            if (reader.AsMapping(rules[r], rulePath) is not { } rule)
            {
                continue;
            }

            var peers = reader.Sequence(rule, peersKey, $"{rulePath}.{peersKey}");
            var portsKey = v2 ? "protocols" : "ports";
            ImmutableArray<ClusterPolicyPort>? ports = null;
            if (reader.Child(rule, portsKey, $"{rulePath}.{portsKey}") is not null)
            {
                var entries = reader.Sequence(rule, portsKey, $"{rulePath}.{portsKey}");
                ports = [.. entries.Select((p, i) => ReadPort(p, $"{rulePath}.{portsKey}[{i}]", v2, reader)).OfType<ClusterPolicyPort>()];
            }

            result.Add(new ClusterPolicyRule
            {
                Name = reader.String(rule, "name", $"{rulePath}.name"),
                ActionText = reader.String(rule, "action", $"{rulePath}.action") ?? "",
                Peers = [.. peers.Select((p, i) => reader.AsMapping(p, $"{rulePath}.{peersKey}[{i}]") is { } m ? ReadPeer(m, $"{rulePath}.{peersKey}[{i}]", reader) : null).OfType<ClusterPolicyPeer>()],
                Ports = ports,
            });
        }

        return result.ToImmutable();
    }

    private static ClusterPolicyPeer ReadPeer(MappingNode map, string path, YamlNodeReader reader)
    {
        reader.Record(path, map);
        var namespaces = reader.Mapping(map, "namespaces", path + ".namespaces");
        var pods = reader.Mapping(map, "pods", path + ".pods");
        var nodes = reader.Mapping(map, "nodes", path + ".nodes");
        var networks = reader.Child(map, "networks", path + ".networks");
        var domains = reader.Child(map, "domainNames", path + ".domainNames");
        return new ClusterPolicyPeer
        {
            Namespaces = namespaces is null ? null : ManifestLoader.ReadSelector(namespaces, path + ".namespaces", reader),
            Pods = pods is null ? null : new NamespacedPods(
                Selector(pods, "namespaceSelector", path + ".pods", reader),
                Selector(pods, "podSelector", path + ".pods", reader)),
            Nodes = nodes is null ? null : ManifestLoader.ReadSelector(nodes, path + ".nodes", reader),
            Networks = networks is null ? null : ManifestLoader.ReadStrings(map, "networks", path + ".networks", reader),
            DomainNames = domains is null ? null : ManifestLoader.ReadStrings(map, "domainNames", path + ".domainNames", reader),
            FieldCount = map.Entries.Count(e => !YamlNodeReader.IsNull(e.Value)),
        };
    }

    /// <summary>Both selectors of <c>pods</c> are required by the API; a missing one reads as <c>{}</c> and validation reports it.</summary>
    private static LabelSelector Selector(MappingNode pods, string key, string path, YamlNodeReader reader)
        => reader.Mapping(pods, key, $"{path}.{key}") is { } selector ? ManifestLoader.ReadSelector(selector, $"{path}.{key}", reader) : NamespacedPods.MissingSelector;

    private static ClusterPolicyPort? ReadPort(SourceNode node, string path, bool v2, YamlNodeReader reader)
    {
        reader.Record(path, node);
        if (reader.AsMapping(node, path) is not { } map)
        {
            return null;
        }

        var count = map.Entries.Count(e => !YamlNodeReader.IsNull(e.Value));
        if (v2)
        {
            if (reader.String(map, "destinationNamedPort", path + ".destinationNamedPort") is { } named)
            {
                return new ClusterPolicyPort { Name = named, FieldCount = count };
            }

            foreach (var protocol in new[] { "tcp", "udp", "sctp" })
            {
                if (reader.Mapping(map, protocol, $"{path}.{protocol}") is { } entry)
                {
                    var port = reader.Mapping(entry, "destinationPort", $"{path}.{protocol}.destinationPort");
                    var range = port is null ? null : reader.Mapping(port, "range", $"{path}.{protocol}.destinationPort.range");
                    var number = port is null ? null : reader.Int(port, "number", $"{path}.{protocol}.destinationPort.number");
                    return new ClusterPolicyPort
                    {
                        Protocol = protocol.ToUpperInvariant(),
                        Start = range is null ? number : reader.Int(range, "start", $"{path}.{protocol}.destinationPort.range.start"),
                        End = range is null ? number : reader.Int(range, "end", $"{path}.{protocol}.destinationPort.range.end"),
                        IsRange = range is not null,
                        FieldCount = count,
                    };
                }
            }

            return new ClusterPolicyPort { FieldCount = count };
        }

        if (reader.String(map, "namedPort", path + ".namedPort") is { } name)
        {
            return new ClusterPolicyPort { Name = name, FieldCount = count };
        }

        if (reader.Mapping(map, "portNumber", path + ".portNumber") is { } single)
        {
            var number = reader.Int(single, "port", path + ".portNumber.port");
            return new ClusterPolicyPort { Protocol = reader.String(single, "protocol", path + ".portNumber.protocol"), Start = number, End = number, FieldCount = count };
        }

        if (reader.Mapping(map, "portRange", path + ".portRange") is { } range1)
        {
            return new ClusterPolicyPort
            {
                Protocol = reader.String(range1, "protocol", path + ".portRange.protocol"),
                Start = reader.Int(range1, "start", path + ".portRange.start"),
                End = reader.Int(range1, "end", path + ".portRange.end"),
                IsRange = true,
                FieldCount = count,
            };
        }

        return new ClusterPolicyPort { FieldCount = count };
    }
}
