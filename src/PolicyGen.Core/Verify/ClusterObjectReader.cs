using System.Collections.Immutable;
using System.Globalization;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// Reads a rendered cluster-scoped policy back, as strictly as the API server would accept it
/// (the kind's fields only, priorities 0-1000, actions per kind and version, one kind of subject and
/// peer, rule and peer counts, port numbers and ranges), so an edited template can neither smuggle
/// in another object nor write one the cluster would refuse. Only what npgen's templates can mean
/// is accepted: a named port or a <c>nodes</c>/<c>domainNames</c> peer is refused, since the proof cannot judge it.
/// </summary>
internal sealed class ClusterObjectReader
{
    private static readonly string[] V2Actions = ["Accept", "Deny", "Pass"];
    private static readonly string[] BaselineActions = ["Allow", "Deny"];
    private static readonly string[] AdminActions = ["Allow", "Deny", "Pass"];
    private static readonly string[] SubjectKinds = ["namespaces", "pods"];
    private static readonly string[] EgressPeerKinds = ["namespaces", "pods", "networks"];

    private readonly List<Diagnostic> diagnostics = [];
    private readonly string kind;
    private readonly bool v2;

    private ClusterObjectReader(string kind) => (this.kind, v2) = (kind, kind == "ClusterNetworkPolicy");

    /// <param name="name">The document's display name in messages (the template and the policy it rendered).</param>
    public static (ClusterPolicyObject? Policy, ImmutableArray<Diagnostic> Diagnostics) Read(string name, string yaml, string expectedKind, string expectedApiVersion, string expectedName)
    {
        var reader = new ClusterObjectReader(expectedKind);
        var (documents, error) = SourceNodeReader.Read(name, yaml);
        if (error is not null)
        {
            return (null, [error with { Code = DiagnosticCodes.ClusterPolicyInvalid, Message = "the template produced invalid YAML: " + error.Message }]);
        }

        var real = documents.Where(d => d is not ScalarNode { IsNull: true }).ToList();
        if (real.Count != 1 || real[0] is not MappingNode root)
        {
            return (null, [Diagnostic.Error(DiagnosticCodes.ClusterPolicyInvalid, $"the template must render exactly one {expectedKind} named {expectedName}, but rendered {real.Count.ToString(CultureInfo.InvariantCulture)} documents", new SourceLocation(name, 1, 1))]);
        }

        var policy = reader.ReadRoot(root, expectedApiVersion, expectedName);
        return (reader.diagnostics.Count == 0 ? policy : null, [.. reader.diagnostics]);
    }

