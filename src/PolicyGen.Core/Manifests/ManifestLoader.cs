using System.Collections.Immutable;
using System.Net;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PolicyGen.Manifests;

/// <summary>
/// Reads Kubernetes manifests (multi-document YAML or JSON, <c>kind: List</c>) into a <see cref="Cluster"/>:
/// Namespaces, Pods, workloads that stand for pods, and NetworkPolicies. Other kinds are skipped.
/// Every problem is reported with file, line and column; reading goes on after an error so that one
/// run lists them all.
/// </summary>
public static class ManifestLoader
{
    /// <summary>Kinds whose pod template stands for their pods, with the path to that template.</summary>
    private static readonly Dictionary<string, string[]> WorkloadTemplatePaths = new(StringComparer.Ordinal)
    {
        ["apps/Deployment"] = ["spec", "template"],
        ["apps/StatefulSet"] = ["spec", "template"],
        ["apps/DaemonSet"] = ["spec", "template"],
        ["apps/ReplicaSet"] = ["spec", "template"],
        ["batch/Job"] = ["spec", "template"],
        ["batch/CronJob"] = ["spec", "jobTemplate", "spec", "template"],
        ["/ReplicationController"] = ["spec", "template"],
    };

    public static LoadResult Load(IEnumerable<ManifestSource> sources) => Load(sources, null);

    /// <param name="progress">Told the share of the input read so far (by source, and by bytes within a file).</param>
    public static LoadResult Load(IEnumerable<ManifestSource> sources, IProgress<double>? progress)
    {
        var state = new LoadState();
        var list = sources.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var index = i;
            LoadSource(list[i], state, progress is null ? null : within => progress.Report((index + within) / list.Count));
        }

