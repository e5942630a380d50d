using System.Collections.Immutable;
using System.Net;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using YamlDotNet.Core;

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
    internal static readonly Dictionary<string, string[]> WorkloadTemplatePaths = new(StringComparer.Ordinal)
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
        => Load(sources, progress, ManifestReading.Pruned);

    internal static LoadResult Load(IEnumerable<ManifestSource> sources, IProgress<double>? progress, ManifestReading reading)
    {
        var state = new LoadState();
        var list = sources.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var index = i;
            var report = progress is null ? null : (Action<double>)(within => progress.Report((index + within) / list.Count));
            if (reading == ManifestReading.FullTree)
            {
                LoadSourceTree(list[i], list[i].Open, state, report);
            }
            else
            {
                LoadSourcePruned(list[i], state, report);
            }
        }

        return state.Finish();
    }

    public static LoadResult LoadText(string name, string text) => Load([new ManifestSource(name, text)]);

    /// <summary>
    /// Reads a source with the fast readers: JSON (told by its first character, { or [, whatever the
    /// file is called: <c>kubectl get -o json &gt; x.yaml</c> happens) with <see cref="JsonManifestReader"/>,
    /// YAML with <see cref="YamlManifestReader"/>. Whatever they leave to the full-tree reader (anchors,
    /// merge keys, syntax errors to place, JSON that only YAML accepts) is read again with it.
    /// </summary>
    /// <param name="itemsAsTheyEnd">Convert the items of a List as they end (false after <see cref="ItemsReadOfNoList"/>).</param>
    private static void LoadSourcePruned(ManifestSource source, LoadState state, Action<double>? progress, bool itemsAsTheyEnd = true)
    {
        if (source.HeldText is { } text)
        {
            if (StartsAsJson(text.AsSpan().TrimStart(" \t\r\n\uFEFF")))
            {
                LoadJson(source, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), [], reopenable: true, itemsAsTheyEnd, state, progress);
            }
            else
            {
                LoadYaml(source, source.Open, reopenable: true, itemsAsTheyEnd, state, progress);
            }

            return;
        }

        using var stream = OpenFile(source, state);
        if (stream is null)
        {
            return;
        }

        var (prefix, length) = ReadPrefix(stream);
        var start = Significant(prefix.AsSpan(0, length));

        // A FIFO (-f <(kubectl ...)) can be read once: YAML that needs the full reader goes to it directly.
        var reopenable = source.HeldBytes is not null || FileKind.NonRegular(source.FilePath!) is null;
        if (start.Length > 0 && start[0] is (byte)'{' or (byte)'[')
        {
            LoadJson(source, stream, prefix.AsSpan(0, length), reopenable, itemsAsTheyEnd, state, progress);
        }
        else if (reopenable)
        {
            LoadYaml(source, () => new StreamReader(new PrefixedStream(prefix, length, stream), System.Text.Encoding.UTF8, true, 1 << 16), reopenable, itemsAsTheyEnd, state, progress);
        }
        else
        {
            LoadSourceTree(source, () => new StreamReader(new PrefixedStream(prefix, length, stream), System.Text.Encoding.UTF8, true, 1 << 16), state, progress);
        }
    }

    private static bool StartsAsJson(ReadOnlySpan<char> text) => text.Length > 0 && text[0] is '{' or '[';

    private static Stream? OpenFile(ManifestSource source, LoadState state)
    {
        try
        {
            return source.OpenBytes();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // What the full reader reports for it (it opens the file again).
            LoadSourceTree(source, source.Open, state, null);
            return null;
        }
    }

    /// <summary>The first bytes of a stream: enough to see its first character past any blank lines.</summary>
    private static (byte[] Prefix, int Length) ReadPrefix(Stream stream)
    {
        var prefix = new byte[1 << 16];
        var length = 0;
        int read;
        while (length < prefix.Length && (read = stream.Read(prefix, length, prefix.Length - length)) > 0)
        {
            length += read;
            if (Significant(prefix.AsSpan(0, length)).Length > 0)
            {
                break;
            }
        }

        return (prefix, length);
    }

    /// <summary>The bytes from the first one that is neither blank nor a byte order mark.</summary>
    private static ReadOnlySpan<byte> Significant(ReadOnlySpan<byte> bytes)
    {
        bytes = bytes.TrimStart(" \t\r\n"u8);
        return bytes.StartsWith("\uFEFF"u8) ? bytes[3..].TrimStart(" \t\r\n"u8) : bytes;
    }

    /// <summary>Inputs at least this long convert the items of a List on a second thread while parsing goes on.</summary>
    private const long ConversionThreadBytes = 4 << 20;

    /// <summary>How a source's List items are converted as they end: on a second thread for inputs of <see cref="ConversionThreadBytes"/> or more.</summary>
    private static ListItemConversion ItemConversion(long length, YamlNodeReader reader, LoadState state)
        => new((item, index) => LoadObject(item, reader, state, $"items[{index}]", null), onThread: length >= ConversionThreadBytes);

    private static void LoadJson(ManifestSource source, Stream stream, ReadOnlySpan<byte> prefix, bool reopenable, bool itemsAsTheyEnd, LoadState state, Action<double>? progress)
    {
        var checkpoint = state.Checkpoint();
        var reader = new YamlNodeReader(source.Name, state.Diagnostics, state.LabelSets);
        var json = new JsonManifestReader(source.Name, stream, prefix);
        var length = stream.CanSeek ? stream.Length : 0;
        try
        {
            // Items of a List are read as they end only when the input can be read again, should the
            // document turn out to be no List (then it is read again keeping its items, see LoadDocument).
            // Disposed (its thread stopped) before any catch below rolls back.
            using var items = ItemConversion(length, reader, state);
            json.Read((root, itemsRead) =>
                {
                    items.Drain();
                    LoadDocument(root, itemsRead, source, reader, state);
                },
                progress is null || length == 0 ? null : () => progress((double)json.Position / length),
                reopenable && itemsAsTheyEnd ? items.Post : null);
        }
        catch (ItemsReadOfNoList)
        {
            state.Rollback(checkpoint);
            LoadSourcePruned(source, state, progress, itemsAsTheyEnd: false);
        }
        catch (FullReadRequired e)
        {
            state.Rollback(checkpoint);
            if (reopenable)
            {
                LoadSourceTree(source, source.Open, state, progress);
            }
            else
            {
                state.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.JsonStreamNotReread,
                    $"{YamlDiagnostics.Excerpt(source.Name, 200)} needs a second reading ({e.Message}), which a pipe does not allow",
                    new SourceLocation(source.Name, 1, 1), "write the output to a file and pass the file with -f"));
            }
        }
        catch (ManifestJsonException e)
        {
            state.Rollback(checkpoint);
            if (e.Diagnostic.Code == DiagnosticCodes.JsonSyntax && !e.Diagnostic.Message.Contains("duplicate key", StringComparison.Ordinal) && reopenable
                && LoadSourceTree(source, source.Open, state, progress))
            {
                return; // not JSON, but YAML that starts with { or [ (a flow mapping, a comment inside)
            }

            state.Rollback(checkpoint);
            state.Diagnostics.Add(e.Diagnostic);
        }
    }

    private static void LoadYaml(ManifestSource source, Func<TextReader> open, bool reopenable, bool itemsAsTheyEnd, LoadState state, Action<double>? progress,
        bool tokens = true)
    {
        var checkpoint = state.Checkpoint();
        var reader = new YamlNodeReader(source.Name, state.Diagnostics, state.LabelSets);
        try
        {
            using var text = open();
            var file = ((text as StreamReader)?.BaseStream as PrefixedStream)?.Rest;
            var length = file is { CanSeek: true } ? file.Length : source.HeldText?.Length ?? 0;
            var count = 0;
            using var items = ItemConversion(length, reader, state); // disposed before the catch below rolls back
            new YamlManifestReader(source.Name, text, tokens).Read((root, itemsRead) =>
            {
                if (progress is not null && file is { CanSeek: true, Length: > 0 } && (++count & 255) == 0)
                {
                    progress((double)file.Position / file.Length);
                }

                items.Drain();
                LoadDocument(root, itemsRead, source, reader, state);
            }, itemsAsTheyEnd ? items.Post : null);
        }
        catch (ItemsReadOfNoList)
        {
            state.Rollback(checkpoint);
            LoadSourcePruned(source, state, progress, itemsAsTheyEnd: false);
        }
        catch (YamlSubsetUnsupported)
        {
            state.Rollback(checkpoint);
            LoadYaml(source, source.Open, reopenable, itemsAsTheyEnd, state, progress, tokens: false); // YamlDotNet's parser events
        }
        catch (Exception e) when (reopenable && e is FullReadRequired or YamlException or InvalidOperationException)
        {
            state.Rollback(checkpoint);
            LoadSourceTree(source, source.Open, state, progress);
        }
    }

    /// <summary>
    /// Reads a source one document at a time into full node trees (each dropped once read), so
    /// memory follows the largest object, not the file. A syntax error, or input beyond the reader's
    /// bounds, rejects the whole source, as if none of it had been read: only the error is reported.
    /// False when it did.
    /// </summary>
    private static bool LoadSourceTree(ManifestSource source, Func<TextReader> open, LoadState state, Action<double>? progress)
    {
        var checkpoint = state.Checkpoint();
        var reader = new YamlNodeReader(source.Name, state.Diagnostics, state.LabelSets);
        try
        {
            using var text = open();
            var file = (text as StreamReader)?.BaseStream;
            var documents = new YamlEventReader(source.Name, text, YamlLimits.Manifest);
            var count = 0;
            while (documents.TryReadDocument(out var root))
            {
                if (progress is not null && file is { CanSeek: true, Length: > 0 } && (++count & 255) == 0)
                {
                    progress((double)file.Position / file.Length);
                }

                LoadDocument(root, 0, source, reader, state);
            }

            return true;
        }
        catch (Exception ex) when (ex is YamlException or YamlInputException)
        {
            state.Rollback(checkpoint);
            state.Diagnostics.Add(YamlDiagnostics.From(ex, source.Name, ex is YamlException syntax ? TextUpTo(source, syntax.End.Index) : null));
            return false;
        }
    }

    /// <param name="itemsRead">How many items of the document's top-level List were read before it ended (their trees are not in it).</param>
    private static void LoadDocument(SourceNode root, int itemsRead, ManifestSource source, YamlNodeReader reader, LoadState state)
    {
        if (itemsRead > 0 && !IsList(root))
        {
            // Its items were read as objects before its kind came (kubectl prints kind after items).
            throw new ItemsReadOfNoList();
        }

        if (YamlNodeReader.IsNull(root))
        {
            return;
        }

        if (root is MappingNode)
        {
            LoadObject(root, reader, state, "", null, itemsRead);
        }
        else
        {
            // A JSON array or a bare value: data, but no Kubernetes object (kubectl refuses it).
            state.Diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.NotKubernetesObjects,
                $"{YamlDiagnostics.Excerpt(source.Name, 200)} holds {WithoutContent(root)} where a Kubernetes object (a mapping with apiVersion and kind) was expected; npgen did not read it",
                root.Location, "pass only Kubernetes manifests (kubectl get -o yaml, or files kubectl apply -f reads); a list of objects is written as kind: List with items:"));
        }
    }

    /// <summary>
    /// What a document that is no object holds, never its text: a file named by mistake (a symbolic
    /// link to /etc/passwd, a secret) must not reach the terminal or a CI log through a warning.
    /// </summary>
    private static string WithoutContent(SourceNode root)
        => root is ScalarNode s ? $"a single value of {s.Value.Length:N0} characters" : YamlNodeReader.Describe(root);

    /// <summary>
    /// The text of a source that failed to parse, read again (only then) so the error can be placed
    /// on the line to fix; null when the error lies too deep into a large stream to be worth it.
    /// </summary>
    private static string? TextUpTo(ManifestSource source, long index)
    {
        const int Window = 1 << 16; // the lines after the error that placing it may look at
        if (index > 16 << 20)
        {
            return null;
        }

        try
        {
            using var reader = source.Open();
            var buffer = new char[(int)index + Window];
            var read = reader.ReadBlock(buffer, 0, buffer.Length);
            return new string(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads one object. In a typed list (<c>kind: NetworkPolicyList</c>, as the API server returns
    /// lists) the items may omit kind and apiVersion: like kubectl, they take the list's.
    /// </summary>
    /// <param name="itemsRead">For a List, how many of its first items were read already (as they ended, before its kind).</param>
    private static void LoadObject(SourceNode node, YamlNodeReader reader, LoadState state, string path, (string ApiVersion, string Kind)? itemDefaults, int itemsRead = 0)
    {
        if (node is not MappingNode map)
        {
            reader.Error(DiagnosticCodes.WrongType, $"{(path.Length == 0 ? "a manifest" : path)} must be a mapping with apiVersion and kind, found {YamlNodeReader.Describe(node)}", node);
            return;
        }

        var apiVersion = reader.String(map, "apiVersion", Prefix(path, "apiVersion")) ?? itemDefaults?.ApiVersion;
        var kind = reader.String(map, "kind", Prefix(path, "kind")) ?? itemDefaults?.Kind;
        if (apiVersion is null || kind is null)
        {
            reader.Error(DiagnosticCodes.MissingField, $"{(path.Length == 0 ? "object" : path)} has no {(apiVersion is null ? "apiVersion" : "kind")}", map,
                "every Kubernetes object needs apiVersion and kind, e.g. apiVersion: v1 / kind: Pod");
            return;
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        var groupKind = $"{group}/{kind}";
        if (kind.EndsWith("List", StringComparison.Ordinal) && map.TryGetValue("items", out _))
        {
            // kind: List holds objects of any kind; a typed list (PodList ...) holds its item kind.
            var items = reader.Sequence(map, "items", Prefix(path, "items"));
            var defaults = groupKind == "/List" ? ((string, string)?)null : (apiVersion, kind[..^"List".Length]);
            for (var i = 0; i < items.Length; i++)
            {
                LoadObject(items[i], reader, state, $"{Prefix(path, "items")}[{itemsRead + i}]", defaults);
            }

            return;
        }

        switch (groupKind)
        {
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
                if (ClusterPolicyReader.Reads(groupKind, apiVersion))
                {
                    state.ClusterPolicies.Read(map, apiVersion, kind, reader, state.Claim); // S18
                }
                else if (WorkloadTemplatePaths.TryGetValue(groupKind, out var templatePath))
                {
                    LoadWorkload(map, kind, templatePath, reader, state);
                }
                else if (UnmodeledPolicies.Contains(groupKind) || group == ClusterPolicyReader.Group)
                {
                    state.Unmodeled.Add(new SkippedObject(apiVersion, kind, ObjectName(map), map.Location));
                }
                else
                {
                    // S1.1: other kinds play no part in NetworkPolicy; they are counted and named in a warning.
                    state.Skipped.Add(new SkippedObject(apiVersion, kind, ObjectName(map), map.Location));
                }

                break;
        }
    }

    /// <summary>
    /// Kinds that change which connections a cluster allows, which the evaluator does not model:
    /// its verdicts would be wrong where they apply, so each is named in a warning.
    /// </summary>
    private static readonly HashSet<string> UnmodeledPolicies = new(StringComparer.Ordinal)
    {
        "cilium.io/CiliumNetworkPolicy",
        "cilium.io/CiliumClusterwideNetworkPolicy",
        "crd.projectcalico.org/NetworkPolicy",
        "crd.projectcalico.org/GlobalNetworkPolicy",
        "projectcalico.org/NetworkPolicy",
        "projectcalico.org/GlobalNetworkPolicy",
        "projectcalico.org/StagedNetworkPolicy",
        "projectcalico.org/StagedGlobalNetworkPolicy",
        "security.istio.io/AuthorizationPolicy",
    };

    /// <summary>
    /// True when <see cref="LoadObject"/> reads the document as a List (apiVersion, a kind ending in
    /// List, a list of items), so items read before it ended were read as the List's.
    /// </summary>
    private static bool IsList(SourceNode root)
        => root is MappingNode map
            && map["apiVersion"] is ScalarNode { IsNull: false }
            && map["kind"] is ScalarNode { IsNull: false } kind && kind.Value.EndsWith("List", StringComparison.Ordinal)
            && map["items"] is SequenceNode;

    /// <summary>namespace/name (or name) of an object that is not read, for warnings; never an error of its own.</summary>
    private static string? ObjectName(MappingNode map)
        => map["metadata"] is MappingNode metadata && metadata["name"] is ScalarNode { IsNull: false } name
            ? (metadata["namespace"] is ScalarNode { IsNull: false } ns ? $"{ns.Value}/{name.Value}" : name.Value)
            : null;

    private static string Prefix(string path, string field) => new FieldPath(path).Then(field);

    private static (string? Name, string Namespace, MappingNode? Metadata) Metadata(
        MappingNode map, string kind, YamlNodeReader reader, bool namespaced)
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

    private static void LoadNamespace(MappingNode map, YamlNodeReader reader, LoadState state)
    {
        var (name, _, metadata) = Metadata(map, "Namespace", reader, namespaced: false);
        var labels = metadata is null ? Labels.Empty : reader.StringMap(metadata, "labels", "metadata.labels");
        if (name is not null && state.Claim($"Namespace {name}", map.Location))
        {
            state.Namespaces[name] = Namespace.Create(name, labels, map.Location);
        }
    }

    private static void LoadPod(MappingNode map, YamlNodeReader reader, LoadState state)
    {
        var (name, ns, metadata) = Metadata(map, "Pod", reader, namespaced: true);
        var labels = metadata is null ? Labels.Empty : reader.StringMap(metadata, "labels", "metadata.labels");
        ReadOwners(metadata, ns, reader, state);
        var spec = reader.Mapping(map, "spec", "spec");
        var status = reader.Mapping(map, "status", "status");
        var addresses = status is null ? [] : Quietly(reader, new FieldPath("status"), status, ReadPodAddresses);
        if (name is not null)
        {
            AddEndpoint(state, map, new Endpoint
            {
                Namespace = ns,
                Name = name,
                Kind = "Pod",
                Labels = labels,
                Addresses = addresses,
                Ports = spec is null ? [] : Quietly(reader, new FieldPath("spec"), spec, ReadContainerPorts),
                HostNetwork = spec is not null && (reader.Bool(spec, "hostNetwork", "spec.hostNetwork") ?? false),
                Location = map.Location,
            });
        }
    }

    /// <summary>
    /// Reads a part of an object first with no path text and no reports; only when that reading
    /// reports something is it read again with <paramref name="reader"/> and its paths, so the
    /// thousands of clean objects of a cluster dump format no path strings, and a broken one gets
    /// every message it would have had.
    /// </summary>
    private static T Quietly<T>(YamlNodeReader reader, FieldPath path, MappingNode node, Func<MappingNode, FieldPath, YamlNodeReader, T> read)
    {
        var quiet = reader.Quiet();
        var result = read(node, FieldPath.None, quiet);
        return quiet.Reported ? read(node, path, reader) : result;
    }

    /// <summary>status.podIP and status.podIPs[].ip, each address once.</summary>
    private static ImmutableArray<IPAddress> ReadPodAddresses(MappingNode status, FieldPath path, YamlNodeReader reader)
    {
        var addresses = ImmutableArray.CreateBuilder<IPAddress>();
        AddAddress(reader.Child(status, "podIP", path.Then("podIP")), path.Then("podIP"), reader, addresses);
        var podIps = reader.Sequence(status, "podIPs", path.Then("podIPs"));
        for (var i = 0; i < podIps.Length; i++)
        {
            var entryPath = path.Then("podIPs").At(i);
            if (reader.AsMapping(podIps[i], entryPath) is { } entry)
            {
                AddAddress(reader.Child(entry, "ip", entryPath.Then("ip")), entryPath.Then("ip"), reader, addresses);
            }
        }

        // Each address once, first place kept (podIP is podIPs[0] in what the API server writes): a
        // pod has one or two, so a scan beats a hash set.
        for (var i = addresses.Count - 1; i > 0; i--)
        {
            if (addresses.IndexOf(addresses[i], 0, i) >= 0)
            {
                addresses.RemoveAt(i);
            }
        }

        return addresses.DrainToImmutable();
    }

    private static void AddAddress(SourceNode? node, string path, YamlNodeReader reader, ImmutableArray<IPAddress>.Builder addresses)
    {
        var text = reader.AsString(node, path);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (IpAddressText.TryParse(text, out var address))
        {
            addresses.Add(address);
        }
        else
        {
            reader.Error(DiagnosticCodes.BadValue, $"{path}: \"{text}\" is not an IP address", node, "write an IPv4 or IPv6 address such as 10.1.0.11");
        }
    }

    private static void LoadWorkload(MappingNode map, string kind, string[] templatePath, YamlNodeReader reader, LoadState state)
    {
        var (name, ns, metadata) = Metadata(map, kind, reader, namespaced: true);
        ReadOwners(metadata, ns, reader, state);
        MappingNode? template = map;
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
            AddEndpoint(state, map, new Endpoint
            {
                Namespace = ns,
                Name = name,
                Kind = kind,
                Labels = labels,
                Ports = spec is null ? [] : Quietly(reader, new FieldPath(path + ".spec"), spec, ReadContainerPorts),
                HostNetwork = spec is not null && (reader.Bool(spec, "hostNetwork", path + ".spec.hostNetwork") ?? false),
                Location = map.Location,
                Replicas = kind is "Deployment" or "StatefulSet" or "ReplicaSet" or "ReplicationController" ? Replicas(map) : null,
            });
        }
    }

    /// <summary>
    /// Records the controllers an object names in <c>metadata.ownerReferences</c>: a dump of
    /// <c>kubectl get pods,deploy,rs -o json</c> holds each workload three times (Deployment,
    /// ReplicaSet, pods), and only the lowest level present is the workload's endpoints.
    /// </summary>
    private static void ReadOwners(MappingNode? metadata, string ns, YamlNodeReader reader, LoadState state)
    {
        if (metadata is null)
        {
            return;
        }

        state.Owners.AddRange(Quietly(reader, new FieldPath("metadata"), metadata, (metadata, path, reader) => ReadOwnerKeys(metadata, ns, path, reader)));
    }

    private static List<string> ReadOwnerKeys(MappingNode metadata, string ns, FieldPath path, YamlNodeReader reader)
    {
        var keys = new List<string>();
        var owners = reader.Sequence(metadata, "ownerReferences", path.Then("ownerReferences"));
        for (var i = 0; i < owners.Length; i++)
        {
            var ownerPath = path.Then("ownerReferences").At(i);
            if (reader.AsMapping(owners[i], ownerPath) is { } owner
                && reader.String(owner, "kind", ownerPath.Then("kind")) is { } kind
                && reader.String(owner, "name", ownerPath.Then("name")) is { } name)
            {
                keys.Add(OwnerKey(ns, kind, name));
            }
        }

        return keys;
    }

    private static string OwnerKey(string ns, string kind, string name) => $"{ns}/{kind}/{name}";

    /// <summary><c>spec.replicas</c> when it is a plain integer; absent or anything else (a placeholder) is unknown.</summary>
    private static int? Replicas(MappingNode map)
        => map.TryGetValue("spec", out var spec) && spec is MappingNode specMap && specMap.TryGetValue("replicas", out var node)
            && node is ScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar
            && int.TryParse(scalar.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var replicas)
            ? replicas : null;

    private static void AddEndpoint(LoadState state, MappingNode map, Endpoint endpoint)
    {
        var id = endpoint.Id;
        if (!state.Claim($"{endpoint.Kind} {id}", map.Location))
        {
            return;
        }

        if (state.EndpointIds.TryGetValue(id, out var other))
        {
            state.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateEndpoint,
                $"{endpoint.Kind} {endpoint.Id} has the same namespace/name as {other.Kind} {other.Id} at {other.Location}",
                endpoint.Location, "npgen names endpoints namespace/name; load only one of the two objects"));
            return;
        }

        state.EndpointIds[id] = endpoint;
        state.Endpoints.Add(endpoint);
    }

    /// <summary>Ports of containers, and of init containers (sidecars can serve too).</summary>
    private static ImmutableArray<ContainerPort> ReadContainerPorts(MappingNode podSpec, FieldPath path, YamlNodeReader reader)
    {
        var ports = ImmutableArray.CreateBuilder<ContainerPort>();
        foreach (var list in new[] { "containers", "initContainers" })
        {
            var containers = reader.Sequence(podSpec, list, path.Then(list));
            for (var c = 0; c < containers.Length; c++)
            {
                var containerPath = path.Then(list).At(c);
                if (reader.AsMapping(containers[c], containerPath) is not { } container)
                {
                    continue;
                }

                var entries = reader.Sequence(container, "ports", containerPath.Then("ports"));
                for (var p = 0; p < entries.Length; p++)
                {
                    var portPath = containerPath.Then("ports").At(p);
                    if (reader.AsMapping(entries[p], portPath) is not { } entry)
                    {
                        continue;
                    }

                    var number = reader.Int(entry, "containerPort", portPath.Then("containerPort"));
                    var protocolText = reader.String(entry, "protocol", portPath.Then("protocol"));
                    var protocol = Protocol.TCP;
                    if (protocolText is not null && !ProtocolNames.TryParse(protocolText, out protocol))
                    {
                        reader.Error(DiagnosticCodes.BadValue, $"{portPath}.protocol: unsupported protocol \"{protocolText}\"",
                            entry.TryGetValue("protocol", out var protocolNode) ? protocolNode : entry, "use TCP, UDP or SCTP (upper case)");
                        continue;
                    }

                    if (number is null)
                    {
                        if (reader.Child(entry, "containerPort", portPath.Then("containerPort")) is null)
                        {
                            reader.Error(DiagnosticCodes.MissingField, $"{portPath}: containerPort is required", entry);
                        }

                        continue;
                    }

                    if (number.Value is < 1 or > 65535)
                    {
                        // The API server's own words (validation of containerPort).
                        reader.Error(DiagnosticCodes.ContainerPortOutOfRange,
                            $"{portPath}.containerPort: Invalid value: {number.Value}: must be between 1 and 65535, inclusive",
                            entry.TryGetValue("containerPort", out var portNode) ? portNode : entry, "the API server rejects this object; use a port from 1 to 65535");
                        continue;
                    }

                    ports.Add(new ContainerPort(reader.String(entry, "name", portPath.Then("name")), number.Value, protocol));
                }
            }
        }

        return ports.ToImmutable();
    }

    private static void LoadPolicy(MappingNode map, YamlNodeReader reader, LoadState state)
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
                Location = map.Location,
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

            if (name is not null && state.Claim($"NetworkPolicy {ns}/{name}", map.Location))
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
    private static ImmutableSortedDictionary<string, string> ReadMetadataMap(MappingNode metadata, string field, YamlNodeReader reader)
    {
        var values = reader.StringMap(metadata, field, $"metadata.{field}");
        if (reader.Child(metadata, field, $"metadata.{field}") is MappingNode entries)
        {
            foreach (var (key, value) in entries.Entries)
            {
                if (key is ScalarNode k)
                {
                    reader.Record(NetworkPolicy.MetadataKeyPath(field, k.Value), key);
                    reader.Record(NetworkPolicy.MetadataValuePath(field, k.Value), value);
                }
            }
        }

        return values;
    }

    internal static ImmutableArray<string> ReadStrings(MappingNode map, string key, string path, YamlNodeReader reader)
    {
        var items = reader.Sequence(map, key, path);
        var result = ImmutableArray.CreateBuilder<string>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            reader.Record($"{path}[{i}]", items[i]);
            if (reader.AsString(items[i], $"{path}[{i}]") is { } value)
            {
                result.Add(value);
            }
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<PolicyRule> ReadRules(MappingNode spec, string direction, string peersKey, YamlNodeReader reader)
    {
        var rules = reader.Sequence(spec, direction, $"spec.{direction}");
        var result = ImmutableArray.CreateBuilder<PolicyRule>(rules.Length);
        for (var r = 0; r < rules.Length; r++)
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

    private static PolicyPeer? ReadPeer(SourceNode node, string path, YamlNodeReader reader)
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

    private static PolicyPort? ReadPort(SourceNode node, string path, YamlNodeReader reader)
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
            case ScalarNode { Style: ScalarStyle.Plain } s when int.TryParse(s.Value, System.Globalization.CultureInfo.InvariantCulture, out var number):
                port = IntOrString.FromNumber(number);
                break;
            case ScalarNode s:
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

    internal static LabelSelector ReadSelector(MappingNode map, string path, YamlNodeReader reader)
    {
        var expressions = reader.Sequence(map, "matchExpressions", path + ".matchExpressions");
        var requirements = ImmutableArray.CreateBuilder<LabelSelectorRequirement>(expressions.Length);
        for (var i = 0; i < expressions.Length; i++)
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

        /// <summary>namespace/Kind/name of every controller some object in the input names as its owner.</summary>
        public List<string> Owners { get; } = [];
        public Dictionary<string, Endpoint> EndpointIds { get; } = new(StringComparer.Ordinal);
        public List<NetworkPolicy> Policies { get; } = [];
        public List<SkippedObject> Skipped { get; } = [];
        public List<SkippedObject> Unmodeled { get; } = [];
        public ClusterPolicyReader ClusterPolicies { get; } = new();

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

        public Mark Checkpoint()
            => new(Diagnostics.Count, claimed.Count, Endpoints.Count, Policies.Count, Skipped.Count, Unmodeled.Count, [.. Namespaces.Keys], ClusterPolicies.Mark, Owners.Count);

        public sealed record Mark(int Diagnostics, int Claimed, int Endpoints, int Policies, int Skipped, int Unmodeled, List<string> Namespaces,
            (int Policies, int Nodes) ClusterPolicies, int Owners);

        /// <summary>Forgets everything read since the checkpoint (a source with a syntax error counts as unread).</summary>
        public void Rollback(Mark checkpoint)
        {
            Skipped.RemoveRange(checkpoint.Skipped, Skipped.Count - checkpoint.Skipped);
            Owners.RemoveRange(checkpoint.Owners, Owners.Count - checkpoint.Owners);
            Unmodeled.RemoveRange(checkpoint.Unmodeled, Unmodeled.Count - checkpoint.Unmodeled);
            ClusterPolicies.Rollback(checkpoint.ClusterPolicies);
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

            // A controller whose ReplicaSets or pods are in the input is represented by them (pods are
            // never owners, so they are always kept).
            var represented = Owners.ToHashSet(StringComparer.Ordinal);
            var cluster = ClusterPolicies.AddTo(new Cluster
            {
                Namespaces = [.. Namespaces.Values.OrderBy(n => n.Name, StringComparer.Ordinal)],
                Endpoints = [.. Endpoints.Where(e => !represented.Contains(OwnerKey(e.Namespace, e.Kind, e.Name))).OrderBy(e => e.Namespace, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal)],
                Policies = [.. Policies.OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)],
            });
            if (Skipped.Count > 0)
            {
                var kinds = Skipped.GroupBy(o => o.Kind, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => $"{g.Count()} {YamlDiagnostics.Excerpt(g.Key)}");
                var files = Skipped.Select(o => o.Location.File).Distinct(StringComparer.Ordinal).ToList();
                Diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.SkippedObjects,
                    $"skipped {Skipped.Count} object{(Skipped.Count == 1 ? "" : "s")} npgen does not use: {string.Join(", ", kinds)} (in {Files(files)})",
                    null, "npgen reads Namespaces, Pods, Nodes, workloads with pod templates, networking.k8s.io NetworkPolicies and policy.networking.k8s.io AdminNetworkPolicy, BaselineAdminNetworkPolicy (v1alpha1) and ClusterNetworkPolicy (v1alpha2); other kinds do not change its answers"));
            }

            foreach (var kind in Unmodeled.GroupBy(o => $"{o.ApiVersion} {o.Kind}", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var first = kind.First();
                var names = kind.Select(o => o.Name is null ? o.Location.ToString() : $"{o.Name} ({o.Location})").Take(5).Select(n => YamlDiagnostics.Excerpt(n, 200));
                Diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnmodeledPolicy,
                    $"verdicts ignore {kind.Count()} {YamlDiagnostics.Excerpt(first.Kind)} object{(kind.Count() == 1 ? "" : "s")} ({YamlDiagnostics.Excerpt(first.ApiVersion)}), which npgen does not model: {string.Join(", ", names)}{(kind.Count() > 5 ? ", ..." : "")}",
                    first.Location, "npgen evaluates only networking.k8s.io/v1 NetworkPolicies; where these policies apply, the cluster may allow or deny differently from npgen's answers"));
            }

            return new LoadResult(cluster, Diagnostics.ToImmutable()) { Skipped = [.. Skipped], Unmodeled = [.. Unmodeled] };
        }

        private static string Files(List<string> files)
            => string.Join(", ", files.Take(5).Select(f => YamlDiagnostics.Excerpt(f, 200))) + (files.Count > 5 ? $" and {files.Count - 5} more files" : "");
    }
}
