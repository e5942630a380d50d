using System.Collections.Immutable;
using System.Globalization;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using PolicyGen.Validation;
using static PolicyGen.Intent.IntentKeys;

namespace PolicyGen.Intent;

/// <summary>
/// Turns the (merged) intent node tree into a checked <see cref="NetworkIntent"/>. Every mistake a
/// user can make gets a diagnostic naming file, line and column with a fix, and binding goes on
/// after an error so that one run reports them all. This type binds the file's sections; the
/// typed node accessors (<see cref="IntentNodeReader"/>), peers and ports (<see cref="PeerBinder"/>),
/// the edge keys (<see cref="RuleBinder"/>), <c>everyApp</c> (<see cref="EveryAppBinder"/>),
/// <c>expect</c> (<see cref="ExpectationBinder"/>) and the overlap check (<see cref="AppOverlapCheck"/>)
/// each live in their own type.
/// </summary>
internal sealed class IntentBinder
{
    public const string ApiVersion = "npgen.dev/v1alpha1";

    private readonly IntentNodeReader reader = new();
    private readonly PeerBinder peers;
    private readonly RuleBinder rules;

    private IntentBinder()
    {
        peers = new PeerBinder(reader);
        rules = new RuleBinder(reader, peers);
    }

    public static (NetworkIntent? Intent, ImmutableArray<Diagnostic> Diagnostics) Bind(SourceNode root)
    {
        var binder = new IntentBinder();
        var intent = binder.BindRoot(root);
        return (binder.reader.HasErrors ? null : intent, binder.reader.Diagnostics);
    }

    private NetworkIntent? BindRoot(SourceNode root)
    {
        if (reader.Map(root, "the intent file", RootKeys) is not { } map)
        {
            return null;
        }

        CheckHeader(map);
        var name = BindName(map["metadata"]);
        var spec = reader.Map(map["spec"], "spec", SpecKeys);
        if (spec is null)
        {
            if (IntentNodeReader.IsAbsent(map["spec"]))
            {
                reader.Error(DiagnosticCodes.IntentMissingField, "spec is missing", map, "add spec: with apps: (npgen init writes a starter file)");
            }

            return null;
        }

        return BindSpec(spec, name, root);
    }

    private void CheckHeader(MappingNode map)
    {
        var apiVersion = reader.Text(map["apiVersion"], "apiVersion");
        if (apiVersion != ApiVersion)
        {
            reader.Error(DiagnosticCodes.IntentBadHeader, apiVersion is null ? "apiVersion is missing" : $"apiVersion \"{apiVersion}\" is not supported",
                map["apiVersion"] ?? map, $"start the file with apiVersion: {ApiVersion} and kind: NetworkIntent");
        }

        var kind = reader.Text(map["kind"], "kind");
        if (kind != "NetworkIntent")
        {
            reader.Error(DiagnosticCodes.IntentBadHeader, kind is null ? "kind is missing" : $"kind \"{kind}\" is not NetworkIntent",
                map["kind"] ?? map, "write kind: NetworkIntent (npgen init writes a starter file)");
        }
    }

    private string BindName(SourceNode? node)
    {
        if (reader.Map(node, "metadata", MetadataKeys) is not { } metadata || reader.Text(metadata["name"], "metadata.name") is not { } name)
        {
            return "intent";
        }

        reader.CheckName(name, metadata["name"]!, "metadata.name", subdomain: true);

        // The name is also the value of every policy's npgen.dev/intent label, which allows 63 characters, not 253.
        if (name.Length > KubernetesNames.LabelValueMaxLength)
        {
            reader.Error(DiagnosticCodes.IntentBadName,
                $"metadata.name: \"{name[..20]}...\" is {name.Length.ToString(CultureInfo.InvariantCulture)} characters; it becomes the value of the npgen.dev/intent label of every policy, which may have at most 63",
                metadata["name"]!, "shorten the name to 63 characters or fewer (e.g. the team or application name)");
        }

        return name;
    }

