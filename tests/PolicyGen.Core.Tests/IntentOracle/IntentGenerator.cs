namespace PolicyGen.Core.Tests.IntentOracle;

/// <summary>
/// A seeded generator of valid intents over the whole grammar of docs/intent.md: managed and
/// unmanaged namespaces with labels, every peer kind and its short forms, port names, numbers,
/// ranges, UDP and SCTP, networks in every form with except, both presets (default and custom),
/// <c>ingress: none</c>, <c>ingress: []</c>, <c>egress: none</c>, <c>calls: []</c>, <c>dns: false</c>
/// and the defaults, namespace-wide rules and <c>everyApp</c> (<see cref="NamespaceRulesGenerator"/>).
/// It avoids only what the doc calls a mistake (NPG311 and NPG316-NPG318 contradictions, port names
/// on peers without ports).
/// </summary>
internal sealed class IntentGenerator(int seed)
{
    private static readonly string[] NamespacePool = ["shop", "pay", "ops", "data"];
    private static readonly string[] AppPool = ["web", "api", "db", "cache", "batch", "coredns"];
    private static readonly string[] PortNames = ["http", "metrics", "grpc", "dns", "stream", "workers"];
    private static readonly string[] Protocols = ["TCP", "TCP", "TCP", "UDP", "SCTP"];
    private static readonly int[] PortNumbers = [53, 80, 443, 5432, 6443, 8080, 9090];

    private static readonly (string Key, string Value)[] NamespaceLabelPool = [("team", "red"), ("team", "blue"), ("env", "prod"), ("env", "dev")];