    private void Error(string message, SourceNode node)
        => diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ClusterPolicyInvalid, $"the template produced a {kind} the API server would reject: {message}", node.Location,
            "fix the template, or remove it from --templates to use the bundled one"));

    private ClusterPolicyObject? ReadRoot(MappingNode root, string apiVersion, string name)
    {
        Keys(root, "", ["apiVersion", "kind", "metadata", "spec"]);
        Expect(root, "apiVersion", apiVersion);
        Expect(root, "kind", kind);
        if (Map(root["metadata"], "metadata", root) is { } metadata)
        {
            Keys(metadata, "metadata", ["name", "labels", "annotations"]);
            Expect(metadata, "name", name);
        }

        if (Map(root["spec"], "spec", root) is not { } spec)
        {
            return null;
        }

        var tier = ClusterTier.Admin;
        var priority = 0;
        switch (kind)
        {
            case "AdminNetworkPolicy":
                Keys(spec, "spec", ["priority", "subject", "ingress", "egress"]);
                priority = Priority(spec);
                break;
            case "BaselineAdminNetworkPolicy":
                Keys(spec, "spec", ["subject", "ingress", "egress"]);
                tier = ClusterTier.Baseline;
                break;
            default:
                Keys(spec, "spec", ["tier", "priority", "subject", "ingress", "egress"]);
                var tierText = (spec["tier"] as ScalarNode)?.Value;
                if (tierText is not ("Admin" or "Baseline"))
                {
                    Error($"spec.tier: \"{tierText}\" is not Admin or Baseline", spec["tier"] ?? spec);
                }

                tier = tierText == "Baseline" ? ClusterTier.Baseline : ClusterTier.Admin;
                priority = Priority(spec);
                break;
        }

        var subject = Map(spec["subject"], "spec.subject", spec) is { } subjectMap ? Selection(subjectMap, "spec.subject", SubjectKinds) : null;
        var ingress = Rules(spec["ingress"], "spec.ingress", SubjectKinds);
        var egress = Rules(spec["egress"], "spec.egress", EgressPeerKinds);
        return subject is null ? null : new ClusterPolicyObject(kind, name, tier, priority, subject, ingress, egress);
    }

    private int Priority(MappingNode spec)
    {
        if (spec["priority"] is ScalarNode s && int.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 1000)
        {
            return p;
        }

        Error("spec.priority must be a whole number from 0 to 1000", spec["priority"] ?? spec);
        return 0;
    }

    private ImmutableArray<ClusterRule> Rules(SourceNode? node, string what, string[] peerKinds)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not SequenceNode seq)
        {
            Error($"{what} must be a list", node);
            return [];
        }

        var max = v2 ? 25 : 100;
        if (seq.Items.Length > max)
        {
            Error($"{what} has {seq.Items.Length.ToString(CultureInfo.InvariantCulture)} rules; at most {max.ToString(CultureInfo.InvariantCulture)} are allowed", node);
        }

        var peersKey = what.EndsWith("ingress", StringComparison.Ordinal) ? "from" : "to";
        var portsKey = v2 ? "protocols" : "ports";
        var rules = ImmutableArray.CreateBuilder<ClusterRule>();
        for (var i = 0; i < seq.Items.Length; i++)
        {
            var at = $"{what}[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (Map(seq.Items[i], at, node) is not { } rule)
            {
                continue;
            }

            Keys(rule, at, ["name", "action", peersKey, portsKey]);
            var ruleName = (rule["name"] as ScalarNode)?.Value ?? "";
            if (ruleName.Length > 100)
            {
                Error($"{at}.name is longer than 100 characters", rule["name"]!);
            }

            var action = Action(rule["action"], at, rule);
            var peers = rule[peersKey] is SequenceNode { Items.Length: > 0 } peerList
                ? peerList.Items.Select((p, j) => Map(p, $"{at}.{peersKey}[{j}]", peerList) is { } m ? Selection(m, $"{at}.{peersKey}[{j}]", peerKinds) : null).ToList()
                : null;
            if (peers is null)
            {
                Error($"{at}.{peersKey} must list at least one peer", rule[peersKey] ?? rule);
            }

            var ports = rule[portsKey] is { } portsNode ? Ports(portsNode, $"{at}.{portsKey}") : null;
            if (action is { } a && peers is not null && peers.All(p => p is not null))
            {
                rules.Add(new ClusterRule(ruleName, a, [.. peers!], ports));
            }
        }

        return rules.ToImmutable();
    }

    private ClusterAction? Action(SourceNode? node, string at, SourceNode parent)
    {
        var text = (node as ScalarNode)?.Value;
        var allowed = kind switch
        {
            "ClusterNetworkPolicy" => V2Actions,
            "BaselineAdminNetworkPolicy" => BaselineActions,
            _ => AdminActions,
        };
        if (text is null || !allowed.Contains(text))
        {
            Error($"{at}.action: \"{text}\" is not one of {string.Join(", ", allowed)}", node ?? parent);
            return null;
        }

        return text switch
        {
            "Deny" => ClusterAction.Deny,
            "Pass" => ClusterAction.Pass,
            _ => ClusterAction.Allow,
        };
    }

    private ClusterSelection? Selection(MappingNode map, string what, string[] kinds)
    {
        Keys(map, what, kinds);
        if (map.Entries.Length != 1)
        {
            Error($"{what} must say exactly one of {string.Join(", ", kinds)}", map);
            return null;
        }

        var (key, value) = map.Entries[0];
        switch (key.Value)
        {
            case "namespaces":
                return Selector(value, $"{what}.namespaces") is { } ns ? new ClusterSelection(ns, null, null, []) : null;
            case "pods":
                if (Map(value, $"{what}.pods", map) is not { } pods)
                {
                    return null;
                }

                Keys(pods, $"{what}.pods", ["namespaceSelector", "podSelector"]);
                var nsSelector = Selector(pods["namespaceSelector"] ?? Missing(pods, $"{what}.pods.namespaceSelector"), $"{what}.pods.namespaceSelector");
                var podSelector = Selector(pods["podSelector"] ?? Missing(pods, $"{what}.pods.podSelector"), $"{what}.pods.podSelector");
                return nsSelector is null || podSelector is null ? null : new ClusterSelection(null, nsSelector, podSelector, []);
            case "networks":
                var cidrs = ImmutableArray.CreateBuilder<Cidr>();
                foreach (var item in value is SequenceNode { Items.Length: > 0 and <= 25 } list ? list.Items : Fail(value, $"{what}.networks must list 1 to 25 CIDRs"))
                {
                    if (item is ScalarNode s && Cidr.TryParse(s.Value, out var cidr, out _))
                    {
                        cidrs.Add(cidr);
                    }
                    else
                    {
                        Error($"{what}.networks: {Describe(item)} is not a CIDR", item);
                    }
                }

                return new ClusterSelection(null, null, null, cidrs.ToImmutable());
            default:
                return null;
        }
    }

    private ImmutableArray<SourceNode> Fail(SourceNode node, string message)
    {
        Error(message, node);
        return [];
    }

    private ScalarNode Missing(MappingNode parent, string what)
    {
        Error($"{what} is missing", parent);
        return new ScalarNode("", false, parent.Location);
    }

    private LabelSelector? Selector(SourceNode node, string what)
    {
        if (node is ScalarNode { Value: "" })
        {
            return null; // reported as missing
        }

        if (Map(node, what, node) is not { } map)
        {
            return null;
        }

        Keys(map, what, ["matchLabels", "matchExpressions"]);
        var labels = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in (map["matchLabels"] as MappingNode)?.Entries ?? [])
        {
            labels[key.Value] = (value as ScalarNode)?.Value ?? "";
        }

        var expressions = ImmutableArray.CreateBuilder<LabelSelectorRequirement>();
        foreach (var item in (map["matchExpressions"] as SequenceNode)?.Items ?? [])
        {
            if (item is MappingNode e && e["key"] is ScalarNode k && e["operator"] is ScalarNode o
                && o.Value is LabelOperators.In or LabelOperators.NotIn or LabelOperators.Exists or LabelOperators.DoesNotExist)
            {
                var values = (e["values"] as SequenceNode)?.Items.OfType<ScalarNode>().Select(v => v.Value).ToImmutableArray() ?? [];
                if ((o.Value is LabelOperators.In or LabelOperators.NotIn) == values.IsEmpty)
                {
                    Error($"{what}: operator {o.Value} {(values.IsEmpty ? "needs values" : "takes no values")}", item);
                }

                expressions.Add(new LabelSelectorRequirement(k.Value, o.Value, values));
            }
            else
            {
                Error($"{what}.matchExpressions: each item needs key and an operator In, NotIn, Exists or DoesNotExist", item);
            }
        }

        return new LabelSelector { MatchLabels = labels.ToImmutable(), MatchExpressions = expressions.ToImmutable() };
    }

    private ImmutableArray<PortRange>? Ports(SourceNode node, string what)
    {
        if (node is not SequenceNode { Items.Length: > 0 and <= 100 } seq)
        {
            Error($"{what} must list 1 to 100 ports", node);
            return null;
        }

        var result = ImmutableArray.CreateBuilder<PortRange>();
        foreach (var item in seq.Items)
        {
            if (Map(item, what, node) is not { } map || map.Entries.Length != 1)
            {
                Error($"{what}: each item says exactly one port form", item);
                continue;
            }

            if ((v2 ? PortV2(map, what) : PortV1(map, what)) is { } range)
            {
                result.Add(range);
            }
        }

        return result.ToImmutable();
    }

    private PortRange? PortV1(MappingNode map, string what)
    {
        var (key, value) = map.Entries[0];
        if (key.Value is not ("portNumber" or "portRange") || value is not MappingNode body)
        {
            Error($"{what}: \"{key.Value}\" is not a port form npgen can prove (portNumber or portRange)", key);
            return null;
        }

        var protocol = Protocol((body["protocol"] as ScalarNode)?.Value ?? (key.Value == "portRange" ? "TCP" : null), $"{what}.{key.Value}", body);
        return key.Value == "portNumber"
            ? Range(protocol, Number(body["port"], $"{what}.portNumber.port", body), null, what, body)
            : Range(protocol, Number(body["start"], $"{what}.portRange.start", body), Number(body["end"], $"{what}.portRange.end", body), what, body);
    }

    private PortRange? PortV2(MappingNode map, string what)
    {
        var (key, value) = map.Entries[0];
        if (key.Value is not ("tcp" or "udp" or "sctp") || value is not MappingNode body || body["destinationPort"] is not MappingNode port || port.Entries.Length != 1)
        {
            Error($"{what}: \"{key.Value}\" is not a port form npgen can prove (tcp, udp or sctp with destinationPort)", key);
            return null;
        }

        var protocol = Protocol(key.Value.ToUpperInvariant(), what, body);
        return port["number"] is { } number
            ? Range(protocol, Number(number, $"{what}.destinationPort.number", port), null, what, port)
            : port["range"] is MappingNode r
                ? Range(protocol, Number(r["start"], $"{what}.range.start", r), Number(r["end"], $"{what}.range.end", r), what, r)
                : null;
    }

    private Protocol? Protocol(string? text, string what, SourceNode node)
    {
        if (text is not null && ProtocolNames.TryParse(text, out var protocol))
        {
            return protocol;
        }

        Error($"{what}.protocol: \"{text}\" is not TCP, UDP or SCTP", node);
        return null;
    }

    private int? Number(SourceNode? node, string what, SourceNode parent)
    {
        if (node is ScalarNode s && int.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 65535)
        {
            return n;
        }

        Error($"{what} must be a port from 1 to 65535", node ?? parent);
        return null;
    }

    private PortRange? Range(Protocol? protocol, int? low, int? high, string what, SourceNode node)
    {
        if (protocol is null || low is null)
        {
            return null;
        }

        if (high is { } h && h <= low)
        {
            Error($"{what}: a range's start must be less than its end", node);
            return null;
        }

        return new PortRange(protocol.Value, low.Value, high ?? low.Value);
    }

    private void Expect(MappingNode map, string key, string expected)
    {
        var actual = (map[key] as ScalarNode)?.Value;
        if (actual != expected)
        {
            Error($"{key} is \"{actual}\", not \"{expected}\"", map[key] ?? map);
        }
    }

    private MappingNode? Map(SourceNode? node, string what, SourceNode parent)
    {
        if (node is MappingNode map)
        {
            return map;
        }

        Error($"{what} must be a mapping", node ?? parent);
        return null;
    }

    private void Keys(MappingNode map, string what, string[] allowed)
    {
        foreach (var (key, _) in map.Entries.Where(e => !allowed.Contains(e.Key.Value)))
        {
            Error($"{(what.Length == 0 ? "" : what + ": ")}unknown field \"{key.Value}\"", key);
        }
    }

    private static string Describe(SourceNode node) => node is ScalarNode s ? $"\"{s.Value}\"" : "a list or mapping";
}
