using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using PolicyGen.Validation;
using static PolicyGen.Intent.IntentKeys;

namespace PolicyGen.Intent;

/// <summary>
/// Turns the (merged) intent node tree into a checked <see cref="NetworkIntent"/>. Every mistake a
/// user can make gets a diagnostic naming file, line and column with a fix, and binding goes on
/// after an error so that one run reports them all.
/// </summary>
internal sealed class IntentBinder
{
    public const string ApiVersion = "npgen.dev/v1alpha1";

    /// <summary>Words users reach for that NetworkPolicy v1 cannot express, with what to do instead.</summary>
    private static readonly Dictionary<string, string> Unenforceable = new(StringComparer.Ordinal)
    {
        ["fqdn"] = "NetworkPolicy v1 cannot match DNS names: pin the addresses in a named network (networks: {stripe: [198.51.100.0/24]}) per environment and use {network: stripe}",
        ["deny"] = "NetworkPolicy v1 has no deny rules: traffic is denied by isolating the pods (defaultDeny) and allowing only what is declared",
        ["action"] = "NetworkPolicy v1 has no deny rules or actions: everything not declared is denied once a pod is isolated",
        ["http"] = "NetworkPolicy v1 works at L3/L4 and cannot match HTTP paths, methods or headers; use a service mesh policy for L7",
        ["paths"] = "NetworkPolicy v1 works at L3/L4 and cannot match HTTP paths; use a service mesh policy for L7",
        ["methods"] = "NetworkPolicy v1 works at L3/L4 and cannot match HTTP methods; use a service mesh policy for L7",
        ["icmp"] = "NetworkPolicy v1 only covers TCP, UDP and SCTP",
    };

    private readonly ImmutableArray<Diagnostic>.Builder diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();

    /// <summary>Ports declared with a bad value (already reported): using their name is not a second mistake.</summary>
    private readonly HashSet<(string App, string Port)> mistypedPorts = [];
    private readonly string file;

    private IntentBinder(string file) => this.file = file;

    public static (NetworkIntent? Intent, ImmutableArray<Diagnostic> Diagnostics) Bind(string file, SourceNode root)
    {
        var binder = new IntentBinder(file);
        var intent = binder.BindRoot(root);
        return (binder.diagnostics.Any(d => d.Severity == Severity.Error) ? null : intent, binder.diagnostics.ToImmutable());
    }

    private void Error(string code, string message, SourceNode node, string? hint = null)
        => diagnostics.Add(Diagnostic.Error(code, message, node.Location, hint));

    /// <summary>Names the file the node was written in: an overlay's items point at the overlay, not the base.</summary>
    private static IntentSource Source(string pointer, SourceNode node) => new(node.Location.File, pointer, node.Location);

    private NetworkIntent? BindRoot(SourceNode root)
    {
        if (Map(root, "the intent file", RootKeys) is not { } map)
        {
            return null;
        }

        var apiVersion = Text(map["apiVersion"], "apiVersion");
        if (apiVersion != ApiVersion)
        {
            Error(DiagnosticCodes.IntentBadHeader, apiVersion is null ? "apiVersion is missing" : $"apiVersion \"{apiVersion}\" is not supported",
                map["apiVersion"] ?? map, $"start the file with apiVersion: {ApiVersion} and kind: NetworkIntent");
        }

        var kind = Text(map["kind"], "kind");
        if (kind != "NetworkIntent")
        {
            Error(DiagnosticCodes.IntentBadHeader, kind is null ? "kind is missing" : $"kind \"{kind}\" is not NetworkIntent",
                map["kind"] ?? map, "write kind: NetworkIntent (npgen init writes a starter file)");
        }

        var name = "intent";
        if (Map(map["metadata"], "metadata", MetadataKeys) is { } metadata && Text(metadata["name"], "metadata.name") is { } n)
        {
            name = n;
            CheckName(n, metadata["name"]!, "metadata.name", subdomain: true);

            // The name is also the value of every policy's npgen.dev/intent label, which allows 63 characters, not 253.
            if (n.Length > KubernetesNames.LabelValueMaxLength)
            {
                Error(DiagnosticCodes.IntentBadName,
                    $"metadata.name: \"{n[..20]}...\" is {n.Length.ToString(CultureInfo.InvariantCulture)} characters; it becomes the value of the npgen.dev/intent label of every policy, which may have at most 63",
                    metadata["name"]!, "shorten the name to 63 characters or fewer (e.g. the team or application name)");
            }
        }

        var spec = Map(map["spec"], "spec", SpecKeys);
        if (spec is null)
        {
            if (IsAbsent(map["spec"]))
            {
                Error(DiagnosticCodes.IntentMissingField, "spec is missing", map, "add spec: with apps: (npgen init writes a starter file)");
            }

            return null;
        }

        var (denyIngress, denyEgress, dns) = BindDefaults(spec["defaults"]);
        var namespaceNodes = BindNamespaces(spec["namespaces"]);
        var networks = BindNetworks(spec["networks"]);
        var (controller, apiServer) = BindPresets(spec["presets"]);
        var appNodes = Map(spec["apps"], "spec.apps", null);
        var intent = new NetworkIntent
        {
            Name = name,
            Source = Source("", root),
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
            if (BindAppHeader(key, value, intent) is { } app)
            {
                apps.Add((app, (MappingNode)value));
            }
        }

        intent = intent with { Apps = [.. apps.Select(a => a.App)] };

        // Namespace-wide rules and everyApp rules name apps and networks, so they are bound once the app headers are known.
        intent = intent with { Namespaces = [.. namespaceNodes.Select(n => BindNamespaceRules(n.Namespace, n.Node, intent))] };
        var everyApp = new List<EveryAppRules>(); // each namespace's own first, then the intent-wide ones
        foreach (var (ns, node) in namespaceNodes)
        {
            if (node?["everyApp"] is { } nsEveryApp
                && BindEveryApp(nsEveryApp, $"/spec/namespaces/{ns.Name}/everyApp", $"namespace \"{ns.Name}\": everyApp", ns.Name, intent) is { } nsRules)
            {
                everyApp.Add(nsRules);
            }
        }

        if (spec["defaults"] is MappingNode defaultsMap && defaultsMap["everyApp"] is { } defaultsEveryApp
            && BindEveryApp(defaultsEveryApp, "/spec/defaults/everyApp", "defaults.everyApp", null, intent) is { } defaultRules)
        {
            everyApp.Add(defaultRules);
        }

        intent = intent with { Apps = [.. apps.Select(a => BindAppEdges(a.App, a.Node, intent))] };
        intent = intent with { Apps = ExpandEveryApp(intent.Apps, everyApp) };
        CheckOverlaps(intent, apps);
        CheckNamespacePolicyNames(intent, apps);
        if (spec["defaults"] is MappingNode defaultsNode && defaultsNode["dns"] is MappingNode dnsNode && dnsNode["peers"] is { } peerNodes)
        {
            intent = intent with { Dns = intent.Dns with { Peers = BindDnsPeers(peerNodes, intent) } };
        }

        intent = intent with { Cluster = ClusterSectionBinder.Bind(spec["cluster"], intent, diagnostics) }; // spec.cluster: Intent/ClusterSectionBinder.cs
        return intent with { Expectations = BindExpectations(spec["expect"], intent) };
    }

