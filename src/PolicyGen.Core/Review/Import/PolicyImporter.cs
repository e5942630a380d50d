using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using PolicyGen.Validation;

namespace PolicyGen.Review.Import;

/// <summary>
/// <c>npgen import</c>: reads existing NetworkPolicies (and the namespaces and pods of the same
/// inputs) and writes an intent whose build allows the same connections. Namespaces with a default
/// deny become managed, each podSelector an app, each rule's peers app-to-app edges (when they
/// select exactly an app's pods and both sides agree) or namespace/label peers, ipBlocks named
/// networks, and a policy for every pod of a namespace (podSelector {}) that namespace's
/// namespace-wide rules. What the intent cannot say is never dropped silently: each such rule is an NPG870
/// warning, and the caller reports the import as partial.
/// </summary>
public static class PolicyImporter
{
    private static readonly string[] NameKeys = ["app", "app.kubernetes.io/name", "k8s-app", "name", "app.kubernetes.io/component", "component", "tier", "role"];

    public static ImportResult Import(Cluster cluster, string intentName = "imported")
        => new Run(cluster).Import(intentName);

    private sealed class Run(Cluster cluster)
    {
        private readonly List<Diagnostic> notes = [];
        private readonly Dictionary<(string Namespace, string Selector), ImportedApp> apps = [];
        private readonly HashSet<string> appNames = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, string> networks = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> networkByBlock = new(StringComparer.Ordinal);
        private readonly SortedSet<string> namespaces = new(StringComparer.Ordinal);
        private readonly List<ImportedGrant> grants = [];

        /// <summary>The namespace-wide rules of each namespace, held as an app with an empty selector (every pod).</summary>
        private readonly SortedDictionary<string, ImportedApp> namespaceWide = new(StringComparer.Ordinal);
        private readonly HashSet<string> namespacesWithWideRules = new(StringComparer.Ordinal);
        private HashSet<string> managed = new(StringComparer.Ordinal);
        private (bool Ingress, bool Egress) deny;

        public ImportResult Import(string intentName)
        {
            var usable = new List<NetworkPolicy>();
            foreach (var policy in cluster.Policies)
            {
                if (PolicyValidator.Validate(policy).FirstOrDefault(p => p.Severity == Severity.Error) is { } problem)
                {
                    Note(policy, problem.Path, $"the API server would reject this policy ({problem.Message}); it is not imported", "fix it first (npgen validate names every problem)");
                    continue;
                }

                usable.Add(policy);
                namespaces.Add(policy.Namespace);
            }

            ChooseDefaultDeny(usable);
            namespacesWithWideRules.UnionWith(usable.Where(p => p.PodSelector.IsEmpty && Enum.GetValues<PolicyDirection>().Any(d => p.AppliesTo(d) && !CoveredByManaged(p, d))).Select(p => p.Namespace));
            // Apps first, so that a peer can be recognised as an app whatever the policies' order.
            foreach (var policy in usable)
            {
                ReadPolicy(policy, rules: false);
            }

            foreach (var policy in usable)
            {
                ReadPolicy(policy, rules: true);
            }

            DropOverlappingApps();
            EmitEdges();
            var text = IntentText.Write(intentName, cluster, usable.Count, deny, managed, namespaces, networks, apps.Values.Where(a => a.Sources.Count > 0).OrderBy(a => a.Name, StringComparer.Ordinal), namespaceWide);
            var written = apps.Values.Where(a => a.Sources.Count > 0).ToList();
            var writtenNamespaces = written.Select(a => a.Namespace).Concat(namespaceWide.Keys).Distinct(StringComparer.Ordinal).Count();
            // A rule written on several apps (an In podSelector) is noted once.
            return new ImportResult(text, [.. notes.Distinct()], usable.Count, written.Count, writtenNamespaces);
        }