    /// <summary>
    /// The sections of <c>spec</c> (<see cref="IntentKeys.SpecKeys"/>), in the order they depend on
    /// each other: a new section is bound here, in its own type, where what it refers to is known.
    /// </summary>
    private NetworkIntent BindSpec(MappingNode spec, string name, SourceNode root)
    {
        var (denyIngress, denyEgress, dns) = BindDefaults(spec["defaults"]);
        var namespaceNodes = BindNamespaces(spec["namespaces"]);
        var networks = BindNetworks(spec["networks"]);
        var (controller, apiServer) = BindPresets(spec["presets"]);
        var appNodes = reader.Map(spec["apps"], "spec.apps", null);
        var intent = new NetworkIntent
        {
            Name = name,
            Source = IntentNodeReader.Source("", root),
            DenyIngress = denyIngress,
            DenyEgress = denyEgress,
            Dns = dns,
            Namespaces = [.. namespaceNodes.Select(n => n.Namespace)],
            Networks = networks,
            PodNetwork = spec["podNetwork"] is { } podNetwork ? BindBlocks(podNetwork, "spec.podNetwork") : NetworkIntent.DefaultPodNetwork,
            PodNetworkDeclared = spec["podNetwork"] is not null,
            IngressController = controller,
            ApiServer = apiServer,
        };

        // Apps are bound in two passes: first names, namespaces and ports (which edges refer to), then edges.
        var apps = new List<(App App, MappingNode Node)>();
        foreach (var (key, value) in appNodes?.Entries ?? [])
        {
            if (BindAppHeader(key, value) is { } app)
            {
                apps.Add((app, (MappingNode)value));
            }
        }

        intent = intent with { Apps = [.. apps.Select(a => a.App)] };

        // Namespace-wide rules and everyApp rules name apps and networks, so they are bound once the app headers are known.
        intent = intent with { Namespaces = [.. namespaceNodes.Select(n => BindNamespaceRules(n.Namespace, n.Node, intent))] };
        var everyApp = new EveryAppBinder(reader, peers, rules); // each namespace's own first, then the intent-wide ones
        foreach (var (ns, node) in namespaceNodes)
        {
            if (node?["everyApp"] is { } nsEveryApp)
            {
                everyApp.Add(nsEveryApp, $"/spec/namespaces/{ns.Name}/everyApp", $"namespace \"{ns.Name}\": everyApp", ns.Name, intent);
            }
        }

        if (spec["defaults"] is MappingNode defaultsMap && defaultsMap["everyApp"] is { } defaultsEveryApp)
        {
            everyApp.Add(defaultsEveryApp, "/spec/defaults/everyApp", "defaults.everyApp", null, intent);
        }

        intent = intent with { Apps = [.. apps.Select(a => BindAppEdges(a.App, a.Node, intent))] };
        intent = intent with { Apps = everyApp.Expand(intent.Apps) };
        AppOverlapCheck.Check(reader, apps);
        CheckNamespacePolicyNames(intent, apps);
        if (spec["defaults"] is MappingNode defaultsNode && defaultsNode["dns"] is MappingNode dnsNode && dnsNode["peers"] is { } peerNodes)
        {
            intent = intent with { Dns = intent.Dns with { Peers = BindDnsPeers(peerNodes, intent) } };
        }

        var clusterDiagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        intent = intent with { Cluster = ClusterSectionBinder.Bind(spec["cluster"], intent, clusterDiagnostics) }; // spec.cluster: Intent/ClusterSectionBinder.cs
        foreach (var diagnostic in clusterDiagnostics)
        {
            reader.Add(diagnostic);
        }

        return intent with { Expectations = new ExpectationBinder(reader, peers).Bind(spec["expect"], intent) };
    }