    private (bool DenyIngress, bool DenyEgress, DnsSettings Dns) BindDefaults(SourceNode? node)
    {
        var defaultDns = new DnsSettings(true,
            [new NamespacePeer("kube-system", Labels.Of(("k8s-app", "kube-dns")))], null);
        if (Map(node, "spec.defaults", DefaultsKeys) is not { } map)
        {
            return (true, true, defaultDns);
        }

        var denyIngress = true;
        var denyEgress = true;
        if (Map(map["defaultDeny"], "spec.defaults.defaultDeny", DenyKeys) is { } deny)
        {
            denyIngress = Bool(deny["ingress"], "spec.defaults.defaultDeny.ingress") ?? true;
            denyEgress = Bool(deny["egress"], "spec.defaults.defaultDeny.egress") ?? true;
        }

        var dns = defaultDns;
        if (Map(map["dns"], "spec.defaults.dns", DnsKeys) is { } dnsMap)
        {
            // The peers are bound once the apps, networks and presets are known (BindDnsPeers), so a
            // bare app name and {network} are resolved and checked like anywhere else.
            dns = new DnsSettings(Bool(dnsMap["enabled"], "spec.defaults.dns.enabled") ?? true, defaultDns.Peers, Source("/spec/defaults/dns", dnsMap));
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
        var items = Seq(node, "spec.defaults.dns.peers");
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] is MappingNode map && map["podLabels"] is not null && !PeerKinds.Any(k => map[k] is not null))
            {
                Error(DiagnosticCodes.IntentMissingField, $"defaults.dns.peers[{i}]: podLabels alone names no namespace", map,
                    "DNS peers belong to no app, so say where the pods run: {namespace: kube-system, podLabels: {k8s-app: kube-dns}}, or name an app");
                continue;
            }