        /// <summary>
        /// S2.4: a policy selecting every pod with no rules in a direction is that namespace's default deny.
        /// The intent has one defaultDeny for all managed namespaces: the most common set wins; in other
        /// namespaces the deny is a namespace-wide <c>ingress: none</c> / <c>egress: none</c> (<see cref="ReadNamespaceWide"/>).
        /// </summary>
        private void ChooseDefaultDeny(List<NetworkPolicy> policies)
        {
            var byNamespace = policies.Where(p => p.PodSelector.IsEmpty)
                .GroupBy(p => p.Namespace, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (Ingress: g.Any(p => IsDeny(p, PolicyDirection.Ingress)), Egress: g.Any(p => IsDeny(p, PolicyDirection.Egress))), StringComparer.Ordinal);
            var sets = byNamespace.Values.Where(d => d.Ingress || d.Egress).ToList();
            if (sets.Count == 0)
            {
                deny = (false, false);
                return;
            }

            deny = sets.GroupBy(d => d).OrderByDescending(g => g.Count()).ThenByDescending(g => (g.Key.Ingress ? 2 : 0) + (g.Key.Egress ? 1 : 0)).First().Key;
            managed = [.. byNamespace.Where(kv => kv.Value == deny).Select(kv => kv.Key)];
        }

        private static bool IsDeny(NetworkPolicy policy, PolicyDirection direction)
            => policy.PodSelector.IsEmpty && policy.AppliesTo(direction) && policy.Rules(direction).IsEmpty;

        private bool CoveredByManaged(NetworkPolicy policy, PolicyDirection direction)
            => managed.Contains(policy.Namespace) && IsDeny(policy, direction) && (direction == PolicyDirection.Ingress ? deny.Ingress : deny.Egress);

        private void ReadPolicy(NetworkPolicy policy, bool rules)
        {
            var directions = Enum.GetValues<PolicyDirection>().Where(d => policy.AppliesTo(d) && !CoveredByManaged(policy, d)).ToList();
            if (directions.Count == 0)
            {
                return;
            }

            if (SelectorExpansion.Expand(policy.PodSelector) is not { } selectors)
            {
                if (rules)
                {
                    return;
                }

                Note(policy, "spec.podSelector", $"the podSelector ({policy.PodSelector.CanonicalText()}) has matchExpressions an app selector cannot express; the policy is not imported, so its pods are not isolated by it",
                    "rewrite the selector as matchLabels (an In with several values becomes several apps), then import again");
                return;
            }

            if (policy.PodSelector.IsEmpty)
            {
                if (rules)
                {
                    ReadNamespaceWide(policy, directions);
                }

                return;
            }

            foreach (var selector in selectors)
            {
                var app = AppFor(policy.Namespace, selector);
                if (!rules)
                {
                    app.Sources.Add(policy.Id);
                    app.DeclaresIngress |= directions.Contains(PolicyDirection.Ingress);
                    app.DeclaresEgress |= directions.Contains(PolicyDirection.Egress);
                    continue;
                }

                foreach (var direction in directions)
                {
                    var list = policy.Rules(direction);
                    for (var r = 0; r < list.Length; r++)
                    {
                        ReadRule(app, policy, direction, r, list[r]);
                    }
                }
            }
        }

        /// <summary>
        /// A policy for every pod of a namespace (podSelector {}) with rules, or a default deny in
        /// directions the managed namespaces do not share: the namespace's namespace-wide rules
        /// (<c>namespace-ingress</c> / <c>namespace-egress</c>), which cover every pod of it, pods
        /// that no app selects included. A direction isolated with no rules becomes <c>none</c>.
        /// </summary>
        private void ReadNamespaceWide(NetworkPolicy policy, List<PolicyDirection> directions)
        {
            if (!namespaceWide.TryGetValue(policy.Namespace, out var wide))
            {
                wide = new ImportedApp("namespace", policy.Namespace, Labels.Empty);
                namespaceWide[policy.Namespace] = wide;
            }

            wide.Sources.Add(policy.Id);
            foreach (var direction in directions)
            {
                if (direction == PolicyDirection.Ingress)
                {
                    wide.DeclaresIngress = true;
                }
                else
                {
                    wide.DeclaresEgress = true;
                }

                var list = policy.Rules(direction);
                for (var r = 0; r < list.Length; r++)
                {
                    ReadRule(wide, policy, direction, r, list[r]);
                }
            }
        }