    private (bool DenyIngress, bool DenyEgress, DnsSettings Dns) BindDefaults(SourceNode? node)
    {
        var defaultDns = new DnsSettings(true,
            [new NamespacePeer("kube-system", Labels.Of(("k8s-app", "kube-dns")))], null);
        if (reader.Map(node, "spec.defaults", DefaultsKeys) is not { } map)
        {
            return (true, true, defaultDns);
        }

        var denyIngress = true;
        var denyEgress = true;
        if (reader.Map(map["defaultDeny"], "spec.defaults.defaultDeny", DenyKeys) is { } deny)
        {
            denyIngress = reader.Bool(deny["ingress"], "spec.defaults.defaultDeny.ingress") ?? true;
            denyEgress = reader.Bool(deny["egress"], "spec.defaults.defaultDeny.egress") ?? true;
        }

        var dns = defaultDns;
        if (reader.Map(map["dns"], "spec.defaults.dns", DnsKeys) is { } dnsMap)
        {
            // The peers are bound once the apps, networks and presets are known (BindDnsPeers), so a
            // bare app name and {network} are resolved and checked like anywhere else.
            dns = new DnsSettings(reader.Bool(dnsMap["enabled"], "spec.defaults.dns.enabled") ?? true, defaultDns.Peers, IntentNodeReader.Source("/spec/defaults/dns", dnsMap));
        }

        return (denyIngress, denyEgress, dns);
    }