            if (BindPeer(items[i], $"/spec/defaults/dns/peers/{i}", null, intent, out _) is { } peer)
            {
                result.Add(peer);
            }
        }

        return result.ToImmutable();
    }

    private List<(IntentNamespace Namespace, MappingNode? Node)> BindNamespaces(SourceNode? node)
    {
        var result = new List<(IntentNamespace Namespace, MappingNode? Node)>();
        foreach (var (key, value) in Map(node, "spec.namespaces", null)?.Entries ?? [])
        {
            CheckName(key.Value, key, $"namespace \"{key.Value}\"", subdomain: false);
            var map = value is ScalarNode { IsNull: true } ? null : Map(value, $"spec.namespaces.{key.Value}", NamespaceKeys);
            result.Add((new IntentNamespace(key.Value,
                map is not null && (Bool(map["managed"], $"spec.namespaces.{key.Value}.managed") ?? false),
                map?["labels"] is { } labels ? LabelMap(labels, $"spec.namespaces.{key.Value}.labels") : Labels.Empty,
                Source($"/spec/namespaces/{key.Value}", key)), map));
        }

        return result;
    }

    private ImmutableArray<IntentNetwork> BindNetworks(SourceNode? node)
    {
        var result = ImmutableArray.CreateBuilder<IntentNetwork>();
        foreach (var (key, value) in Map(node, "spec.networks", null)?.Entries ?? [])
        {
            CheckName(key.Value, key, $"network \"{key.Value}\"", subdomain: false);
            result.Add(new IntentNetwork(key.Value, BindBlocks(value, $"spec.networks.{key.Value}"), Source($"/spec/networks/{key.Value}", key)));
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
            if (item is ScalarNode scalar && ParseCidr(scalar, what) is { } cidr)
            {
                result.Add(new CidrBlock(cidr, []));
            }
            else if (item is MappingNode map && Map(map, what, BlockKeys) is not null)
            {
                if (map["cidr"] is not ScalarNode cidrNode)
                {
                    Error(DiagnosticCodes.IntentMissingField, $"{what}: cidr is missing", map, "write {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}");
                    continue;
                }

                if (ParseCidr(cidrNode, what) is not { } outer)
                {
                    continue;
                }

                var except = ImmutableArray.CreateBuilder<Cidr>();
                foreach (var e in map["except"] is { } exceptNode ? Seq(exceptNode, what + ".except") : [])
                {
                    if (ParseCidr(e, what + ".except") is { } inner)
                    {
                        if (!outer.IsStrictSupersetOf(inner))
                        {
                            Error(DiagnosticCodes.IntentExceptOutsideCidr, $"{what}: except {inner} is not inside {outer}", e,
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
                Error(DiagnosticCodes.IntentWrongType, $"{what}: expected a CIDR or {{cidr, except}}, found {Describe(item)}", item,
                    "write a CIDR such as 203.0.113.0/24, or {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}");
            }
        }

        if (result.Count == 0 && items.IsEmpty)
        {
            Error(DiagnosticCodes.IntentMissingField, $"{what}: no CIDR given", node, "list at least one CIDR, e.g. [203.0.113.0/24]");
        }

        return result.ToImmutable();
    }

    private Cidr? ParseCidr(SourceNode node, string what)
    {
        var text = Text(node, what);
        if (text is null)
        {
            return null;
        }

        if (!Cidr.TryParse(text, out var cidr, out var canonical))
        {
            var hint = IPAddress.TryParse(text, out var ip)
                ? $"a single address is written with a prefix: {ip}/{(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)}"
                : "write an IPv4 or IPv6 CIDR such as 203.0.113.0/24 or 2001:db8::/32";
            Error(DiagnosticCodes.IntentBadCidr, $"{what}: \"{text}\" is not a CIDR", node, hint);
            return null;
        }

        if (Cidr.IsIPv4MappedText(text))
        {
            Error(DiagnosticCodes.IntentBadCidr, $"{what}: \"{text}\" is an IPv4-mapped IPv6 CIDR, which CNIs read as IPv4 {cidr.AsGoReadsIPv4()}", node,
                $"write the IPv4 block itself (e.g. {cidr.AsGoReadsIPv4()}); the API server rejects IPv4-mapped addresses under StrictIPCIDRValidation");
            return null;
        }

        if (!canonical)
        {
            Error(DiagnosticCodes.IntentBadCidr, $"{what}: \"{text}\" has bits set beyond its prefix or is not written canonically", node,
                $"write {cidr}, the block it stands for");
            return null;
        }

        return cidr;
    }

    private (IngressControllerPreset Controller, ApiServerPreset? ApiServer) BindPresets(SourceNode? node)
    {
        var controller = new IngressControllerPreset("ingress-nginx", Labels.Of(("app.kubernetes.io/name", "ingress-nginx")), null);
        ApiServerPreset? apiServer = null;
        if (Map(node, "spec.presets", PresetKeys) is not { } map)
        {
            return (controller, apiServer);
        }

        if (Map(map["ingressController"], "spec.presets.ingressController", ControllerKeys) is { } c)
        {
            // Half a preset would keep the other half's ingress-nginx default (its labels in another
            // namespace select nothing): a written preset says both.
            foreach (var missing in ControllerKeys.Where(k => IsAbsent(c[k])))
            {
                Error(DiagnosticCodes.IntentMissingField, $"spec.presets.ingressController: {missing} is missing", c,
                    "give both where the controller runs and its pods' labels, e.g. {namespace: traefik, podLabels: {app.kubernetes.io/name: traefik}} (podLabels: {} is every pod of the namespace)");
            }

            var ns = Text(c["namespace"], "spec.presets.ingressController.namespace") ?? controller.Namespace;
            if (c["namespace"] is { } nsNode && ns != controller.Namespace)
            {
                // It becomes the kubernetes.io/metadata.name label value of the controller's peer.
                CheckName(ns, nsNode, "spec.presets.ingressController.namespace", subdomain: false);
            }
            controller = new IngressControllerPreset(ns,
                c["podLabels"] is { } labels ? LabelMap(labels, "spec.presets.ingressController.podLabels") : controller.PodLabels,
                Source("/spec/presets/ingressController", c));
        }

        if (Map(map["apiServer"], "spec.presets.apiServer", ApiServerKeys) is { } a)
        {
            if (a["networks"] is not { } networks)
            {
                Error(DiagnosticCodes.IntentMissingField, "spec.presets.apiServer: networks is missing", a,
                    "list the API server endpoint addresses, e.g. networks: [10.0.0.1/32] (kubectl get endpoints kubernetes)");
            }
            else
            {
                var ports = a["ports"] is { } p
                    ? [.. Seq(p, "spec.presets.apiServer.ports").Select(x => ParsePortRange(x, "spec.presets.apiServer.ports")).OfType<PortRange>()]
                    : ImmutableArray.Create(new PortRange(Protocol.TCP, 443, 443), new PortRange(Protocol.TCP, 6443, 6443));
                apiServer = new ApiServerPreset(BindBlocks(networks, "spec.presets.apiServer.networks"), ports, Source("/spec/presets/apiServer", a));
            }
        }

        return (controller, apiServer);
    }

    private App? BindAppHeader(ScalarNode key, SourceNode value, NetworkIntent intent)
    {
        var what = $"app \"{key.Value}\"";
        CheckName(key.Value, key, what, subdomain: false);
        if (Map(value, what, AppKeys) is not { } map)
        {
            return null;
        }

        var ns = Text(map["namespace"], $"{what}: namespace");
        if (ns is null)
        {
            if (IsAbsent(map["namespace"]))
            {
                Error(DiagnosticCodes.IntentMissingField, $"{what} has no namespace", map, "add namespace: <name> to the app");
            }

            ns = "default";
        }
        else
        {
            CheckName(ns, map["namespace"]!, $"{what}: namespace", subdomain: false);
        }

        var selector = map["selector"] is { } selectorNode ? LabelMap(selectorNode, $"{what}: selector") : Labels.Empty;
        if (selector.IsEmpty && map["selector"] is not (SequenceNode or ScalarNode { IsNull: false }))
        {
            Error(DiagnosticCodes.IntentMissingField, $"{what} has no selector", (SourceNode?)map["selector"] ?? map,
                "give the pod labels that select the app's pods, e.g. selector: {app: web}");
        }

        var ports = ImmutableArray.CreateBuilder<AppPort>();
        foreach (var (portName, portValue) in Map(map["ports"], $"{what}: ports", null)?.Entries ?? [])
        {
            if (!KubernetesNames.IsIanaSvcName(portName.Value))
            {
                Error(DiagnosticCodes.IntentBadName, $"{what}: port name \"{portName.Value}\" is not a valid port name", portName,
                    "use at most 15 lower-case letters, digits and '-', with at least one letter (e.g. http, metrics, grpc-web)");
            }

            if (ParsePortRange(portValue, $"{what}: port {portName.Value}") is { } range)
            {
                ports.Add(new AppPort(portName.Value, range));
            }
            else
            {
                mistypedPorts.Add((key.Value, portName.Value));
            }
        }

        return new App
        {
            Name = key.Value,
            Namespace = ns,
            Selector = selector,
            Ports = ports.ToImmutable(),
            Dns = Bool(map["dns"], $"{what}: dns") ?? true,
            Source = Source($"/spec/apps/{key.Value}", key),
        };
    }

    private App BindAppEdges(App app, MappingNode map, NetworkIntent intent)
    {
        var what = $"app \"{app.Name}\"";
        var pointer = $"/spec/apps/{app.Name}";
        // Writing the key, even as ingress: [] or with no value, makes ingress an allow-list (isolated),
        // like calls: an empty list that left the app open would be a silent open door.
        var (shapes, ingressNone, ingressDeclared) = BindIngressShapes(map["ingress"], what, pointer, app, intent);
        var ingress = shapes.Select(r => new IngressRule(r.From, BindPortRefs(r.Ports, r.What, app, externalOnly: false), r.Source)).ToImmutableArray();
        var egressNone = BindEgressNone(map["egress"], what, "outbound traffic is declared with calls: [...]; egress: none denies all of it, DNS included");
        var (calls, callsDeclared) = BindCalls(map["calls"], what, pointer, app, intent);
        if (egressNone && calls.Length > 0)
        {
            Error(DiagnosticCodes.IntentContradiction, $"{what} has egress: none but also calls", map["egress"]!,
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

    /// <summary>An ingress rule before its ports are resolved: the port names' meaning depends on whose rule it is.</summary>
    private sealed record RuleShape(ImmutableArray<Peer> From, SourceNode? Ports, string What, IntentSource Source);

    /// <summary>
    /// An <c>ingress:</c> key of an app, a namespace or an <c>everyApp</c>: a list of rules
    /// <c>{from, ports}</c>, or <c>none</c> where <paramref name="noneAllowed"/>.
    /// </summary>
    private (List<RuleShape> Rules, bool None, bool Declared) BindIngressShapes(SourceNode? node, string what, string pointer, App? owner,
        NetworkIntent intent, string? ownNamespace = null, bool noneAllowed = true)
    {
        var rules = new List<RuleShape>();
        if (node is ScalarNode { Value: "none" } && noneAllowed)
        {
            return (rules, true, false);
        }

        if (node is null)
        {
            return (rules, false, false);
        }

        var declared = node is SequenceNode or ScalarNode { IsNull: true };
        var items = Seq(node, $"{what}: ingress", noneAllowed ? "a list of rules {from: [...], ports: [...]}, or none" : "a list of rules {from: [...], ports: [...]}");
        for (var i = 0; i < items.Length; i++)
        {
            var rulePointer = $"{pointer}/ingress/{i}";
            if (Map(items[i], $"{what}: ingress[{i}]", IngressRuleKeys) is not { } rule)
            {
                continue;
            }

            if (rule["from"] is not { } fromNode)
            {
                Error(DiagnosticCodes.IntentMissingField, $"{what}: ingress[{i}] has no from", rule,
                    "say who may connect: from: [{app: web}], [{namespace: monitoring}], [{network: office}] or [{anywhere: true}]");
                continue;
            }

            var peers = Seq(fromNode, $"{what}: ingress[{i}].from")
                .Select((p, j) => BindPeer(p, $"{rulePointer}/from/{j}", owner, intent, out _, ownNamespace)).OfType<Peer>().ToImmutableArray();
            rules.Add(new RuleShape(peers, rule["ports"], $"{what}: ingress[{i}].ports", Source(rulePointer, rule)));
        }

        return (rules, false, declared);
    }

    /// <summary>A <c>calls:</c> key of an app, a namespace or an <c>everyApp</c>; <c>calls: []</c> isolates egress (DNS only).</summary>
    private (ImmutableArray<Call> Calls, bool Declared) BindCalls(SourceNode? node, string what, string pointer, App? owner, NetworkIntent intent,
        string? ownNamespace = null, (string Code, string Hint)? unresolvable = null)
    {
        var calls = ImmutableArray.CreateBuilder<Call>();
        var callNodes = node is not null ? Seq(node, $"{what}: calls") : [];
        var declared = node is SequenceNode or ScalarNode { IsNull: true };
        for (var i = 0; i < callNodes.Length; i++)
        {
            var callPointer = $"{pointer}/calls/{i}";
            if (BindPeer(callNodes[i], callPointer, owner, intent, out var portsNode, ownNamespace) is not { } target)
            {
                continue;
            }

            var server = target is AppPeer appPeer ? intent.FindApp(appPeer.App) : null;
            var ports = BindPortRefs(portsNode, $"{what}: calls[{i}].ports", server, externalOnly: server is null, server is null ? unresolvable : null);
            if (portsNode is null && server is not null)
            {
                ports = [.. server.Ports.Select(p => p.Range)]; // a call to an app reaches its declared ports
            }
            else if (portsNode is null && target is ApiServerPeer && intent.ApiServer is { } api)
            {
                ports = api.Ports;
            }

            calls.Add(new Call(target, ports, Source(callPointer, callNodes[i])));
        }

        return (calls.ToImmutable(), declared);
    }

    private bool BindEgressNone(SourceNode? node, string what, string hint)
    {
        if (node is null)
        {
            return false;
        }

        if (node is ScalarNode { Value: "none" })
        {
            return true;
        }

        Error(DiagnosticCodes.IntentWrongType, $"{what}: egress must be none", node, hint);
        return false;
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
        var (shapes, ingressNone, ingressDeclared) = BindIngressShapes(map["ingress"], what, pointer, null, intent, ns.Name);
        var ingress = shapes.Select(r => new IngressRule(r.From, BindPortRefs(r.Ports, r.What, null, externalOnly: true, portName), r.Source)).ToImmutableArray();
        var egressNone = BindEgressNone(map["egress"], what,
            "the namespace's outbound traffic is declared with calls: [...]; egress: none lets no pod of the namespace connect anywhere, DNS included");
        var (calls, callsDeclared) = BindCalls(map["calls"], what, pointer, null, intent, ns.Name, portName);
        if (egressNone && calls.Length > 0)
        {
            Error(DiagnosticCodes.NamespaceRuleContradiction, $"{what} has egress: none but also calls", map["egress"]!,
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
            Dns = Bool(map["dns"], $"{what}: dns") ?? true,
        };
    }

    /// <summary>
    /// Stands for "the namespace of the app the rule is copied into" in a <c>{podLabels}</c> peer of
    /// <c>defaults.everyApp</c> (not a valid namespace name, so it cannot clash with one).
    /// </summary>
    private const string EachAppsNamespace = "";

    /// <summary>A port of an everyApp ingress rule: a number, or a name resolved against each app's ports.</summary>
    private sealed record PortRef(PortRange? Range, ScalarNode? Name);

    private sealed record EveryAppIngress(ImmutableArray<Peer> From, ImmutableArray<PortRef>? Ports, string PortsWhat, IntentSource Source);

    /// <summary><c>everyApp</c> of one namespace (<see cref="Namespace"/>) or of the whole intent (null).</summary>
    private sealed record EveryAppRules(string What, string? Namespace,
        ImmutableArray<EveryAppIngress> Ingress, bool IngressDeclared, SourceNode? IngressNode,
        ImmutableArray<Call> Calls, bool CallsDeclared, SourceNode? CallsNode);

    private EveryAppRules? BindEveryApp(SourceNode node, string pointer, string what, string? ns, NetworkIntent intent)
    {
        if (Map(node, what, EveryAppKeys) is not { } map)
        {
            return null;
        }

        var own = ns ?? EachAppsNamespace;
        var (shapes, _, ingressDeclared) = BindIngressShapes(map["ingress"], what, pointer, null, intent, own, noneAllowed: false);
        var ingress = ImmutableArray.CreateBuilder<EveryAppIngress>();
        foreach (var shape in shapes)
        {
            ImmutableArray<PortRef>? ports = null;
            if (shape.Ports is { } portsNode)
            {
                ports = [.. Seq(portsNode, shape.What)
                    .Select(item => IsPortName(item) ? new PortRef(null, (ScalarNode)item) : new PortRef(ParsePortRange(item, shape.What), null))
                    .Where(p => p.Range is not null || p.Name is not null)];
            }

            ingress.Add(new EveryAppIngress(shape.From, ports, shape.What, shape.Source));
        }

        var (calls, callsDeclared) = BindCalls(map["calls"], what, pointer, null, intent, own);
        return new EveryAppRules(what, ns, ingress.ToImmutable(), ingressDeclared, map["ingress"], calls, callsDeclared, map["calls"]);
    }

    /// <summary>
    /// Appends the everyApp rules to each app they cover, as if written in the app: its ports resolve
    /// a rule's port names, and the rules isolate it. A name an app lacks is an error naming those apps.
    /// </summary>
    private ImmutableArray<App> ExpandEveryApp(ImmutableArray<App> apps, List<EveryAppRules> everyApp)
    {
        if (everyApp.Count == 0)
        {
            return apps;
        }

        var lacking = new Dictionary<ScalarNode, (string What, List<string> Apps)>(ReferenceEqualityComparer.Instance);
        var result = ImmutableArray.CreateBuilder<App>(apps.Length);
        foreach (var original in apps)
        {
            var app = original;
            foreach (var rules in everyApp.Where(r => r.Namespace is null || r.Namespace == app.Namespace))
            {
                if (!rules.Ingress.IsEmpty && app.IngressNone)
                {
                    Contradiction(rules.IngressNode!, $"{rules.What}: ingress rules for every app, but app \"{app.Name}\" has ingress: none",
                        $"remove ingress: none from {app.Name} (it then accepts only these rules and its edges), or move the rule from {rules.What} to the apps that need it");
                }
                else if (rules.IngressDeclared || !rules.Ingress.IsEmpty)
                {
                    var added = rules.Ingress.Select(r => new IngressRule(
                        [.. r.From.Select(p => InApp(p, app))],
                        r.Ports is { } ports ? Resolve(ports, app, r.PortsWhat) : [],
                        r.Source));
                    app = app with { Ingress = app.Ingress.AddRange(added), IngressDeclared = true };
                }

                if (!rules.Calls.IsEmpty && app.EgressNone)
                {
                    Contradiction(rules.CallsNode!, $"{rules.What}: calls for every app, but app \"{app.Name}\" has egress: none",
                        $"remove egress: none from {app.Name}, or move the call from {rules.What} to the apps that need it");
                }
                else if (rules.CallsDeclared || !rules.Calls.IsEmpty)
                {
                    app = app with { Calls = app.Calls.AddRange(rules.Calls.Select(c => c with { To = InApp(c.To, app) })), CallsDeclared = true };
                }
            }

            result.Add(app);
        }

        foreach (var (node, (what, names)) in lacking)
        {
            Error(DiagnosticCodes.EveryAppPortUndeclared,
                $"{what}: {(names.Count == 1 ? "app" : "apps")} {string.Join(", ", names.Select(n => $"\"{n}\""))} {(names.Count == 1 ? "declares" : "declare")} no port named \"{node.Value}\"", node,
                $"declare it under the ports of {string.Join(", ", names)} (e.g. ports: {{{node.Value}: 9090/TCP}}), or write the number (e.g. 9090/TCP)");
        }

        return result.MoveToImmutable();

        ImmutableArray<PortRange> Resolve(ImmutableArray<PortRef> ports, App app, string what)
        {
            var resolved = ImmutableArray.CreateBuilder<PortRange>();
            foreach (var port in ports)
            {
                if (port.Range is { } range)
                {
                    resolved.Add(range);
                }
                else if (app.FindPort(port.Name!.Value) is { } declared)
                {
                    resolved.Add(declared.Range);
                }
                else if (!mistypedPorts.Contains((app.Name, port.Name.Value)))
                {
                    if (!lacking.TryGetValue(port.Name, out var entry))
                    {
                        lacking[port.Name] = entry = (what, []);
                    }

                    entry.Apps.Add(app.Name);
                }
            }

            return resolved.ToImmutable();
        }

        void Contradiction(SourceNode node, string message, string hint)
            => Error(DiagnosticCodes.EveryAppContradiction, message, node, hint);
    }

    /// <summary>A <c>{podLabels}</c> peer of <c>defaults.everyApp</c>, placed in the namespace of the app it is copied into.</summary>
    private static Peer InApp(Peer peer, App app)
        => peer is NamespacePeer { Namespace: EachAppsNamespace } n ? n with { Namespace = app.Namespace } : peer;

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
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NamespacePolicyNameTaken,
                    $"app \"namespace\" in namespace {ns.Name}: its policies would be named namespace-ingress / namespace-egress, the names of the namespace-wide policies of {ns.Name}",
                    app.Source.Location, "rename the app (e.g. namespace-app); the namespace-wide rules are written as namespace-ingress and namespace-egress"));
            }
        }
    }

    /// <summary>
    /// A peer: <c>{app}</c>, <c>{namespace[, podLabels]}</c>, <c>{namespaceLabels[, podLabels]}</c>,
    /// <c>{podLabels}</c> (same namespace), <c>{network}</c>, <c>{preset}</c>, <c>{anywhere: true}</c>.
    /// Calls may carry <c>ports</c> too; it is handed back in <paramref name="ports"/>.
    /// </summary>
    private Peer? BindPeer(SourceNode node, string pointer, App? owner, NetworkIntent? intent, out SourceNode? ports, string? ownNamespace = null)
    {
        ownNamespace = owner?.Namespace ?? ownNamespace;
        ports = null;
        var what = PointerText(pointer);
        if (node is ScalarNode { IsNull: false } shorthand && intent is not null)
        {
            if (intent.FindApp(shorthand.Value) is not null)
            {
                return new AppPeer(shorthand.Value); // "- web" (or "- 'web'") is short for "- app: web"
            }

            if (KubernetesNames.IsDns1123Label(shorthand.Value))
            {
                Error(DiagnosticCodes.IntentUnknownReference, $"{what}: no app is named \"{shorthand.Value}\"", node,
                    Suggest(shorthand.Value, intent.Apps.Select(a => a.Name), "apps") ?? AppsHint(intent));
                return null;
            }
        }

        if (node is not MappingNode map)
        {
            Error(DiagnosticCodes.IntentWrongType, $"{what}: expected a peer such as {{app: web}}, found {Describe(node)}", node,
                "write {app: NAME} (or just the app's name), {namespace: NAME}, {network: NAME} or {anywhere: true}");
            return null;
        }

        foreach (var (key, _) in map.Entries)
        {
            if (Unenforceable.TryGetValue(key.Value, out var why))
            {
                Error(DiagnosticCodes.IntentUnenforceable, $"{what}: \"{key.Value}\" cannot be enforced by NetworkPolicy v1", key, why);
                return null;
            }
        }

        CheckKeys(map, what, [.. PeerKeys, .. ownNamespace is not null && pointer.Contains("/calls/", StringComparison.Ordinal) ? CallExtraKeys : Array.Empty<string>()]);
        ports = map["ports"];
        var kinds = PeerKinds.Where(k => map[k] is not null).ToList();
        var podLabels = map["podLabels"] is { } pl ? LabelMap(pl, what + ".podLabels") : null;
        if (kinds.Count > 1)
        {
            Error(DiagnosticCodes.IntentWrongType, $"{what}: a peer is one of app, namespace, namespaceLabels, network, preset or anywhere; found {string.Join(" and ", kinds)}", map,
                "split it into two peers in the list (they are ORed)");
            return null;
        }

        switch (kinds.SingleOrDefault())
        {
            case "app":
                var appName = Text(map["app"], what + ".app");
                if (appName is null)
                {
                    return null;
                }

                if (intent is not null && intent.FindApp(appName) is null)
                {
                    Error(DiagnosticCodes.IntentUnknownReference, $"{what}: no app is named \"{appName}\"", map["app"]!,
                        Suggest(appName, intent.Apps.Select(a => a.Name), "apps") ?? AppsHint(intent));
                    return null;
                }

                if (podLabels is not null)
                {
                    Error(DiagnosticCodes.IntentWrongType, $"{what}: podLabels cannot narrow an app", map["podLabels"]!, "declare the narrower pods as their own app");
                }

                return new AppPeer(appName);
            case "namespace":
                var ns = Text(map["namespace"], what + ".namespace");
                if (ns is not null)
                {
                    CheckName(ns, map["namespace"]!, what + ".namespace", subdomain: false);
                }

                return ns is null ? null : new NamespacePeer(ns, podLabels);
            case "namespaceLabels":
                // {} selects every namespace: all pods of the cluster, but no outside address (unlike anywhere).
                return new NamespaceLabelsPeer(LabelMap(map["namespaceLabels"]!, what + ".namespaceLabels"), podLabels);
            case "network":
                var network = Text(map["network"], what + ".network");
                if (network is not null && intent is not null && intent.FindNetwork(network) is null)
                {
                    Error(DiagnosticCodes.IntentUnknownReference, $"{what}: no network is named \"{network}\"", map["network"]!,
                        Suggest(network, intent.Networks.Select(n => n.Name), "networks") ?? "declare it under spec.networks, e.g. office: [10.20.0.0/16]");
                    return null;
                }

                return network is null ? null : new NetworkPeer(network);
            case "preset":
                var preset = Text(map["preset"], what + ".preset");
                switch (preset)
                {
                    case "ingressController":
                        return new IngressControllerPeer();
                    case "apiServer" when intent is null || intent.ApiServer is not null:
                        return new ApiServerPeer();
                    case "apiServer":
                        Error(DiagnosticCodes.IntentUnknownReference, $"{what}: the apiServer preset needs the API server addresses", map["preset"]!,
                            "add spec.presets.apiServer.networks, e.g. [10.0.0.1/32] (kubectl get endpoints kubernetes)");
                        return null;
                    default:
                        Error(DiagnosticCodes.IntentUnknownReference, $"{what}: unknown preset \"{preset}\"", map["preset"]!,
                            "the presets are ingressController and apiServer");
                        return null;
                }

            case "anywhere":
                if (Bool(map["anywhere"], what + ".anywhere") != true)
                {
                    Error(DiagnosticCodes.IntentWrongType, $"{what}: anywhere must be true", map["anywhere"]!,
                        "write {anywhere: true} for every pod and address, or leave the peer out");
                    return null;
                }

                return new AnywherePeer();
            default:
                if (podLabels is not null && ownNamespace is not null)
                {
                    return new NamespacePeer(ownNamespace, podLabels); // pods of the app's (or the namespace's) own namespace
                }

                Error(DiagnosticCodes.IntentMissingField, $"{what}: the peer names nothing", map,
                    "write {app: NAME}, {namespace: NAME}, {namespaceLabels: {...}}, {network: NAME}, {preset: ingressController} or {anywhere: true}");
                return null;
        }
    }

    /// <summary>Ports of an edge: names of the destination app's ports, <c>N/PROTO</c> or <c>A-B/PROTO</c>.</summary>
    private ImmutableArray<PortRange> BindPortRefs(SourceNode? node, string what, App? destination, bool externalOnly, (string Code, string Hint)? unresolvable = null)
    {
        if (node is null)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<PortRange>();
        foreach (var item in Seq(node, what))
        {
            if (IsPortName(item))
            {
                var name = ((ScalarNode)item).Value;
                if (destination?.FindPort(name) is { } port)
                {
                    result.Add(port.Range);
                }
                else if (destination is not null && mistypedPorts.Contains((destination.Name, name)))
                {
                    continue; // declared with a bad value, reported there
                }
                else if (destination is null && unresolvable is { } namespaceWide)
                {
                    Error(namespaceWide.Code, $"{what}: the port name \"{name}\" has nothing to resolve on", item, namespaceWide.Hint);
                }
                else if (destination is null)
                {
                    Error(DiagnosticCodes.IntentBadPort, $"{what}: the port name \"{name}\" has nothing to resolve on", item,
                        externalOnly ? "only an app declares port names; for networks, namespaces and presets write the number, e.g. 443/TCP" : "declare it under the app's ports");
                }
                else
                {
                    Error(DiagnosticCodes.IntentBadPort, $"{what}: app \"{destination.Name}\" declares no port named \"{name}\"", item,
                        destination.Ports.IsEmpty ? $"declare it under app {destination.Name}: ports: {{{name}: 8080/TCP}}"
                            : $"declared ports: {string.Join(", ", destination.Ports.Select(p => $"{p.Name} ({p.Range})"))}");
                }
            }
            else if (ParsePortRange(item, what) is { } range)
            {
                result.Add(range);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>A port written as a name (<c>http</c>), not a number: resolved against an app's ports.</summary>
    private static bool IsPortName(SourceNode item)
        => (item is ScalarNode { Quoted: false } s && s.Value.Length > 0 && !char.IsAsciiDigit(s.Value[0])) || (item is ScalarNode { Quoted: true } q && !char.IsAsciiDigit(q.Value.FirstOrDefault()));

    private PortRange? ParsePortRange(SourceNode node, string what)
    {
        var text = Text(node, what);
        if (text is null)
        {
            return null;
        }

        var parts = text.Split('/');
        var protocol = Protocol.TCP;
        var bounds = parts[0].Split('-');
        if (parts.Length > 2 || (parts.Length == 2 && !ProtocolNames.TryParse(parts[1].ToUpperInvariant(), out protocol))
            || bounds.Length > 2
            || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low)
            || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var high)
            || low is < 1 or > 65535 || high is < 1 or > 65535 || high < low)
        {
            Error(DiagnosticCodes.IntentBadPort, $"{what}: \"{text}\" is not a port", node,
                "write N/PROTO or A-B/PROTO with ports 1-65535 and PROTO TCP, UDP or SCTP, e.g. 8080/TCP, 53/UDP, 7000-7100/TCP");
            return null;
        }

        return new PortRange(protocol, low, high);
    }

    private ImmutableArray<Expectation> BindExpectations(SourceNode? node, NetworkIntent intent)
    {
        var result = ImmutableArray.CreateBuilder<Expectation>();
        var items = node is null ? [] : Seq(node, "spec.expect");
        for (var i = 0; i < items.Length; i++)
        {
            var what = $"expect[{i}]";
            if (Map(items[i], what, ExpectKeys) is not { } map)
            {
                continue;
            }

            var from = BindEnd(map["from"], $"/spec/expect/{i}/from", what + ".from", map, intent);
            var to = BindEnd(map["to"], $"/spec/expect/{i}/to", what + ".to", map, intent);
            var allowed = Bool(map["allowed"], what + ".allowed");
            if (allowed is null)
            {
                Error(DiagnosticCodes.IntentMissingField, $"{what} has no allowed", map, "add allowed: true or allowed: false");
            }

            if (map["port"] is not { } portNode)
            {
                Error(DiagnosticCodes.IntentMissingField, $"{what} has no port", map, "add port: NAME (a port of the destination app) or port: N/PROTO");
                continue;
            }

            var destination = to?.Peer is AppPeer appPeer ? intent.FindApp(appPeer.App) : null;
            var ports = BindPortRefs(new SequenceNode([portNode], portNode.Location), what + ".port", destination, externalOnly: destination is null);
            if (from is null || to is null || allowed is null || ports.IsEmpty)
            {
                continue;
            }

            result.Add(new Expectation(from, to, new PortRange(ports[0].Protocol, ports[0].Low, ports[0].Low), allowed.Value, Source($"/spec/expect/{i}", map)));
        }

        return result.ToImmutable();
    }

    private ExpectationEnd? BindEnd(SourceNode? node, string pointer, string what, SourceNode parent, NetworkIntent intent)
    {
        if (node is null)
        {
            Error(DiagnosticCodes.IntentMissingField, $"{what} is missing", parent, "name an app, an IP address or a peer such as {namespace: monitoring}");
            return null;
        }

        if (node is ScalarNode s)
        {
            if (intent.FindApp(s.Value) is not null)
            {
                return new ExpectationEnd(new AppPeer(s.Value), null, s.Value);
            }

            if (IPAddress.TryParse(s.Value, out var address) && (s.Value.Contains('.', StringComparison.Ordinal) || s.Value.Contains(':', StringComparison.Ordinal)))
            {
                return new ExpectationEnd(new AnywherePeer(), address, s.Value);
            }

            Error(DiagnosticCodes.IntentUnknownReference, $"{what}: \"{s.Value}\" is neither an app nor an IP address", node,
                Suggest(s.Value, intent.Apps.Select(a => a.Name), "apps") ?? AppsHint(intent));
            return null;
        }

        var peer = BindPeer(node, pointer, null, intent, out _);
        return peer is null ? null : new ExpectationEnd(peer, null, Display(peer));
    }

    private static string AppsHint(NetworkIntent intent)
        => intent.Apps.IsEmpty ? "declare the app under spec.apps" : $"the apps are: {string.Join(", ", intent.Apps.Select(a => a.Name))}";

    internal static string Display(Peer peer) => peer switch
    {
        AppPeer a => a.App,
        NamespacePeer n => n.PodLabels is null ? $"{n.Namespace}/*" : $"{n.Namespace}/{{{Labels.Format(n.PodLabels)}}}",
        NamespaceLabelsPeer l => $"{(l.Labels.IsEmpty ? "*" : $"{{{Labels.Format(l.Labels)}}}")}/{(l.PodLabels is null ? "*" : $"{{{Labels.Format(l.PodLabels)}}}")}",
        NetworkPeer n => $"network {n.Network}",
        IngressControllerPeer => "the ingress controller",
        ApiServerPeer => "the API server",
        _ => "anywhere",
    };

    /// <summary>
    /// Two apps in one namespace must not be able to select the same pod: they need a key with
    /// different values. Apps that carry the namespace's most common key with different values can
    /// never overlap, so only apps sharing that value, or lacking the key, are compared pairwise:
    /// linear for the usual {app: NAME} selectors instead of quadratic.
    /// </summary>
    private void CheckOverlaps(NetworkIntent intent, List<(App App, MappingNode Node)> apps)
    {
        var positions = apps.Select((a, i) => (a.App, i)).ToList();
        var pairs = new List<(int I, int J)>();
        foreach (var group in positions.Where(x => !x.App.Selector.IsEmpty).GroupBy(x => x.App.Namespace, StringComparer.Ordinal))
        {
            var members = group.ToList();
            var key = members.SelectMany(m => m.App.Selector.Keys).GroupBy(k => k, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
            var without = members.Where(m => !m.App.Selector.ContainsKey(key)).ToList();
            foreach (var bucket in members.Where(m => m.App.Selector.ContainsKey(key)).GroupBy(m => m.App.Selector[key], StringComparer.Ordinal))
            {
                var list = bucket.ToList();
                for (var x = 0; x < list.Count; x++)
                {
                    for (var y = x + 1; y < list.Count; y++)
                    {
                        pairs.Add((list[x].i, list[y].i));
                    }
                }
            }

            foreach (var lacking in without)
            {
                pairs.AddRange(members.Where(m => m.i != lacking.i && (m.App.Selector.ContainsKey(key) || m.i > lacking.i))
                    .Select(m => (Math.Min(m.i, lacking.i), Math.Max(m.i, lacking.i))));
            }
        }

        foreach (var (i, j) in pairs.Distinct().Order())
        {
            var (a, b) = (apps[i].App, apps[j].App);
            if (!a.Selector.Any(l => b.Selector.TryGetValue(l.Key, out var v) && v != l.Value))
            {
                Error(DiagnosticCodes.IntentOverlappingApps,
                    $"apps \"{a.Name}\" and \"{b.Name}\" in namespace {a.Namespace} can select the same pods ({{{Labels.Format(a.Selector)}}} and {{{Labels.Format(b.Selector)}}})",
                    (SourceNode?)apps[j].Node["selector"] ?? apps[j].Node,
                    "give both selectors a common key with different values, e.g. tier: web and tier: api");
            }
        }
    }

    /// <summary>Not written, or written empty: a mistyped value is reported as such, not also as missing.</summary>
    private static bool IsAbsent(SourceNode? node) => node is null or ScalarNode { IsNull: true };

    private MappingNode? Map(SourceNode? node, string what, string[]? allowedKeys)
    {
        switch (node)
        {
            case null:
            case ScalarNode { IsNull: true }:
                return null;
            case MappingNode map:
                if (allowedKeys is not null)
                {
                    CheckKeys(map, what, allowedKeys);
                }

                return map;
            default:
                Error(DiagnosticCodes.IntentWrongType, $"{what}: expected a mapping (key: value), found {Describe(node)}", node,
                    "write key: value pairs here, one per line indented below, or as {key: value}");
                return null;
        }
    }

    private void CheckKeys(MappingNode map, string what, string[] allowed)
    {
        foreach (var (key, _) in map.Entries)
        {
            if (!allowed.Contains(key.Value) && Unenforceable.TryGetValue(key.Value, out var why))
            {
                Error(DiagnosticCodes.IntentUnenforceable, $"{what}: \"{key.Value}\" cannot be enforced by NetworkPolicy v1", key, why);
            }
            else if (!allowed.Contains(key.Value))
            {
                Error(DiagnosticCodes.IntentUnknownKey, $"{what}: unknown key \"{key.Value}\"", key,
                    Suggest(key.Value, allowed, "keys") ?? $"the keys here are: {string.Join(", ", allowed.Where(k => !Unenforceable.ContainsKey(k)))}");
            }
        }
    }

    private ImmutableArray<SourceNode> Seq(SourceNode node, string what, string? expected = null)
    {
        switch (node)
        {
            case SequenceNode seq:
                return seq.Items;
            case ScalarNode { IsNull: true }:
                return [];
            default:
                Error(DiagnosticCodes.IntentWrongType, $"{what}: expected {expected ?? "a list"}, found {Describe(node)}", node,
                    "write a YAML list: one '- item' per line, or [a, b]");
                return [];
        }
    }

    private string? Text(SourceNode? node, string what)
    {
        switch (node)
        {
            case null:
            case ScalarNode { IsNull: true }:
                return null;
            case ScalarNode s:
                return s.Value;
            default:
                Error(DiagnosticCodes.IntentWrongType, $"{what}: expected a value, found {Describe(node)}", node,
                    "write a single value here, not a list or mapping");
                return null;
        }
    }

    private bool? Bool(SourceNode? node, string what)
    {
        var text = Text(node, what);
        switch (text)
        {
            case null:
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                Error(DiagnosticCodes.IntentWrongType, $"{what}: expected true or false, found \"{text}\"", node!, "write true or false");
                return null;
        }
    }

    private ImmutableSortedDictionary<string, string> LabelMap(SourceNode node, string what)
    {
        var map = Map(node, what, null);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map?.Entries ?? [])
        {
            var text = Text(value, $"{what}.{key.Value}") ?? "";
            foreach (var problem in KubernetesNames.QualifiedNameErrors(key.Value))
            {
                Error(DiagnosticCodes.IntentBadName, $"{what}: label key \"{key.Value}\": {problem}", key,
                    "a label key is a name of at most 63 letters, digits, '-', '_' or '.' starting and ending with a letter or digit, optionally after a DNS subdomain and '/' (e.g. app.kubernetes.io/name)");
            }

            foreach (var problem in KubernetesNames.LabelValueErrors(text))
            {
                Error(DiagnosticCodes.IntentBadName, $"{what}: label value \"{text}\": {problem}", value,
                    "a label value is empty or at most 63 letters, digits, '-', '_' or '.' starting and ending with a letter or digit");
            }

            builder[key.Value] = text;
        }

        return builder.ToImmutable();
    }

    private void CheckName(string name, SourceNode node, string what, bool subdomain)
    {
        var problems = subdomain ? KubernetesNames.Dns1123SubdomainErrors(name) : KubernetesNames.Dns1123LabelErrors(name);
        foreach (var problem in problems)
        {
            Error(DiagnosticCodes.IntentBadName, $"{what}: \"{name}\" is not a valid name: {problem}", node,
                "use lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
    }

    private static string Describe(SourceNode node) => node switch
    {
        MappingNode => "a mapping",
        SequenceNode => "a list",
        ScalarNode s => $"\"{s.Value}\"",
        _ => "something else",
    };

    private static string PointerText(string pointer)
    {
        var parts = pointer.TrimStart('/').Split('/');
        return parts.Length >= 3 && parts[0] == "spec" && parts[1] == "apps"
            ? $"app \"{parts[2]}\": {string.Join('.', parts.Skip(3).Select((p, i) => int.TryParse(p, CultureInfo.InvariantCulture, out _) ? $"[{p}]" : p)).Replace(".[", "[", StringComparison.Ordinal)}"
            : string.Join('.', parts.Skip(1).Select(p => int.TryParse(p, CultureInfo.InvariantCulture, out _) ? $"[{p}]" : p)).Replace(".[", "[", StringComparison.Ordinal);
    }

    /// <summary>"did you mean" by edit distance, for typos in keys and names.</summary>
    internal static string? Suggest(string typed, IEnumerable<string> known, string kind)
    {
        var best = known.Select(k => (Name: k, Distance: EditDistance.Between(typed, k))).OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal).FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, typed.Length / 3) ? $"did you mean \"{best.Name}\"?" : null;
    }
}