        private void ReadRule(ImportedApp app, NetworkPolicy policy, PolicyDirection direction, int index, PolicyRule rule)
        {
            var path = $"spec.{(direction == PolicyDirection.Ingress ? "ingress" : "egress")}[{index}]";
            var ports = new List<ImportedPort>();
            for (var i = 0; i < rule.Ports.Length; i++)
            {
                var entry = rule.Ports[i];
                if (!Enum.TryParse<Protocol>(entry.Protocol ?? "TCP", out var protocol))
                {
                    Note(policy, $"{path}.ports[{i}]", $"protocol {entry.Protocol} is not TCP, UDP or SCTP; the entry is left out", "use TCP, UDP or SCTP");
                    continue;
                }

                ports.Add(new ImportedPort(protocol, entry.Port?.Name, entry.Port?.Number, entry.EndPort));
            }

            var peers = new List<ImportedPeer>();
            if (rule.Peers.IsEmpty)
            {
                peers.Add(new ImportedPeer { Anywhere = true });
            }

            var list = direction == PolicyDirection.Ingress ? "from" : "to";
            for (var i = 0; i < rule.Peers.Length; i++)
            {
                if (ReadPeer(policy, rule.Peers[i], $"{path}.{list}[{i}]") is { } read)
                {
                    peers.AddRange(read);
                }
            }

            if (peers.Count == 0)
            {
                Note(policy, path, "no peer of this rule can be expressed; the rule is not imported (the intent allows less)", "see the notes above for each peer");
                return;
            }

            if (rule.Ports.Length > 0 && ports.Count == 0)
            {
                Note(policy, path, "no port of this rule can be expressed; the rule is not imported (the intent allows less)", "use TCP, UDP or SCTP ports");
                return;
            }

            foreach (var peer in peers)
            {
                grants.Add(new ImportedGrant(app, direction, peer, [.. ports], policy, path));
            }
        }

        /// <summary>S5.2: a peer in the intent's words; null (with a note) when it has no equivalent.</summary>
        private List<ImportedPeer>? ReadPeer(NetworkPolicy policy, PolicyPeer peer, string path)
        {
            if (peer.IpBlock is { } block)
            {
                return [new ImportedPeer { Network = NetworkFor(block) }];
            }

            var podMaps = peer.PodSelector is null ? [null] : SelectorExpansion.Expand(peer.PodSelector)?.Select(m => (ImmutableSortedDictionary<string, string>?)m).ToList();
            if (podMaps is null)
            {
                Note(policy, path + ".podSelector", $"matchExpressions ({peer.PodSelector!.CanonicalText()}) that podLabels cannot express; the peer is not imported (the intent allows less)",
                    "rewrite the selector as matchLabels, or add the peer to the intent by hand");
                return null;
            }

            List<(string? Namespace, ImmutableSortedDictionary<string, string>? Labels)> nsScopes;
            if (peer.NamespaceSelector is null)
            {
                nsScopes = [(policy.Namespace, null)];
            }
            else if (SelectorExpansion.Expand(peer.NamespaceSelector) is { } nsMaps)
            {
                nsScopes = [.. nsMaps.Select(m => m.Count == 1 && m.TryGetValue(Namespace.NameLabel, out var name) ? ((string?)name, (ImmutableSortedDictionary<string, string>?)null) : (null, m))];
            }
            else
            {
                Note(policy, path + ".namespaceSelector", $"matchExpressions ({peer.NamespaceSelector.CanonicalText()}) that namespaceLabels cannot express; the peer is not imported (the intent allows less)",
                    "rewrite the selector as matchLabels, or add the peer to the intent by hand");
                return null;
            }

            var result = new List<ImportedPeer>();
            foreach (var (ns, nsLabels) in nsScopes)
            {
                foreach (var pods in podMaps)
                {
                    var podLabels = pods is { Count: 0 } ? null : pods;
                    if (ns is not null)
                    {
                        namespaces.Add(ns);
                        var app = podLabels is null ? null : apps.GetValueOrDefault((ns, Labels.Format(podLabels)));
                        result.Add(new ImportedPeer { App = app, Namespace = ns, PodLabels = podLabels });
                    }
                    else
                    {
                        result.Add(new ImportedPeer { NamespaceLabels = nsLabels, PodLabels = podLabels });
                    }
                }
            }

            return result;
        }