        return state.Finish();
    }

    public static LoadResult LoadText(string name, string text) => Load([new ManifestSource(name, text)]);

    /// <summary>
    /// Reads a source one document at a time (each document's node tree is dropped once read), so
    /// memory follows the largest object, not the file. A syntax error rejects the whole source, as
    /// if none of it had been read: only the error is reported.
    /// </summary>
    private static void LoadSource(ManifestSource source, LoadState state, Action<double>? progress)
    {
        var checkpoint = state.Checkpoint();
        var reader = new YamlNodeReader(source.Name, state.Diagnostics, state.LabelSets);
        try
        {
            if (!ReadSource(source, reader, state, progress, representationModel: false))
            {
                // Anchors, aliases or non-scalar keys: read the source again, as YamlDotNet's
                // representation model reads it (their rules are its rules).
                state.Rollback(checkpoint);
                ReadSource(source, reader, state, progress, representationModel: true);
            }
        }
        catch (YamlException ex)
        {
            state.Rollback(checkpoint);
            var inner = ex;
            while (inner.InnerException is YamlException deeper)
            {
                inner = deeper;
            }

            state.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, $"invalid YAML: {inner.Message}",
                new SourceLocation(source.Name, checked((int)ex.Start.Line), checked((int)ex.Start.Column)),
                inner.Message.StartsWith("Duplicate key", StringComparison.Ordinal) ? "each key may appear once in a mapping" : null));
        }
    }

    /// <summary>Reads every document of a source; false when a document needs the representation model (and it was not used).</summary>
    private static bool ReadSource(ManifestSource source, YamlNodeReader reader, LoadState state, Action<double>? progress, bool representationModel)
    {
        using var text = source.Open();
        var file = (text as StreamReader)?.BaseStream;
        var parser = new Parser(text);
        parser.Consume<StreamStart>();
        var documents = new ManifestDocumentReader(parser);
        var count = 0;
        while (!parser.TryConsume<StreamEnd>(out _))
        {
            if (progress is not null && file is { CanSeek: true, Length: > 0 } && (++count & 255) == 0)
            {
                progress((double)file.Position / file.Length);
            }

            var root = representationModel ? documents.ReadDocumentWithRepresentationModel() : documents.ReadDocument();
            if (root is null)
            {
                return false;
            }

            if (!YamlNodeReader.IsNull(root))
            {
                LoadObject(root, reader, state, "");
            }
        }

        return true;
    }

    private static void LoadObject(ManifestNode node, YamlNodeReader reader, LoadState state, string path)
    {
        if (node is not ManifestMapping map)
        {
            reader.Error(DiagnosticCodes.WrongType, $"{(path.Length == 0 ? "a manifest" : path)} must be a mapping with apiVersion and kind, found {YamlNodeReader.Describe(node)}", node);
            return;
        }

        var apiVersion = reader.String(map, "apiVersion", Prefix(path, "apiVersion"));
        var kind = reader.String(map, "kind", Prefix(path, "kind"));
        if (apiVersion is null || kind is null)
        {
            reader.Error(DiagnosticCodes.MissingField, $"{(path.Length == 0 ? "object" : path)} has no {(apiVersion is null ? "apiVersion" : "kind")}", map,
                "every Kubernetes object needs apiVersion and kind, e.g. apiVersion: v1 / kind: Pod");
            return;
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        var groupKind = $"{group}/{kind}";
        switch (groupKind)
        {
            case "/List":
                var items = reader.Sequence(map, "items", Prefix(path, "items"));
                for (var i = 0; i < items.Count; i++)
                {
                    LoadObject(items[i], reader, state, $"{Prefix(path, "items")}[{i}]");
                }

                break;
            case "/Namespace":
                LoadNamespace(map, reader, state);
                break;
            case "/Pod":
                LoadPod(map, reader, state);
                break;
            case "networking.k8s.io/NetworkPolicy":
                LoadPolicy(map, reader, state);
                break;
            default:
                if (WorkloadTemplatePaths.TryGetValue(groupKind, out var templatePath))
                {
                    LoadWorkload(map, kind, templatePath, reader, state);
                }

                break; // S1.1: other kinds play no part in NetworkPolicy and are skipped.
        }
    }

    private static string Prefix(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    private static (string? Name, string Namespace, ManifestMapping? Metadata) Metadata(
        ManifestMapping map, string kind, YamlNodeReader reader, bool namespaced)
    {
        var metadata = reader.Mapping(map, "metadata", "metadata");
        var name = metadata is null ? null : reader.String(metadata, "name", "metadata.name");
        if (string.IsNullOrEmpty(name))
        {
            reader.Error(DiagnosticCodes.MissingField, $"{kind} has no metadata.name", metadata ?? map,
                "add metadata: {name: ...}; npgen needs the name to refer to the object");
        }

        var ns = namespaced && metadata is not null ? reader.String(metadata, "namespace", "metadata.namespace") : null;
        return (string.IsNullOrEmpty(name) ? null : name, string.IsNullOrEmpty(ns) ? "default" : ns, metadata);
    }

    private static void LoadNamespace(ManifestMapping map, YamlNodeReader reader, LoadState state)
    {
        var (name, _, metadata) = Metadata(map, "Namespace", reader, namespaced: false);
        var labels = metadata is null ? Labels.Empty : reader.StringMap(metadata, "labels", "metadata.labels");
        if (name is not null && state.Claim($"Namespace {name}", reader.Location(map)))
        {
            state.Namespaces[name] = Namespace.Create(name, labels, reader.Location(map));
        }
    }

    private static void LoadPod(ManifestMapping map, YamlNodeReader reader, LoadState state)
    {
        var (name, ns, metadata) = Metadata(map, "Pod", reader, namespaced: true);
        var labels = metadata is null ? Labels.Empty : reader.StringMap(metadata, "labels", "metadata.labels");
        var spec = reader.Mapping(map, "spec", "spec");
        var addresses = ImmutableArray.CreateBuilder<IPAddress>();
        if (reader.Mapping(map, "status", "status") is { } status)
        {
            AddAddress(reader.Child(status, "podIP", "status.podIP"), "status.podIP", reader, addresses);
            var podIps = reader.Sequence(status, "podIPs", "status.podIPs");
            for (var i = 0; i < podIps.Count; i++)
            {
                if (reader.AsMapping(podIps[i], $"status.podIPs[{i}]") is { } entry)
                {
                    AddAddress(reader.Child(entry, "ip", $"status.podIPs[{i}].ip"), $"status.podIPs[{i}].ip", reader, addresses);
                }
            }
        }

        if (name is not null)
        {
            AddEndpoint(state, reader, map, new Endpoint
            {
                Namespace = ns,
                Name = name,
                Kind = "Pod",
                Labels = labels,
                Addresses = [.. addresses.Distinct()],
                Ports = spec is null ? [] : ReadContainerPorts(spec, "spec", reader),
                HostNetwork = spec is not null && (reader.Bool(spec, "hostNetwork", "spec.hostNetwork") ?? false),
                Location = reader.Location(map),
            });
        }
    }

    private static void AddAddress(ManifestNode? node, string path, YamlNodeReader reader, ImmutableArray<IPAddress>.Builder addresses)
    {
        var text = reader.AsString(node, path);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (IPAddress.TryParse(text, out var address) && text.Contains(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? '.' : ':', StringComparison.Ordinal))
        {
            addresses.Add(address);
        }
        else
        {
            reader.Error(DiagnosticCodes.BadValue, $"{path}: \"{text}\" is not an IP address", node, "write an IPv4 or IPv6 address such as 10.1.0.11");
        }
    }

    private static void LoadWorkload(ManifestMapping map, string kind, string[] templatePath, YamlNodeReader reader, LoadState state)
    {
        var (name, ns, _) = Metadata(map, kind, reader, namespaced: true);
        ManifestMapping? template = map;
        var path = "";
        foreach (var step in templatePath)
        {
            path = Prefix(path, step);
            template = template is null ? null : reader.Mapping(template, step, path);
        }

        var templateMetadata = template is null ? null : reader.Mapping(template, "metadata", path + ".metadata");
        var labels = templateMetadata is null ? Labels.Empty : reader.StringMap(templateMetadata, "labels", path + ".metadata.labels");
        var spec = template is null ? null : reader.Mapping(template, "spec", path + ".spec");
        if (name is not null)
        {
            AddEndpoint(state, reader, map, new Endpoint
            {
                Namespace = ns,
                Name = name,
                Kind = kind,
                Labels = labels,
                Ports = spec is null ? [] : ReadContainerPorts(spec, path + ".spec", reader),
                HostNetwork = spec is not null && (reader.Bool(spec, "hostNetwork", path + ".spec.hostNetwork") ?? false),
                Location = reader.Location(map),
            });
        }
    }

    private static void AddEndpoint(LoadState state, YamlNodeReader reader, ManifestMapping map, Endpoint endpoint)
    {
        if (!state.Claim($"{endpoint.Kind} {endpoint.Id}", reader.Location(map)))
        {
            return;
        }

        if (state.EndpointIds.TryGetValue(endpoint.Id, out var other))
        {
            state.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateEndpoint,
                $"{endpoint.Kind} {endpoint.Id} has the same namespace/name as {other.Kind} {other.Id} at {other.Location}",
                endpoint.Location, "npgen names endpoints namespace/name; load only one of the two objects"));
            return;
        }

        state.EndpointIds[endpoint.Id] = endpoint;
        state.Endpoints.Add(endpoint);
    }

    /// <summary>Ports of containers, and of init containers (sidecars can serve too).</summary>
    private static ImmutableArray<ContainerPort> ReadContainerPorts(ManifestMapping podSpec, string path, YamlNodeReader reader)
    {
        var ports = ImmutableArray.CreateBuilder<ContainerPort>();
        foreach (var list in new[] { "containers", "initContainers" })
        {
            var containers = reader.Sequence(podSpec, list, $"{path}.{list}");
            for (var c = 0; c < containers.Count; c++)
            {
                var containerPath = $"{path}.{list}[{c}]";
                if (reader.AsMapping(containers[c], containerPath) is not { } container)
                {
                    continue;
                }

                var entries = reader.Sequence(container, "ports", containerPath + ".ports");
                for (var p = 0; p < entries.Count; p++)
                {
                    var portPath = $"{containerPath}.ports[{p}]";
                    if (reader.AsMapping(entries[p], portPath) is not { } entry)
                    {
                        continue;
                    }

                    var number = reader.Int(entry, "containerPort", portPath + ".containerPort");
                    var protocolText = reader.String(entry, "protocol", portPath + ".protocol");
                    var protocol = Protocol.TCP;
                    if (protocolText is not null && !ProtocolNames.TryParse(protocolText, out protocol))
                    {
                        reader.Error(DiagnosticCodes.BadValue, $"{portPath}.protocol: unsupported protocol \"{protocolText}\"",
                            entry.TryGetValue("protocol", out var protocolNode) ? protocolNode : entry, "use TCP, UDP or SCTP (upper case)");
                        continue;
                    }

                    if (number is null)
                    {
                        if (reader.Child(entry, "containerPort", portPath + ".containerPort") is null)
                        {
                            reader.Error(DiagnosticCodes.MissingField, $"{portPath}: containerPort is required", entry);
                        }

                        continue;
                    }

                    ports.Add(new ContainerPort(reader.String(entry, "name", portPath + ".name"), number.Value, protocol));
                }
            }
        }

        return ports.ToImmutable();
    }

    private static void LoadPolicy(ManifestMapping map, YamlNodeReader reader, LoadState state)
    {
        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        reader.FieldLocations = locations;
        try
        {
            var (name, ns, metadata) = Metadata(map, "NetworkPolicy", reader, namespaced: true);
            var spec = reader.Mapping(map, "spec", "spec");
            var policy = new NetworkPolicy
            {
                Namespace = ns,
                Name = name ?? "",
                Labels = metadata is null ? Labels.Empty : ReadMetadataMap(metadata, "labels", reader),
                Annotations = metadata is null ? Labels.Empty : ReadMetadataMap(metadata, "annotations", reader),
                Location = reader.Location(map),
            };
            if (spec is not null)
            {
                var podSelector = reader.Mapping(spec, "podSelector", "spec.podSelector");
                var types = reader.Child(spec, "policyTypes", "spec.policyTypes");
                policy = policy with
                {
                    PodSelector = podSelector is null ? LabelSelector.Everything : ReadSelector(podSelector, "spec.podSelector", reader),
                    PolicyTypes = types is null ? null : ReadStrings(spec, "policyTypes", "spec.policyTypes", reader),
                    Ingress = ReadRules(spec, "ingress", "from", reader),
                    Egress = ReadRules(spec, "egress", "to", reader),
                };
            }

            if (name is not null && state.Claim($"NetworkPolicy {ns}/{name}", reader.Location(map)))
            {
                state.Policies.Add(policy with { FieldLocations = locations.ToImmutableDictionary(StringComparer.Ordinal) });
            }
        }
        finally
        {
            reader.FieldLocations = null;
        }
    }

    /// <summary>metadata.labels or metadata.annotations, recording where each key and value was written (S14.10 points at them).</summary>
    private static ImmutableSortedDictionary<string, string> ReadMetadataMap(ManifestMapping metadata, string field, YamlNodeReader reader)
    {
        var values = reader.StringMap(metadata, field, $"metadata.{field}");
        if (reader.Child(metadata, field, $"metadata.{field}") is ManifestMapping entries)
        {
            foreach (var (key, value) in entries.Entries)
            {
                if (key is ManifestScalar k)
                {
                    reader.Record(NetworkPolicy.MetadataKeyPath(field, k.Value), key);
                    reader.Record(NetworkPolicy.MetadataValuePath(field, k.Value), value);
                }
            }
        }

        return values;
    }

    private static ImmutableArray<string> ReadStrings(ManifestMapping map, string key, string path, YamlNodeReader reader)
    {
        var items = reader.Sequence(map, key, path);
        var result = ImmutableArray.CreateBuilder<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            reader.Record($"{path}[{i}]", items[i]);
            if (reader.AsString(items[i], $"{path}[{i}]") is { } value)
            {
                result.Add(value);
            }
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<PolicyRule> ReadRules(ManifestMapping spec, string direction, string peersKey, YamlNodeReader reader)
    {
        var rules = reader.Sequence(spec, direction, $"spec.{direction}");
        var result = ImmutableArray.CreateBuilder<PolicyRule>(rules.Count);
        for (var r = 0; r < rules.Count; r++)
        {
            var rulePath = $"spec.{direction}[{r}]";
            reader.Record(rulePath, rules[r]);
            if (reader.AsMapping(rules[r], rulePath) is not { } rule)
            {
                continue;
            }

            var peers = reader.Sequence(rule, peersKey, $"{rulePath}.{peersKey}");
            var ports = reader.Sequence(rule, "ports", $"{rulePath}.ports");
            result.Add(new PolicyRule
            {
                Peers = [.. peers.Select((p, i) => ReadPeer(p, $"{rulePath}.{peersKey}[{i}]", reader)).OfType<PolicyPeer>()],
                Ports = [.. ports.Select((p, i) => ReadPort(p, $"{rulePath}.ports[{i}]", reader)).OfType<PolicyPort>()],
            });
        }

        return result.ToImmutable();
    }

    private static PolicyPeer? ReadPeer(ManifestNode node, string path, YamlNodeReader reader)
    {
        reader.Record(path, node);
        if (reader.AsMapping(node, path) is not { } map)
        {
            return null;
        }

        var pod = reader.Mapping(map, "podSelector", path + ".podSelector");
        var ns = reader.Mapping(map, "namespaceSelector", path + ".namespaceSelector");
        var block = reader.Mapping(map, "ipBlock", path + ".ipBlock");
        return new PolicyPeer
        {
            PodSelector = pod is null ? null : ReadSelector(pod, path + ".podSelector", reader),
            NamespaceSelector = ns is null ? null : ReadSelector(ns, path + ".namespaceSelector", reader),
            IpBlock = block is null ? null : new IpBlock(
                reader.String(block, "cidr", path + ".ipBlock.cidr") ?? "",
                ReadStrings(block, "except", path + ".ipBlock.except", reader)),
        };
    }

    private static PolicyPort? ReadPort(ManifestNode node, string path, YamlNodeReader reader)
    {
        reader.Record(path, node);
        if (reader.AsMapping(node, path) is not { } map)
        {
            return null;
        }

        IntOrString? port = null;
        switch (reader.Child(map, "port", path + ".port"))
        {
            case null:
                break;
            case ManifestScalar { Style: ScalarStyle.Plain } s when int.TryParse(s.Value, System.Globalization.CultureInfo.InvariantCulture, out var number):
                port = IntOrString.FromNumber(number);
                break;
            case ManifestScalar s:
                port = IntOrString.FromName(s.Value);
                break;
            case var other:
                reader.Error(DiagnosticCodes.WrongType, $"{path}.port: expected a number or a port name, found {YamlNodeReader.Describe(other)}", other);
                break;
        }

        return new PolicyPort
        {
            Protocol = reader.String(map, "protocol", path + ".protocol"),
            Port = port,
            EndPort = reader.Int(map, "endPort", path + ".endPort"),
        };
    }

    private static LabelSelector ReadSelector(ManifestMapping map, string path, YamlNodeReader reader)
    {
        var expressions = reader.Sequence(map, "matchExpressions", path + ".matchExpressions");
        var requirements = ImmutableArray.CreateBuilder<LabelSelectorRequirement>(expressions.Count);
        for (var i = 0; i < expressions.Count; i++)
        {
            var itemPath = $"{path}.matchExpressions[{i}]";
            reader.Record(itemPath, expressions[i]);
            if (reader.AsMapping(expressions[i], itemPath) is { } expression)
            {
                requirements.Add(new LabelSelectorRequirement(
                    reader.String(expression, "key", itemPath + ".key") ?? "",
                    reader.String(expression, "operator", itemPath + ".operator") ?? "",
                    ReadStrings(expression, "values", itemPath + ".values", reader)));
            }
        }

        return new LabelSelector
        {
            MatchLabels = reader.StringMap(map, "matchLabels", path + ".matchLabels"),
            MatchExpressions = requirements.ToImmutable(),
        };
    }

    private sealed class LoadState
    {
        private readonly Dictionary<string, SourceLocation> seen = new(StringComparer.Ordinal);

        public ImmutableArray<Diagnostic>.Builder Diagnostics { get; } = ImmutableArray.CreateBuilder<Diagnostic>();
        public Dictionary<string, Namespace> Namespaces { get; } = new(StringComparer.Ordinal);
        public List<Endpoint> Endpoints { get; } = [];
        public Dictionary<string, Endpoint> EndpointIds { get; } = new(StringComparer.Ordinal);
        public List<NetworkPolicy> Policies { get; } = [];

        /// <summary>One map per distinct label set over all sources: replicas share theirs.</summary>
        public LabelSets LabelSets { get; } = new();

        private readonly List<string> claimed = [];

        /// <summary>Registers an object identity; a second object with the same kind, namespace and name is an error.</summary>
        public bool Claim(string identity, SourceLocation location)
        {
            if (seen.TryGetValue(identity, out var first))
            {
                Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateObject,
                    $"duplicate object: {identity} is already defined at {first}", location,
                    "remove one of the two, or give them different names"));
                return false;
            }

            seen[identity] = location;
            claimed.Add(identity);
            return true;
        }

        public (int Diagnostics, int Claimed, int Endpoints, int Policies, List<string> Namespaces) Checkpoint()
            => (Diagnostics.Count, claimed.Count, Endpoints.Count, Policies.Count, [.. Namespaces.Keys]);

        /// <summary>Forgets everything read since the checkpoint (a source with a syntax error counts as unread).</summary>
        public void Rollback((int Diagnostics, int Claimed, int Endpoints, int Policies, List<string> Namespaces) checkpoint)
        {
            while (Diagnostics.Count > checkpoint.Diagnostics)
            {
                Diagnostics.RemoveAt(Diagnostics.Count - 1);
            }

            foreach (var identity in claimed.Skip(checkpoint.Claimed))
            {
                seen.Remove(identity);
            }

            claimed.RemoveRange(checkpoint.Claimed, claimed.Count - checkpoint.Claimed);
            foreach (var endpoint in Endpoints.Skip(checkpoint.Endpoints))
            {
                EndpointIds.Remove(endpoint.Id);
            }

            Endpoints.RemoveRange(checkpoint.Endpoints, Endpoints.Count - checkpoint.Endpoints);
            Policies.RemoveRange(checkpoint.Policies, Policies.Count - checkpoint.Policies);
            var keep = checkpoint.Namespaces.ToHashSet(StringComparer.Ordinal);
            foreach (var name in Namespaces.Keys.Where(n => !keep.Contains(n)).ToList())
            {
                Namespaces.Remove(name);
            }
        }

        /// <summary>S5.4: namespaces that are only referenced exist with just their name label.</summary>
        public LoadResult Finish()
        {
            foreach (var ns in Endpoints.Select(e => e.Namespace).Concat(Policies.Select(p => p.Namespace)))
            {
                if (!Namespaces.ContainsKey(ns))
                {
                    Namespaces[ns] = Namespace.Create(ns, [], null);
                }
            }

            var cluster = new Cluster
            {
                Namespaces = [.. Namespaces.Values.OrderBy(n => n.Name, StringComparer.Ordinal)],
                Endpoints = [.. Endpoints.OrderBy(e => e.Namespace, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal)],
                Policies = [.. Policies.OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)],
            };
            return new LoadResult(cluster, Diagnostics.ToImmutable());
        }
    }
}