    /// <summary>
    /// <c>defaults.dns.peers</c>: any peer but the <c>{podLabels}</c> short form, which is relative
    /// to an app's namespace and there is no app here. A bare name is an app, as in <c>calls</c>.
    /// </summary>
    private ImmutableArray<Peer> BindDnsPeers(SourceNode node, NetworkIntent intent)
    {
        var result = ImmutableArray.CreateBuilder<Peer>();
        var items = reader.Seq(node, "spec.defaults.dns.peers");
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] is MappingNode map && map["podLabels"] is not null && !PeerKinds.Any(k => map[k] is not null))
            {
                reader.Error(DiagnosticCodes.IntentMissingField, $"defaults.dns.peers[{i}]: podLabels alone names no namespace", map,
                    "DNS peers belong to no app, so say where the pods run: {namespace: kube-system, podLabels: {k8s-app: kube-dns}}, or name an app");
                continue;
            }

            if (peers.Bind(items[i], $"/spec/defaults/dns/peers/{i}", null, intent, out _) is { } peer)
            {
                result.Add(peer);
            }
        }

        return result.ToImmutable();
    }

    private List<(IntentNamespace Namespace, MappingNode? Node)> BindNamespaces(SourceNode? node)
    {
        var result = new List<(IntentNamespace Namespace, MappingNode? Node)>();
        foreach (var (key, value) in reader.Map(node, "spec.namespaces", null)?.Entries ?? [])
        {
            reader.CheckName(key.Value, key, $"namespace \"{key.Value}\"", subdomain: false);
            var map = value is ScalarNode { IsNull: true } ? null : reader.Map(value, $"spec.namespaces.{key.Value}", NamespaceKeys);
            result.Add((new IntentNamespace(key.Value,
                map is not null && (reader.Bool(map["managed"], $"spec.namespaces.{key.Value}.managed") ?? false),
                map?["labels"] is { } labels ? reader.LabelMap(labels, $"spec.namespaces.{key.Value}.labels") : Labels.Empty,
                IntentNodeReader.Source($"/spec/namespaces/{key.Value}", key)), map));
        }

        return result;
    }

    private ImmutableArray<IntentNetwork> BindNetworks(SourceNode? node)
    {
        var result = ImmutableArray.CreateBuilder<IntentNetwork>();
        foreach (var (key, value) in reader.Map(node, "spec.networks", null)?.Entries ?? [])
        {
            reader.CheckName(key.Value, key, $"network \"{key.Value}\"", subdomain: false);
            result.Add(new IntentNetwork(key.Value, BindBlocks(value, $"spec.networks.{key.Value}"), IntentNodeReader.Source($"/spec/networks/{key.Value}", key)));
        }

        return result.ToImmutable();
    }

    /// <summary>A CIDR, a list of CIDRs, <c>{cidr, except}</c>, or a list mixing both.</summary>
    private ImmutableArray<CidrBlock> BindBlocks(SourceNode node, string what)
    {
        var items = node is SequenceNode seq ? seq.Items : [node];
        var result = ImmutableArray.CreateBuilder<CidrBlock>();
        foreach (var item in items)
        {
            if (item is ScalarNode scalar && reader.ParseCidr(scalar, what) is { } cidr)
            {
                result.Add(new CidrBlock(cidr, []));
            }
            else if (item is MappingNode map && reader.Map(map, what, BlockKeys) is not null)
            {
                if (map["cidr"] is not ScalarNode cidrNode)
                {
                    reader.Error(DiagnosticCodes.IntentMissingField, $"{what}: cidr is missing", map, "write {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}");
                    continue;
                }

                if (reader.ParseCidr(cidrNode, what) is not { } outer)
                {
                    continue;
                }

                var except = ImmutableArray.CreateBuilder<Cidr>();
                foreach (var e in map["except"] is { } exceptNode ? reader.Seq(exceptNode, what + ".except") : [])
                {
                    if (reader.ParseCidr(e, what + ".except") is { } inner)
                    {
                        if (!outer.IsStrictSupersetOf(inner))
                        {
                            reader.Error(DiagnosticCodes.IntentExceptOutsideCidr, $"{what}: except {inner} is not inside {outer}", e,
                                $"an except must be a smaller block inside its cidr (e.g. a /16 inside {outer}); remove it or fix the cidr");
                        }
                        else
                        {
                            except.Add(inner);
                        }
                    }
                }

                result.Add(new CidrBlock(outer, except.ToImmutable()));
            }
            else if (item is not ScalarNode)
            {
                reader.Error(DiagnosticCodes.IntentWrongType, $"{what}: expected a CIDR or {{cidr, except}}, found {IntentNodeReader.Describe(item)}", item,
                    "write a CIDR such as 203.0.113.0/24, or {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}");
            }
        }

        if (result.Count == 0 && items.IsEmpty)
        {
            reader.Error(DiagnosticCodes.IntentMissingField, $"{what}: no CIDR given", node, "list at least one CIDR, e.g. [203.0.113.0/24]");
        }

        return result.ToImmutable();
    }

    private (IngressControllerPreset Controller, ApiServerPreset? ApiServer) BindPresets(SourceNode? node)
    {
        var controller = new IngressControllerPreset("ingress-nginx", Labels.Of(("app.kubernetes.io/name", "ingress-nginx")), null);
        ApiServerPreset? apiServer = null;
        if (reader.Map(node, "spec.presets", PresetKeys) is not { } map)
        {
            return (controller, apiServer);
        }

        if (reader.Map(map["ingressController"], "spec.presets.ingressController", ControllerKeys) is { } c)
        {
            // Half a preset would keep the other half's ingress-nginx default (its labels in another
            // namespace select nothing): a written preset says both.
            foreach (var missing in ControllerKeys.Where(k => IntentNodeReader.IsAbsent(c[k])))
            {
                reader.Error(DiagnosticCodes.IntentMissingField, $"spec.presets.ingressController: {missing} is missing", c,
                    "give both where the controller runs and its pods' labels, e.g. {namespace: traefik, podLabels: {app.kubernetes.io/name: traefik}} (podLabels: {} is every pod of the namespace)");
            }

            var ns = reader.Text(c["namespace"], "spec.presets.ingressController.namespace") ?? controller.Namespace;
            if (c["namespace"] is { } nsNode && ns != controller.Namespace)
            {
                // It becomes the kubernetes.io/metadata.name label value of the controller's peer.
                reader.CheckName(ns, nsNode, "spec.presets.ingressController.namespace", subdomain: false);
            }
            controller = new IngressControllerPreset(ns,
                c["podLabels"] is { } labels ? reader.LabelMap(labels, "spec.presets.ingressController.podLabels") : controller.PodLabels,
                IntentNodeReader.Source("/spec/presets/ingressController", c));
        }

        if (reader.Map(map["apiServer"], "spec.presets.apiServer", ApiServerKeys) is { } a)
        {
            if (a["networks"] is not { } networks)
            {
                reader.Error(DiagnosticCodes.IntentMissingField, "spec.presets.apiServer: networks is missing", a,
                    "list the API server endpoint addresses, e.g. networks: [10.0.0.1/32] (kubectl get endpoints kubernetes)");
            }
            else
            {
                var ports = a["ports"] is { } p
                    ? [.. reader.Seq(p, "spec.presets.apiServer.ports").Select(x => reader.ParsePortRange(x, "spec.presets.apiServer.ports")).OfType<PortRange>()]
                    : ImmutableArray.Create(new PortRange(Protocol.TCP, 443, 443), new PortRange(Protocol.TCP, 6443, 6443));
                apiServer = new ApiServerPreset(BindBlocks(networks, "spec.presets.apiServer.networks"), ports, IntentNodeReader.Source("/spec/presets/apiServer", a));
            }
        }

        return (controller, apiServer);
    }

    private App? BindAppHeader(ScalarNode key, SourceNode value)
    {
        var what = $"app \"{key.Value}\"";
        reader.CheckName(key.Value, key, what, subdomain: false);
        if (reader.Map(value, what, AppKeys) is not { } map)
        {
            return null;
        }

        var ns = reader.Text(map["namespace"], $"{what}: namespace");
        if (ns is null)
        {
            if (IntentNodeReader.IsAbsent(map["namespace"]))
            {
                reader.Error(DiagnosticCodes.IntentMissingField, $"{what} has no namespace", map, "add namespace: <name> to the app");
            }

            ns = "default";
        }
        else
        {
            reader.CheckName(ns, map["namespace"]!, $"{what}: namespace", subdomain: false);
        }

        var selector = map["selector"] is { } selectorNode ? reader.LabelMap(selectorNode, $"{what}: selector") : Labels.Empty;
        if (selector.IsEmpty && map["selector"] is not (SequenceNode or ScalarNode { IsNull: false }))
        {
            reader.Error(DiagnosticCodes.IntentMissingField, $"{what} has no selector", (SourceNode?)map["selector"] ?? map,
                "give the pod labels that select the app's pods, e.g. selector: {app: web}");
        }

        var ports = ImmutableArray.CreateBuilder<AppPort>();
        foreach (var (portName, portValue) in reader.Map(map["ports"], $"{what}: ports", null)?.Entries ?? [])
        {
            if (!KubernetesNames.IsIanaSvcName(portName.Value))
            {
                reader.Error(DiagnosticCodes.IntentBadName, $"{what}: port name \"{portName.Value}\" is not a valid port name", portName,
                    "use at most 15 lower-case letters, digits and '-', with at least one letter (e.g. http, metrics, grpc-web)");
            }

            if (reader.ParsePortRange(portValue, $"{what}: port {portName.Value}") is { } range)
            {
                ports.Add(new AppPort(portName.Value, range));
            }
            else
            {
                peers.MarkMistyped(key.Value, portName.Value);
            }
        }

        return new App
        {
            Name = key.Value,
            Namespace = ns,
            Selector = selector,
            Ports = ports.ToImmutable(),
            Dns = reader.Bool(map["dns"], $"{what}: dns") ?? true,
            Source = IntentNodeReader.Source($"/spec/apps/{key.Value}", key),
        };
    }

    private App BindAppEdges(App app, MappingNode map, NetworkIntent intent)
    {
        var what = $"app \"{app.Name}\"";
        var pointer = $"/spec/apps/{app.Name}";
        // Writing the key, even as ingress: [] or with no value, makes ingress an allow-list (isolated),
        // like calls: an empty list that left the app open would be a silent open door.
        var (shapes, ingressNone, ingressDeclared) = rules.BindIngressShapes(map["ingress"], what, pointer, app, intent);
        var ingress = shapes.Select(r => new IngressRule(r.From, peers.BindPortRefs(r.Ports, r.What, app, externalOnly: false), r.Source)).ToImmutableArray();
        var egressNone = rules.BindEgressNone(map["egress"], what, "outbound traffic is declared with calls: [...]; egress: none denies all of it, DNS included");
        var (calls, callsDeclared) = rules.BindCalls(map["calls"], what, pointer, app, intent);
        if (egressNone && calls.Length > 0)
        {
            reader.Error(DiagnosticCodes.IntentContradiction, $"{what} has egress: none but also calls", map["egress"]!,
                "remove egress: none to allow the calls, or remove the calls");
        }

        return app with
        {
            Ingress = ingress,
            Calls = calls,
            IngressNone = ingressNone,
            IngressDeclared = ingressDeclared,
            EgressNone = egressNone,
            CallsDeclared = callsDeclared,
        };
    }

    /// <summary>
    /// <c>spec.namespaces.&lt;ns&gt;</c>'s own <c>ingress</c>, <c>calls</c>, <c>egress: none</c> and
    /// <c>dns</c>: rules for every pod of the namespace. They belong to no app, so their ports are
    /// numbers (a call to an app may name that app's ports, as any call to an app can).
    /// </summary>
    private IntentNamespace BindNamespaceRules(IntentNamespace ns, MappingNode? map, NetworkIntent intent)
    {
        if (map is null)
        {
            return ns;
        }

        var what = $"namespace \"{ns.Name}\"";
        var pointer = $"/spec/namespaces/{ns.Name}";
        var portName = (DiagnosticCodes.NamespaceRulePortName,
            "a namespace-wide rule applies to every pod of the namespace, pods of no app included, so no app's port names apply: write the number (e.g. 9090/TCP), or move the rule to everyApp, where names resolve against each app's ports");
        var (shapes, ingressNone, ingressDeclared) = rules.BindIngressShapes(map["ingress"], what, pointer, null, intent, ns.Name);
        var ingress = shapes.Select(r => new IngressRule(r.From, peers.BindPortRefs(r.Ports, r.What, null, externalOnly: true, portName), r.Source)).ToImmutableArray();
        var egressNone = rules.BindEgressNone(map["egress"], what,
            "the namespace's outbound traffic is declared with calls: [...]; egress: none lets no pod of the namespace connect anywhere, DNS included");
        var (calls, callsDeclared) = rules.BindCalls(map["calls"], what, pointer, null, intent, ns.Name, portName);
        if (egressNone && calls.Length > 0)
        {
            reader.Error(DiagnosticCodes.NamespaceRuleContradiction, $"{what} has egress: none but also calls", map["egress"]!,
                "remove egress: none to allow the calls for every pod of the namespace, or remove the calls");
        }

        return ns with
        {
            Ingress = ingress,
            IngressNone = ingressNone,
            IngressDeclared = ingressDeclared,
            Calls = calls,
            CallsDeclared = callsDeclared,
            EgressNone = egressNone,
            Dns = reader.Bool(map["dns"], $"{what}: dns") ?? true,
        };
    }

    /// <summary>
    /// The namespace-wide policies are named <c>namespace-ingress</c> and <c>namespace-egress</c>:
    /// an app named <c>namespace</c> in such a namespace would write policies of the same names.
    /// </summary>
    private void CheckNamespacePolicyNames(NetworkIntent intent, List<(App App, MappingNode Node)> apps)
    {
        foreach (var (app, _) in apps)
        {
            if (app.Name == "namespace" && intent.FindNamespace(app.Namespace) is { } ns && (ns.IngressIsolated || ns.EgressIsolated))
            {
                reader.Add(Diagnostic.Error(DiagnosticCodes.NamespacePolicyNameTaken,
                    $"app \"namespace\" in namespace {ns.Name}: its policies would be named namespace-ingress / namespace-egress, the names of the namespace-wide policies of {ns.Name}",
                    app.Source.Location, "rename the app (e.g. namespace-app); the namespace-wide rules are written as namespace-ingress and namespace-egress"));
            }
        }
    }
}