        private ImportedApp AppFor(string ns, ImmutableSortedDictionary<string, string> selector)
        {
            if (apps.TryGetValue((ns, Labels.Format(selector)), out var existing))
            {
                return existing;
            }

            var basis = NameKeys.Select(k => selector.GetValueOrDefault(k)).FirstOrDefault(v => v is not null) ?? selector.First().Value;
            var name = Unique(Sanitize(basis, "app"), ns);
            var app = new ImportedApp(name, ns, selector);
            apps[(ns, Labels.Format(selector))] = app;
            return app;
        }

        private string Unique(string name, string ns)
        {
            var candidates = new[] { name, Sanitize($"{ns}-{name}", "app") }
                .Concat(Enumerable.Range(2, 1000).Select(i => Sanitize($"{ns}-{name}", "app", 60) + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            // An app named namespace would take the names of the namespace-wide policies (NPG319).
            var chosen = candidates.Where(c => c != "namespace" || !namespacesWithWideRules.Contains(ns)).First(appNames.Add);
            return chosen;
        }

        /// <summary>Networks are named after their cidr (<c>net-203-0-113-0-24</c>), the same name for the same block.</summary>
        private string NetworkFor(IpBlock block)
        {
            _ = Cidr.TryParse(block.Cidr, out var cidr, out _);
            var except = block.Except.Select(e => Cidr.TryParse(e, out var c, out _) ? c.ToString() : e).ToList();
            var key = cidr + " except " + string.Join(",", except);
            if (networkByBlock.TryGetValue(key, out var known))
            {
                return known;
            }

            var basis = Sanitize("net-" + cidr.ToString().Replace('.', '-').Replace(':', '-').Replace('/', '-'), "net", 58);
            var name = basis;
            for (var i = 2; networks.ContainsKey(name); i++)
            {
                name = basis + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            networks[name] = except.Count == 0 ? cidr.ToString() : $"{{cidr: {cidr}, except: [{string.Join(", ", except)}]}}";
            networkByBlock[key] = name;
            return name;
        }

        /// <summary>A DNS-1123 label: lower case, [a-z0-9-], alphanumeric at both ends, at most <paramref name="max"/> characters.</summary>
        private static string Sanitize(string text, string fallback, int max = 63)
        {
            var chars = text.ToLowerInvariant().Select(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-').ToArray();
            var name = new string(chars);
            name = name.Length > max ? name[..max] : name;
            name = name.Trim('-');
            return name.Length == 0 ? fallback : name;
        }

        /// <summary>Two apps of one namespace that could select the same pods cannot both be declared (NPG307).</summary>
        private void DropOverlappingApps()
        {
            foreach (var group in apps.Values.Where(a => !a.IsAllPods && a.Sources.Count > 0).GroupBy(a => a.Namespace, StringComparer.Ordinal))
            {
                var kept = new List<ImportedApp>();
                foreach (var app in group.OrderBy(a => a.Name, StringComparer.Ordinal))
                {
                    var clash = kept.FirstOrDefault(k => !k.Selector.Any(l => app.Selector.TryGetValue(l.Key, out var v) && v != l.Value));
                    if (clash is null)
                    {
                        kept.Add(app);
                        continue;
                    }

                    foreach (var source in app.Sources)
                    {
                        var policy = cluster.Policies.First(p => p.Id == source);
                        Note(policy, "spec.podSelector", $"selects pods that app {clash.Name} ({Labels.Format(clash.Selector)}) can select too, which one intent cannot declare; the policy is not imported, so its pods are not isolated by it",
                            "give the two groups of pods a label key with different values, or merge the policies");
                    }

                    app.Sources.Clear();
                    grants.RemoveAll(g => g.Owner == app);
                }
            }
        }

        private bool IsolatedIngress(ImportedApp app)
            => app.DeclaresIngress || (managed.Contains(app.Namespace) && deny.Ingress) || namespaceWide.GetValueOrDefault(app.Namespace)?.DeclaresIngress == true;

        private bool IsolatedEgress(ImportedApp app)
            => app.DeclaresEgress || (managed.Contains(app.Namespace) && deny.Egress) || namespaceWide.GetValueOrDefault(app.Namespace)?.DeclaresEgress == true;

        /// <summary>
        /// An app-to-app edge is written on both isolated sides by the intent, so it is used only when
        /// that is what the policies said: both sides have the grant, or the other side is not isolated.
        /// Every other grant names its peer by namespace and labels and touches only its own side.
        /// </summary>
        private void EmitEdges()
        {
            var used = new HashSet<ImportedGrant>();
            var live = grants.Where(g => g.Owner.Sources.Count > 0).ToList();
            foreach (var grant in live)
            {
                if (used.Contains(grant))
                {
                    continue;
                }

                used.Add(grant);
                // Namespace-wide rules name their peers by namespace and labels: an app edge would open the app's own side too.
                var other = grant.Owner.IsAllPods ? null : grant.Peer.App is { Sources.Count: > 0, IsAllPods: false } target ? target : null;
                if (other is not null)
                {
                    var counterpart = live.FirstOrDefault(g => !used.Contains(g) && g.Owner == other && g.Direction != grant.Direction
                        && g.Peer.App == grant.Owner && g.PortsKey == grant.PortsKey);
                    var otherIsolated = grant.Direction == PolicyDirection.Egress ? IsolatedIngress(other) : IsolatedEgress(other);
                    if (counterpart is not null || !otherIsolated)
                    {
                        if (counterpart is not null)
                        {
                            used.Add(counterpart);
                        }

                        EmitAppEdge(grant, other);
                        continue;
                    }
                }

                EmitOneSide(grant);
            }
        }

        private void EmitAppEdge(ImportedGrant grant, ImportedApp other)
        {
            var (client, server) = grant.Direction == PolicyDirection.Egress ? (grant.Owner, other) : (other, grant.Owner);
            var ports = PortTexts(grant, server, byName: true);
            if (ports is null)
            {
                return;
            }

            // A call that names no ports reaches only the server's declared ports; an ingress rule without ports reaches all.
            if (grant.Direction == PolicyDirection.Ingress || (ports.Count == 0 && server.DeclaresIngress))
            {
                server.IngressRules.Add(IntentText.Rule(IntentText.AppPeer(client), ports));
            }
            else
            {
                client.Calls.Add(IntentText.Call(IntentText.AppPeer(server), ports.Count == 0 ? AllPorts : ports));
            }
        }

        private static readonly List<string> AllPorts = ["1-65535/TCP", "1-65535/UDP", "1-65535/SCTP"];

        private void EmitOneSide(ImportedGrant grant)
        {
            var peerText = IntentText.Peer(grant.Peer);
            // Named ports resolve on the destination: the app itself for ingress (every pod of the namespace
            // for namespace-wide rules, which take numbers only), the peer's pods for egress.
            var ports = grant.Direction == PolicyDirection.Ingress ? PortTexts(grant, grant.Owner, byName: !grant.Owner.IsAllPods) : PortTexts(grant, null, byName: false);
            if (ports is null)
            {
                return;
            }

            if (grant.Direction == PolicyDirection.Ingress)
            {
                grant.Owner.IngressRules.Add(IntentText.Rule(peerText, ports));
            }
            else
            {
                grant.Owner.Calls.Add(IntentText.Call(peerText, ports));
            }
        }

        /// <summary>
        /// The rule's ports in the intent's words. Named ports (S7.4) are resolved on the destination's
        /// pods in the inputs: kept as a name declared on <paramref name="destination"/> when
        /// <paramref name="byName"/>, else written as the number they resolve to. Null (with a note)
        /// when a name does not resolve to exactly one number.
        /// </summary>
        private List<string>? PortTexts(ImportedGrant grant, ImportedApp? destination, bool byName)
        {
            var texts = new List<string>();
            foreach (var port in grant.Ports)
            {
                if (port.Name is not { } name)
                {
                    texts.Add(port.NumberText());
                    continue;
                }

                var pods = destination is not null
                    ? cluster.Endpoints.Where(destination.Matches).ToList()
                    : cluster.Endpoints.Where(e => PeerMatches(grant, e)).ToList();
                var numbers = pods.SelectMany(e => e.Ports.Where(c => c.Name == name && c.Protocol == port.Protocol).Select(c => c.Port)).Distinct().ToList();
                if (numbers.Count != 1 || !grant.Peer.IsPods && destination is null)
                {
                    var why = pods.Count == 0 ? "no pod of the inputs is its destination" : numbers.Count == 0 ? "no destination pod declares it" : $"the destination pods map it to different numbers ({string.Join(", ", numbers.Order())})";
                    Note(grant.Policy, grant.Field, $"named port {name}/{port.Protocol.Name()} cannot be resolved to one number: {why}; the rule is not imported (the intent allows less)",
                        "pass the destination pods' manifests with -f, or write the rule by hand");
                    return null;
                }

                // A namespace-wide rule takes a number, which would open it on pods that do not declare the name too.
                var undeclared = destination is { IsAllPods: true } ? pods.Where(e => !e.Ports.Any(c => c.Name == name && c.Protocol == port.Protocol)).Select(e => e.Id).ToList() : [];
                if (undeclared.Count > 0)
                {
                    Note(grant.Policy, grant.Field, $"named port {name}/{port.Protocol.Name()} is {numbers[0].ToString(System.Globalization.CultureInfo.InvariantCulture)} on some pods of namespace {destination!.Namespace}, but these do not declare it: {string.Join(", ", undeclared.Take(5))}{(undeclared.Count > 5 ? ", ..." : "")}; a namespace-wide rule takes a number, which would open it on them too, so the rule is not imported (the intent allows less)",
                        "write the rule by hand, on the apps whose pods declare the port (everyApp resolves a name on each app), or give every pod of the namespace that port name");
                    return null;
                }

                var text = $"{numbers[0].ToString(System.Globalization.CultureInfo.InvariantCulture)}/{port.Protocol.Name()}";
                if (byName && destination is not null && (!destination.Ports.TryGetValue(name, out var declared) || declared == text))
                {
                    destination.Ports[name] = text;
                    texts.Add(name);
                }
                else
                {
                    texts.Add(text);
                }
            }

            return texts;
        }

        /// <summary>S5.2 for the peer as read: which pods of the inputs it selects.</summary>
        private bool PeerMatches(ImportedGrant grant, Endpoint endpoint)
        {
            var peer = grant.Peer;
            if (!peer.IsPods || endpoint.HostNetwork)
            {
                return false;
            }

            if (peer.App is { } app)
            {
                return app.Matches(endpoint);
            }

            var nsOk = peer.Namespace is { } ns
                ? endpoint.Namespace == ns
                : peer.NamespaceLabels!.All(l => NamespaceLabels(endpoint.Namespace).TryGetValue(l.Key, out var v) && v == l.Value);
            return nsOk && (peer.PodLabels is null || peer.PodLabels.All(l => endpoint.Labels.TryGetValue(l.Key, out var v) && v == l.Value));
        }

        private ImmutableSortedDictionary<string, string> NamespaceLabels(string ns)
            => cluster.Namespaces.FirstOrDefault(n => n.Name == ns)?.Labels ?? Labels.Empty.Add(Namespace.NameLabel, ns);

        private void Note(NetworkPolicy policy, string field, string message, string hint)
            => notes.Add(Diagnostic.Warning(DiagnosticCodes.ImportNotExpressible, $"{policy.Id} {field}: {message}", policy.LocationOf(field), hint));
    }
}