    private static readonly GenBlock[] BlockPool =
    [
        new("10.20.0.0/16", []),
        new("203.0.113.0/28", []),
        new("0.0.0.0/0", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]),
        new("0.0.0.0/0", []),
        new("192.168.1.0/24", ["192.168.1.128/25"]),
        new("10.0.0.0/8", ["10.20.0.0/16", "10.0.0.0/24"]),
        new("2001:db8::/32", ["2001:db8:1::/48"]),
        new("198.51.100.0/25", []),
        new("172.16.0.0/12", []),
        new("10.244.1.7/32", []),
    ];

    private static readonly string[] Tiers = ["front", "back"];

    private readonly Random random = new(seed);

    internal int Next(int max) => random.Next(max);

    internal bool Chance(double p) => random.NextDouble() < p;

    internal T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public GenIntent Generate()
    {
        var namespaceCount = 1 + random.Next(3);
        var appNamespaces = NamespacePool.Take(namespaceCount).ToList();
        var namespaces = new List<GenNamespace>();
        foreach (var ns in appNamespaces.Where(_ => Chance(0.8)))
        {
            namespaces.Add(new GenNamespace(ns, Chance(0.5), Labels(NamespaceLabelPool, random.Next(3))));
        }

        if (Chance(0.2))
        {
            namespaces.Add(new GenNamespace("kube-system", false, new Dictionary<string, string> { ["team"] = "blue" }));
        }

        var networks = new List<GenNetwork>();
        var networkCount = random.Next(4);
        for (var i = 0; i < networkCount; i++)
        {
            var form = (NetworkForm)random.Next(4);
            var blocks = form switch
            {
                NetworkForm.Scalar => [Pick(BlockPool.Where(b => b.Except.Count == 0).ToList())],
                NetworkForm.List => BlockPool.Where(b => b.Except.Count == 0).OrderBy(_ => random.Next()).Take(1 + random.Next(2)).ToList(),
                NetworkForm.Block => [Pick(BlockPool)],
                _ => BlockPool.OrderBy(_ => random.Next()).Take(2).ToList(),
            };
            networks.Add(new GenNetwork($"net{i}", blocks, form));
        }

        var controller = Chance(0.3)
            ? Pick(new[]
            {
                new GenController("traefik", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "traefik" }),
                new GenController("edge", new Dictionary<string, string>()),
                new GenController(appNamespaces[0], new Dictionary<string, string> { ["role"] = "gateway" }),
            })
            : null;
        var apiServer = Chance(0.4)
            ? new GenApiServer(Chance(0.5) ? [new GenBlock("10.0.0.1/32", [])] : [new GenBlock("172.20.0.10/32", []), new GenBlock("172.20.0.11/32", [])],
                Chance(0.5) ? null : [new GenPort("TCP", 443, 443)])
            : null;

        // Apps: headers first (names, namespaces, selectors, ports), then their edges, which refer to each other.
        var appCount = 1 + random.Next(5);
        var names = AppPool.OrderBy(_ => random.Next()).Take(appCount).ToList();
        var headers = names.Select(name =>
        {
            var selector = new Dictionary<string, string> { ["app"] = name };
            if (Chance(0.4))
            {
                selector["tier"] = Pick(Tiers);
            }

            var ports = PortNames.OrderBy(_ => random.Next()).Take(random.Next(4)).Select(p => new GenAppPort(p, RandomPort())).ToList();
            return (Name: name, Namespace: Pick(appNamespaces), Selector: selector, Ports: ports);
        }).ToList();

        // What each app closes, decided first so that the edges can avoid the contradictions (NPG311).
        var ingressForms = headers.ToDictionary(h => h.Name, _ => Pick(new[] { ListForm.Absent, ListForm.Absent, ListForm.Items, ListForm.Items, ListForm.Empty, ListForm.NullValue, ListForm.None }));
        var egressNone = headers.ToDictionary(h => h.Name, _ => Chance(0.12));

        var context = new PeerContext(headers.Select(h => (h.Name, h.Namespace, (IReadOnlyList<GenAppPort>)h.Ports)).ToList(), networks, apiServer is not null, appNamespaces);
        var apps = new List<GenApp>();
        foreach (var h in headers)
        {
            var rules = new List<GenRule>();
            if (ingressForms[h.Name] == ListForm.Items)
            {
                for (var r = 0; r <= random.Next(3); r++)
                {
                    var from = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => RandomPeer(context, h.Name))
                        .Where(p => p is not GenAppPeer a || !egressNone[a.App]).ToList();
                    if (from.Count == 0)
                    {
                        from.Add(new GenAnywherePeer());
                    }

                    rules.Add(new GenRule(from, Chance(0.4) ? null : RandomPortRefs(h.Ports)));
                }
            }

            var callsForm = egressNone[h.Name] ? ListForm.Absent : Pick(new[] { ListForm.Absent, ListForm.Items, ListForm.Items, ListForm.Empty, ListForm.NullValue });
            var calls = new List<GenCall>();
            if (callsForm == ListForm.Items)
            {
                for (var c = 0; c <= random.Next(4); c++)
                {
                    var to = RandomPeer(context, h.Name);
                    if (to is GenAppPeer a && ingressForms[a.App] == ListForm.None)
                    {
                        continue;
                    }

                    IReadOnlyList<GenPortRef>? ports = null;
                    if (Chance(0.5))
                    {
                        var server = to is GenAppPeer ap ? headers.Single(x => x.Name == ap.App).Ports : null;
                        ports = server is not null ? RandomPortRefs(server) : RandomPortRefs([]);
                    }

                    calls.Add(new GenCall(to, ports));
                }
            }

            apps.Add(new GenApp(h.Name, h.Namespace, h.Selector, h.Ports, ingressForms[h.Name], rules, callsForm, calls, egressNone[h.Name],
                Chance(0.15) ? false : Chance(0.1) ? true : null));
        }

        IReadOnlyList<GenPeer>? dnsPeers = null;
        if (Chance(0.3))
        {
            var candidates = new List<GenPeer>
            {
                new GenNamespacePeer("kube-system", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" }),
                new GenNamespaceLabelsPeer(new Dictionary<string, string> { ["team"] = "blue" }, new Dictionary<string, string> { ["k8s-app"] = "dns" }),
            };
            candidates.AddRange(networks.Select(n => new GenNetworkPeer(n.Name)));
            candidates.AddRange(apps.Where(a => a.IngressForm != ListForm.None).Select(a => new GenAppPeer(a.Name, Chance(0.6))));
            dnsPeers = candidates.OrderBy(_ => random.Next()).Take(1 + random.Next(2)).ToList();
        }

        var generated = new GenIntent($"gen-{seed}",
            Chance(0.3) ? Chance(0.5) : null,
            Chance(0.3) ? Chance(0.5) : null,
            Chance(0.15) ? Chance(0.3) : null,
            dnsPeers, namespaces, networks, controller, apiServer, apps);
        return new NamespaceRulesGenerator(this, context).AddTo(generated); // drawn last: the rest of each seed's intent is as before
    }

    internal sealed record PeerContext(List<(string Name, string Namespace, IReadOnlyList<GenAppPort> Ports)> Apps, List<GenNetwork> Networks, bool HasApiServer, List<string> Namespaces);

    internal GenPeer RandomPeer(PeerContext context, string self)
    {
        while (true)
        {
            switch (random.Next(11))
            {
                case 0:
                case 1:
                    var others = context.Apps.Where(a => a.Name != self || Chance(0.2)).ToList();
                    if (others.Count > 0)
                    {
                        return new GenAppPeer(Pick(others).Name, Chance(0.5));
                    }

                    break;
                case 2:
                    return new GenNamespacePeer(Pick(context.Namespaces.Append("monitoring").Append("kube-system").ToList()), Chance(0.5) ? PodLabels(context) : null);
                case 3:
                    return new GenNamespaceLabelsPeer(Labels(NamespaceLabelPool, random.Next(2)), Chance(0.5) ? PodLabels(context) : null);
                case 4:
                    return new GenPodLabelsPeer(PodLabels(context));
                case 5:
                case 6:
                    if (context.Networks.Count > 0)
                    {
                        return new GenNetworkPeer(Pick(context.Networks).Name);
                    }

                    break;
                case 7:
                    return new GenControllerPeer();
                case 8:
                    if (context.HasApiServer)
                    {
                        return new GenApiServerPeer();
                    }

                    break;
                case 9:
                    if (Chance(0.4))
                    {
                        return new GenAnywherePeer();
                    }

                    break;
                default:
                    return new GenNamespacePeer(Pick(context.Namespaces), null);
            }
        }
    }

    /// <summary>Pod labels a peer narrows to: an app's labels (so the peer meets that app's pods), or labels no app has.</summary>
    private Dictionary<string, string> PodLabels(PeerContext context)
        => random.Next(3) switch
        {
            0 => new Dictionary<string, string> { ["app"] = Pick(context.Apps).Name },
            1 => new Dictionary<string, string> { ["role"] = "probe" },
            _ => new Dictionary<string, string> { ["tier"] = Pick(Tiers) },
        };

    private Dictionary<string, string> Labels((string Key, string Value)[] pool, int count)
    {
        var labels = new Dictionary<string, string>();
        foreach (var (key, value) in pool.OrderBy(_ => random.Next()).Take(count))
        {
            labels.TryAdd(key, value);
        }

        return labels;
    }

    private GenPort RandomPort()
    {
        var protocol = Pick(Protocols);
        var low = Pick(PortNumbers);
        return Chance(0.25) ? new GenPort(protocol, low, low + 1 + random.Next(100)) : new GenPort(protocol, low, low);
    }

    /// <summary>1-2 ports: names of <paramref name="named"/> or numbers in every written form.</summary>
    internal List<GenPortRef> RandomPortRefs(List<GenAppPort> named)
    {
        var result = new List<GenPortRef>();
        for (var i = 0; i <= random.Next(2); i++)
        {
            if (named.Count > 0 && Chance(0.6))
            {
                var port = Pick(named);
                result.Add(new GenPortRef(port.Name, port.Range));
                continue;
            }

            var range = RandomPort();
            var written = random.Next(4) switch
            {
                0 when range.Protocol == "TCP" && range.Low == range.High => range.Low.ToString(System.Globalization.CultureInfo.InvariantCulture),
                1 => range.Text.ToLowerInvariant(),
                _ => range.Text,
            };
            result.Add(new GenPortRef(written, range));
        }

        return result;
    }
}
