using System.Collections.Immutable;
using System.Net;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// Proves that generated policies allow exactly what the intent allows. It builds a model cluster
/// of witnesses (each app, and pods and addresses the intent does not allow), computes the
/// reachability the intent means straight from its edges, computes the reachability of the
/// policies with the core evaluator, and compares the two on every witness pair and port class.
/// </summary>
public static class IntentVerifier
{
    private const string WitnessLabel = "npgen.dev/witness";
    private const string ElsewhereNamespace = "npgen-elsewhere";

    /// <summary>Addresses outside the usual private ranges, to catch rules that allow more than their networks.</summary>
    private static readonly string[] OutsideAddresses = ["192.0.2.1", "198.51.100.250", "203.0.113.250", "8.8.8.8", "2001:db8::1"];

    /// <param name="templateOverrides">The user's template files (<c>--templates</c>) that replaced bundled ones, named in the hint when the proof fails.</param>
    public static VerificationReport Verify(NetworkIntent intent, ImmutableArray<AppConnectivity> apps, ImmutableArray<NetworkPolicy> policies,
        IReadOnlyList<string>? templateOverrides = null)
    {
        var world = WitnessWorld.Build(intent, apps, policies);
        var cluster = new Cluster { Namespaces = world.Namespaces, Endpoints = world.Endpoints, Policies = policies };
        var evaluator = PolicyEvaluator.Create(cluster);
        var probes = Probes(intent, policies);
        var matrix = ReachabilityMatrix.Compute(evaluator, probes);
        var meaning = new IntentMeaning(intent, apps, world);

        var mismatches = new List<FlowMismatch>();
        var rename = FlowGroups.Renamer(world.Witnesses);
        var origins = new FlowOrigins(intent, apps, world, policies);
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        long checkedFlows = 0;
        var witnesses = world.Witnesses;
        // Per witness, once: its endpoint index in the evaluator's cluster (-1 for an address) and its connection end.
        var identity = witnesses.Select(w => w.IsPod ? evaluator.IdentityOf(world.IndexOf(w)) : -1).ToArray();
        var ends = witnesses.Select(w => End(evaluator, world, w)).ToArray();
        // Each half compared as whole rows: when every pod witness's intended egress row equals its
        // actual egress row and likewise for ingress (self aside), every pod-to-pod conjunction agrees,
        // at a cost of rows × witnesses / 64 words instead of witnesses² lookups. Only a probe where
        // some half differs (a template that changed the meaning) is checked pair by pair, which is
        // the definition and names each differing flow. Pairs with an address end are always checked one by one.
        var pods = new Bitset(witnesses.Length);
        var witnessesOf = new List<int>[evaluator.IdentityCount];
        for (var w = 0; w < witnesses.Length; w++)
        {
            if (identity[w] >= 0)
            {
                pods.Set(w);
                (witnessesOf[identity[w]] ??= []).Add(w);
            }
        }

        var everything = Bitset.Full(witnesses.Length);
        var converted = new Dictionary<IdentitySet, Bitset>();
        Bitset AsWitnesses(IdentitySet? row)
        {
            if (row is null)
            {
                return everything;
            }

            if (!converted.TryGetValue(row, out var set))
            {
                set = new Bitset(witnesses.Length);
                foreach (var i in row.Ones())
                {
                    foreach (var w in witnessesOf[i] ?? [])
                    {
                        set.Set(w);
                    }
                }

                converted[row] = set;
            }

            return set;
        }

        var podCount = pods.Count();

        // Rows are shared objects (one per app and port class, one per evaluator row), so the pod
        // bits where two rows differ are found once per pair of rows.
        var differences = new Dictionary<(Bitset, Bitset), List<int>>();
        bool Agree(Bitset intendedRow, Bitset actualRow, int self)
        {
            if (ReferenceEquals(intendedRow, actualRow))
            {
                return true;
            }

            if (!differences.TryGetValue((intendedRow, actualRow), out var differ))
            {
                differences[(intendedRow, actualRow)] = differ = intendedRow.Differences(actualRow, pods, 2);
            }

            return differ.Count == 0 || (differ.Count == 1 && differ[0] == self);
        }

        var allWitnesses = Enumerable.Range(0, witnesses.Length).ToArray();
        var addressWitnesses = allWitnesses.Where(w => identity[w] < 0).ToArray();
        var numbers = new AddressNumbers(witnesses);
        var addressIndex = new int[witnesses.Length];
        for (var a = 0; a < addressWitnesses.Length; a++)
        {
            addressIndex[addressWitnesses[a]] = a;
        }
        // A pod and an address: only the pod's half applies (S11), which depends on its identity, so
        // each (identity, address) verdict is asked of the evaluator once per probe. The cache holds
        // identities × addresses (not × every witness), so it fits at 10,000 apps too.
        var cacheable = (long)evaluator.IdentityCount * addressWitnesses.Length * 2 <= 50_000_000;
        var external = new sbyte[cacheable ? evaluator.IdentityCount * addressWitnesses.Length * 2 : 0];
        for (var p = 0; p < probes.Count; p++)
        {
            var probe = probes[p];
            var (egressRows, ingressRows) = meaning.Rows(probe);
            var halvesAgree = true;
            for (var f = 0; f < witnesses.Length && halvesAgree; f++)
            {
                if (identity[f] >= 0)
                {
                    halvesAgree = Agree(egressRows[f] ?? everything, AsWitnesses(matrix.EgressSet(p, identity[f])), f)
                        && Agree(ingressRows[f] ?? everything, AsWitnesses(matrix.IngressSet(p, identity[f])), f);
                }
            }

            if (halvesAgree)
            {
                checkedFlows += (long)podCount * (podCount - 1);
            }

            Array.Fill(external, (sbyte)-1);

            for (var f = 0; f < witnesses.Length; f++)
            {
                var from = witnesses[f];
                var intendedEgress = egressRows[f];
                var actualEgress = identity[f] >= 0 ? matrix.EgressSet(p, identity[f]) : null;
                // With the halves agreeing, a pod needs only its pairs with addresses (listed last).
                foreach (var t in halvesAgree && identity[f] >= 0 ? addressWitnesses : allWitnesses)
                {
                    if (f == t || (identity[f] < 0 && identity[t] < 0) || (halvesAgree && identity[f] >= 0 && identity[t] >= 0))
                    {
                        continue;
                    }

                    checkedFlows++;
                    var intended = (intendedEgress?[t] ?? true) && (ingressRows[t]?[f] ?? true);
                    bool actual;
                    if (identity[f] >= 0 && identity[t] >= 0)
                    {
                        actual = (actualEgress?.Contains(identity[t]) ?? true) && (matrix.IngressSet(p, identity[t])?.Contains(identity[f]) ?? true);
                    }
                    else
                    {
                        var slot = external.Length == 0 ? -1
                            : identity[f] >= 0 ? (((identity[f] * addressWitnesses.Length) + addressIndex[t]) * 2)
                            : (((identity[t] * addressWitnesses.Length) + addressIndex[f]) * 2) + 1;
                        if (slot >= 0 && external[slot] >= 0)
                        {
                            actual = external[slot] == 1;
                        }
                        else
                        {
                            actual = identity[f] >= 0
                                ? numbers.AllowsExternal(evaluator, identity[f], PolicyDirection.Egress, t, probe)
                                : numbers.AllowsExternal(evaluator, identity[t], PolicyDirection.Ingress, f, probe);
                            if (slot >= 0)
                            {
                                external[slot] = (sbyte)(actual ? 1 : 0);
                            }
                        }
                    }

                    var to = witnesses[t];
                    if (intended != actual)
                    {
                        var verdict = evaluator.Evaluate(ends[f], ends[t], probe.Port, probe.Protocol);
                        var (location, note) = origins.Of(from, to, probe, intended, intendedEgress?[t] ?? true, verdict);
                        mismatches.Add(new FlowMismatch(from.FullDisplay, to.FullDisplay, probe.ToString(), intended, actual,
                            rename(actual ? Allowing(verdict) : Denying(verdict)) + note)
                        {
                            FromName = from.Display,
                            ToName = to.Display,
                            FromAddress = from.Address,
                            ToAddress = to.Address,
                            Probe = probe,
                            Location = location,
                        });
                    }
                }
            }

        }
        var hintsGiven = new HashSet<string>(StringComparer.Ordinal);
        var overrides = templateOverrides is { Count: > 0 } ? string.Join(", ", templateOverrides) : null;
        diagnostics.AddRange(FlowGroups.Diagnose(mismatches, new PortClassRanges(MentionedRanges(intent, policies)), DiagnosticCodes.VerificationMismatch,
            intent.Source.Location, m => MismatchHint(m, overrides), hintsGiven));

        // Expectations: witness pods named as the intent names them, each hint once.
        foreach (var failed in ExpectationCheck.Run(intent, world, policies, evaluator))
        {
            diagnostics.Add(failed with { Message = rename(failed.Message), Hint = failed.Hint is { } h && hintsGiven.Add(h) ? h : null });
        }
        var expectations = intent.Expectations.Length;

        return new VerificationReport(witnesses.Count(w => w.IsPod), witnesses.Count(w => !w.IsPod), probes.Count, checkedFlows,
            [.. mismatches], expectations, diagnostics.ToImmutable());
    }

    /// <summary>
    /// The address witnesses as numbers, for the evaluator. Kept apart from <see cref="Verify"/>:
    /// a method that holds <see cref="UInt128"/> values cannot be precompiled (ReadyToRun) outside
    /// the framework, and the verifier's loops then ran as unoptimised JIT code on every start.
    /// </summary>
    private sealed class AddressNumbers(ImmutableArray<Witness> witnesses)
    {
        private readonly (System.Net.Sockets.AddressFamily Family, UInt128 Value)[] numbers
            = [.. witnesses.Select(w => w.Address is null ? default : Cidr.ToNumber(w.Address))];

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)] // inlined, it would make Verify unprecompilable again
        public bool AllowsExternal(PolicyEvaluator evaluator, int identity, PolicyDirection direction, int address, PortProbe probe)
            => evaluator.AllowsExternal(identity, direction, numbers[address].Family, numbers[address].Value, probe.Port, probe.Protocol);
    }

    private static ConnectionEnd End(PolicyEvaluator evaluator, WitnessWorld world, Witness witness)
    {
        if (witness.IsPod)
        {
            evaluator.TryResolve(witness.Pod!.Id, out var end, out _);
            return end!;
        }

        return ConnectionEnd.External(witness.Address!);
    }

    internal static string Allowing(Verdict verdict)
    {
        var rules = verdict.Ingress.AllowingRules.Select(r => $"policy {r.Policy} ingress rule {r.Rule}")
            .Concat(verdict.Egress.AllowingRules.Select(r => $"policy {r.Policy} egress rule {r.Rule}")).ToList();
        if (rules.Count > 0)
        {
            return string.Join(", ", rules);
        }

        return !verdict.Ingress.Isolated && !verdict.Egress.Isolated ? "no policy isolates either end" : verdict.Ingress.Isolated ? verdict.Egress.Reason : verdict.Ingress.Reason;
    }

    /// <summary>What to do about a differing flow: which way the templates changed the meaning, naming the user's templates.</summary>
    private static string MismatchHint(FlowMismatch mismatch, string? overrides)
    {
        if (overrides is null)
        {
            return "the bundled templates and the proof disagree, which is a bug in npgen: please report it with this intent";
        }

        return mismatch.IntentAllows
            ? $"the policies deny what the intent allows: a template in --templates ({overrides}) narrows the rules generated from this line; fix it, or remove it to use the bundled one"
            : $"the policies allow more than the intent: a template in --templates ({overrides}) widens the rules generated from this line; fix it, or remove it to use the bundled one";
    }

    internal static string Denying(Verdict verdict) => !verdict.Egress.Allowed ? verdict.Egress.Reason : verdict.Ingress.Reason;

    /// <summary>
    /// One port from each port class: the boundaries of every port range the intent or the
    /// generated policies mention, just inside and just outside, plus an unmentioned port per
    /// protocol. Ports that every range treats alike are one class and probed once.
    /// </summary>
    internal static IReadOnlyList<PortProbe> Probes(NetworkIntent intent, ImmutableArray<NetworkPolicy> policies = default)
    {
        var ranges = MentionedRanges(intent, policies.IsDefault ? [] : policies);
        var candidates = new SortedSet<PortProbe>(PortProbe.Order);
        foreach (var protocol in ProtocolNames.All)
        {
            candidates.Add(new PortProbe(1, protocol));
            candidates.Add(new PortProbe(65535, protocol));
        }

        foreach (var range in ranges)
        {
            foreach (var port in new[] { range.Low - 1, range.Low, range.High, range.High + 1 })
            {
                if (port is >= 1 and <= 65535)
                {
                    candidates.Add(new PortProbe(port, range.Protocol));
                }
            }
        }

        var classes = new HashSet<string>(StringComparer.Ordinal);
        var probes = new List<PortProbe>();
        foreach (var probe in candidates)
        {
            var signature = probe.Protocol + ":" + string.Concat(ranges.Select(r => r.Contains(probe.Protocol, probe.Port) ? '1' : '0'));
            if (classes.Add(signature))
            {
                probes.Add(probe);
            }
        }

        return probes;
    }

    /// <summary>Every port range the intent or the policies mention, DNS included: the boundaries of the port classes.</summary>
    internal static List<PortRange> MentionedRanges(NetworkIntent intent, IEnumerable<NetworkPolicy> policies)
        => [.. intent.Apps.SelectMany(a => a.Ports.Select(p => p.Range)
                .Concat(a.Ingress.SelectMany(r => r.Ports))
                .Concat(a.Calls.SelectMany(c => c.Ports)))
            .Concat(intent.Namespaces.SelectMany(n => n.Ingress.SelectMany(r => r.Ports).Concat(n.Calls.SelectMany(c => c.Ports))))
            .Concat(intent.ApiServer?.Ports ?? [])
            .Concat(intent.Expectations.Select(e => e.Port))
            .Append(new PortRange(Protocol.UDP, 53, 53))
            .Append(new PortRange(Protocol.TCP, 53, 53))
            .Concat(policies.SelectMany(p => p.Ingress.Concat(p.Egress)).SelectMany(r => r.Ports).Select(PolicyRange).OfType<PortRange>())
            .Distinct()];

    /// <summary>The numeric range of a policy port entry (a named port resolves to the witnesses' declared ports, already listed).</summary>
    private static PortRange? PolicyRange(PolicyPort port)
    {
        if (!ProtocolNames.TryParse(port.Protocol ?? "TCP", out var protocol))
        {
            return null;
        }

        return port.Port switch
        {
            null => new PortRange(protocol, 1, 65535),
            { Number: { } n } when n is >= 1 and <= 65535 => new PortRange(protocol, n, Math.Clamp(port.EndPort ?? n, n, 65535)),
            _ => null,
        };
    }

    /// <summary>The witnesses and the namespaces they live in.</summary>
    internal sealed class WitnessWorld
    {
        private readonly Dictionary<Witness, int> indexes = new(ReferenceEqualityComparer.Instance);

        private WitnessWorld(NetworkIntent intent, ImmutableArray<Namespace> namespaces, ImmutableArray<Witness> witnesses)
        {
            Intent = intent;
            AppsByName = intent.Apps.ToDictionary(a => a.Name, StringComparer.Ordinal);
            Namespaces = namespaces;
            Witnesses = witnesses;
            var pods = witnesses.Where(w => w.IsPod).OrderBy(w => w.Pod!.Namespace, StringComparer.Ordinal).ThenBy(w => w.Pod!.Name, StringComparer.Ordinal).ToList();
            Endpoints = [.. pods.Select(w => w.Pod!)];
            for (var i = 0; i < pods.Count; i++)
            {
                indexes[pods[i]] = i;
            }

            NamespaceLabels = namespaces.ToDictionary(n => n.Name, n => (IReadOnlyDictionary<string, string>)n.Labels, StringComparer.Ordinal);
        }

        public NetworkIntent Intent { get; }
        public Dictionary<string, App> AppsByName { get; }
        public ImmutableArray<Namespace> Namespaces { get; }
        public ImmutableArray<Endpoint> Endpoints { get; }
        public ImmutableArray<Witness> Witnesses { get; }
        public Dictionary<string, IReadOnlyDictionary<string, string>> NamespaceLabels { get; }

        /// <summary>Index of a pod witness in <see cref="Endpoints"/> (the evaluator's order).</summary>
        public int IndexOf(Witness witness) => indexes[witness];

        public Witness? Find(ExpectationEnd end)
        {
            if (end.Address is { } address)
            {
                return Witnesses.FirstOrDefault(w => address.Equals(w.Address));
            }

            return end.Peer switch
            {
                AppPeer a => Witnesses.FirstOrDefault(w => w.App?.Name == a.App),
                _ => Witnesses.FirstOrDefault(w => IntentMeaning.PeerMatches(end.Peer, w, this)),
            };
        }

        /// <param name="workloads">Real namespaces and pods (npgen diff -f): their labels are the truth, so
        /// they come first; the intent's witnesses still stand for the pods the manifests do not show.</param>
        public static WitnessWorld Build(NetworkIntent intent, ImmutableArray<AppConnectivity> apps, ImmutableArray<NetworkPolicy> policies = default,
            Cluster? workloads = null)
        {
            var namespaces = new SortedDictionary<string, ImmutableSortedDictionary<string, string>>(StringComparer.Ordinal);
            // Made-up namespaces, as messages name them: what they stand for, never their npgen-... name.
            var described = new Dictionary<string, string>(StringComparer.Ordinal) { [ElsewhereNamespace] = "a namespace the intent does not name" };
            string NamespaceText(string ns) => described.GetValueOrDefault(ns) ?? $"namespace {ns}";
            void AddNamespace(string name, ImmutableSortedDictionary<string, string>? labels = null)
            {
                if (!namespaces.ContainsKey(name))
                {
                    namespaces[name] = (labels ?? intent.FindNamespace(name)?.EffectiveLabels ?? Labels.Empty).SetItem(Namespace.NameLabel, name);
                }
            }

            var dnsPeers = intent.Dns.Enabled ? intent.Dns.Peers.ToHashSet() : [];
            var wholeNamespacePeers = new Dictionary<string, string>(StringComparer.Ordinal);

            var witnesses = new List<Witness>();
            var podNames = new HashSet<string>(StringComparer.Ordinal);
            // Indexes instead of scans of every app or witness per pod: apps by namespace (in intent
            // order, so the first match is the one a scan would find) and the label sets of the pods so far.
            var appsIn = new Dictionary<string, List<App>>(StringComparer.Ordinal);
            foreach (var a in intent.Apps)
            {
                if (!appsIn.TryGetValue(a.Namespace, out var list))
                {
                    appsIn[a.Namespace] = list = [];
                }

                list.Add(a);
            }

            var podLabelSets = new HashSet<string>(StringComparer.Ordinal);
            void AddPod(string ns, string name, ImmutableSortedDictionary<string, string> labels, string display, App? app = null, ImmutableArray<ContainerPort> ports = default)
            {
                if (app is not null && workloads is not null && podNames.Contains($"{ns}/{name}"))
                {
                    name = $"npgen-app-{name}"; // a real workload took the app's name: the app keeps its own witness
                }

                if (!podNames.Add($"{ns}/{name}"))
                {
                    return;
                }

                AddNamespace(ns);

                // A pod with an app's labels in the app's namespace is one of its pods (apps cannot overlap).
                app ??= appsIn.GetValueOrDefault(ns)?.FirstOrDefault(a => IntentMeaning.Has(labels, a.Selector));
                podLabelSets.Add(PodLabelsKey(ns, labels));
                witnesses.Add(new Witness(display, new Endpoint
                {
                    Namespace = ns,
                    Name = name,
                    Kind = "Pod",
                    Labels = labels,
                    Ports = ports.IsDefault ? [] : ports,
                }, null, app));
            }

            foreach (var ns in workloads?.Namespaces ?? [])
            {
                AddNamespace(ns.Name, ns.Labels);
            }

            foreach (var pod in workloads?.Endpoints ?? [])
            {
                if (podNames.Add(pod.Id))
                {
                    AddNamespace(pod.Namespace);
                    podLabelSets.Add(PodLabelsKey(pod.Namespace, pod.Labels));
                    witnesses.Add(new Witness(pod.Id, pod, null, appsIn.GetValueOrDefault(pod.Namespace)?.FirstOrDefault(a => IntentMeaning.Has(pod.Labels, a.Selector)), Workload: true));
                }
            }

            foreach (var ns in intent.Namespaces)
            {
                AddNamespace(ns.Name, ns.EffectiveLabels);
            }

            AddNamespace(ElsewhereNamespace);
            var peers = apps.SelectMany(a => a.Inbound.Concat(a.Outbound)).Select(e => e.Peer)
                .Concat(NamespaceConnectivity.Of(intent).SelectMany(n => n.Inbound.Concat(n.Outbound)).Select(e => e.Peer))
                .Concat(intent.Expectations.SelectMany(e => new[] { e.From.Peer, e.To.Peer }))
                .Append(new IngressControllerPeer())
                .ToList();
            var labelled = 0;
            var peerIndex = 0;
            foreach (var peer in peers)
            {
                switch (peer)
                {
                    case NamespacePeer n:
                        AddNamespace(n.Namespace);
                        if (n.PodLabels is null && !appsIn.ContainsKey(n.Namespace))
                        {
                            wholeNamespacePeers.TryAdd(n.Namespace, WrittenPeer.Text(n)); // its other pod is the peer's witness
                        }

                        if (n.PodLabels is { } podLabels)
                        {
                            AddPod(n.Namespace, $"npgen-peer-{peerIndex++}", podLabels, (dnsPeers.Contains(n) ? "DNS " : "") + WrittenPeer.Text(n));
                        }

                        break;
                    case NamespaceLabelsPeer l:
                        var name = $"npgen-labelled-{labelled++}";
                        AddNamespace(name, l.Labels);
                        described.TryAdd(name, $"a namespace labelled {WrittenPeer.Map(l.Labels)}");
                        AddPod(name, "npgen-other", Labels.Of((WitnessLabel, "other")), $"a pod in {NamespaceText(name)}");
                        if (l.PodLabels is { } lPodLabels)
                        {
                            AddPod(name, $"npgen-peer-{peerIndex++}", lPodLabels, (dnsPeers.Contains(l) ? "DNS " : "") + WrittenPeer.Text(l));
                        }

                        break;
                    case IngressControllerPeer:
                        AddPod(intent.IngressController.Namespace, "npgen-ingress-controller", intent.IngressController.PodLabels, WrittenPeer.Text(peer));
                        break;
                }
            }

            foreach (var app in intent.Apps)
            {
                var ports = app.Ports.Select(p => new ContainerPort(p.Name, p.Range.Low, p.Range.Protocol)).ToImmutableArray();
                AddPod(app.Namespace, app.Name, app.Selector, app.Name, app, ports);
                AddPod(ElsewhereNamespace, $"npgen-like-{app.Name}", app.Selector, $"a pod labelled like {app.Name} in {NamespaceText(ElsewhereNamespace)}");
                var partial = 0;
                foreach (var key in app.Selector.Keys)
                {
                    var labels = app.Selector.Remove(key);
                    if (!labels.IsEmpty && !appsIn[app.Namespace].Any(o => o.Selector.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value)))
                    {
                        AddPod(app.Namespace, $"npgen-partial-{app.Name}-{partial++}", labels, $"a pod in {NamespaceText(app.Namespace)} labelled like {app.Name} but without {key}");
                    }
                }
            }

            // What the policies select and name, so that a peer the intent never mentions (labels, a
            // namespace, an address, as an edited template might add) has a witness that shows it.
            var selected = 0;
            var selectedNamespaces = new Dictionary<string, string>(StringComparer.Ordinal);
            var policyBlocks = new List<(IpBlock Block, string Display)>();
            foreach (var policy in policies.IsDefault ? [] : policies)
            {
                AddSelected(policy.Namespace, null, policy.PodSelector);
                foreach (var peer in policy.Ingress.Concat(policy.Egress).SelectMany(r => r.Peers))
                {
                    if (peer.IpBlock is { } ipBlock)
                    {
                        policyBlocks.Add((ipBlock, $"ipBlock {ipBlock.Cidr} of policy {policy.Id}, which no network of the intent has"));
                    }
                    else
                    {
                        AddSelected(policy.Namespace, peer.NamespaceSelector, peer.PodSelector ?? LabelSelector.Everything);
                    }
                }
            }

            void AddSelected(string policyNamespace, LabelSelector? namespaceSelector, LabelSelector podSelector)
            {
                if (Satisfying(podSelector) is not { } podLabels)
                {
                    return; // selects nothing
                }

                var ns = policyNamespace;
                if (namespaceSelector is not null)
                {
                    if (Satisfying(namespaceSelector) is not { } nsLabels)
                    {
                        return;
                    }

                    if (nsLabels.TryGetValue(Namespace.NameLabel, out var named))
                    {
                        ns = named;
                        AddNamespace(ns, nsLabels);
                    }
                    else
                    {
                        var key = Labels.Format(nsLabels);
                        if (!selectedNamespaces.TryGetValue(key, out var existing))
                        {
                            existing = $"npgen-selected-{selectedNamespaces.Count}";
                            selectedNamespaces[key] = existing;
                            AddNamespace(existing, nsLabels);
                            described[existing] = nsLabels.IsEmpty ? "any namespace" : $"a namespace labelled {WrittenPeer.Map(nsLabels)}";
                        }

                        ns = existing;
                    }
                }

                AddNamespace(ns);
                if (!podLabels.IsEmpty && !podLabelSets.Contains(PodLabelsKey(ns, podLabels)))
                {
                    AddPod(ns, $"npgen-selected-{selected++}", podLabels, $"pods labelled {WrittenPeer.Map(podLabels)} in {NamespaceText(ns)}, which only the policies name"); // any pod: the namespace's other pod
                }
            }

            foreach (var ns in namespaces.Keys.ToList())
            {
                AddPod(ns, "npgen-other", Labels.Of((WitnessLabel, "other")), wholeNamespacePeers.GetValueOrDefault(ns)
                    ?? (described.ContainsKey(ns) ? $"a pod in {NamespaceText(ns)}" : $"a pod in namespace {ns} that no app selects"));
            }

            AddAddressWitnesses(intent, policyBlocks, witnesses);
            return new WitnessWorld(intent,
                [.. namespaces.Select(n => new Namespace(n.Key, n.Value, null))],
                [.. witnesses]);
        }

        /// <summary>
        /// A namespace and a label set as one text, each part length-prefixed so that no two
        /// different (namespace, ordered labels) pairs share a key: equal keys mean equal
        /// namespaces and pair-by-pair equal labels, as SequenceEqual compared them.
        /// </summary>
        private static string PodLabelsKey(string ns, ImmutableSortedDictionary<string, string> labels)
        {
            var key = new System.Text.StringBuilder();
            key.Append(ns.Length).Append(':').Append(ns);
            foreach (var (name, value) in labels)
            {
                key.Append(name.Length).Append(':').Append(name).Append(value.Length).Append(':').Append(value);
            }

            return key.ToString();
        }

        /// <summary>
        /// Addresses in, at the edges of and just outside every network, API server block and policy
        /// ipBlock, plus outside addresses and those named in expect:. Apart from <see cref="Build"/>
        /// because CIDR arithmetic (<see cref="UInt128"/>) keeps a method from being precompiled.
        /// </summary>
        private static void AddAddressWitnesses(NetworkIntent intent, List<(IpBlock Block, string Display)> policyBlocks, List<Witness> witnesses)
        {
            var addresses = new List<(IPAddress Address, string Display)>();
            foreach (var network in intent.Networks)
            {
                AddAddresses(network.Blocks, WrittenPeer.Text(new NetworkPeer(network.Name)), addresses);
            }

            if (intent.ApiServer is { } api)
            {
                AddAddresses(api.Blocks, WrittenPeer.Text(new ApiServerPeer()), addresses);
            }

            foreach (var (ipBlock, display) in policyBlocks)
            {
                if (Block(ipBlock) is { } block)
                {
                    AddAddresses([block], display, addresses);
                }
            }

            addresses.AddRange(OutsideAddresses.Select(a => (IPAddress.Parse(a), "an address outside every network")));
            addresses.AddRange(intent.Expectations.SelectMany(e => new[] { e.From.Address, e.To.Address }).OfType<IPAddress>().Select(a => (a,
                intent.Networks.FirstOrDefault(n => n.Blocks.Any(b => b.Contains(a))) is { } network ? WrittenPeer.Text(new NetworkPeer(network.Name))
                : intent.ApiServer is { } api && api.Blocks.Any(b => b.Contains(a)) ? WrittenPeer.Text(new ApiServerPeer())
                : a.ToString())));
            foreach (var (address, display) in addresses.DistinctBy(a => a.Address))
            {
                witnesses.Add(new Witness(display, null, address, null));
            }
        }

        /// <summary>Labels that a selector matches (matchLabels, then one way to meet each expression); null if none can.</summary>
        private static ImmutableSortedDictionary<string, string>? Satisfying(LabelSelector selector)
        {
            var labels = selector.MatchLabels.ToBuilder();
            foreach (var requirement in selector.MatchExpressions)
            {
                switch (requirement.Operator)
                {
                    case LabelOperators.In when !labels.ContainsKey(requirement.Key) && !requirement.Values.IsEmpty:
                        labels[requirement.Key] = requirement.Values[0];
                        break;
                    case LabelOperators.Exists when !labels.ContainsKey(requirement.Key):
                        labels[requirement.Key] = "npgen";
                        break;
                }
            }

            var result = labels.ToImmutable();
            return selector.Matches(result) ? result : null;
        }

        private static CidrBlock? Block(IpBlock ipBlock)
        {
            if (!Cidr.TryParse(ipBlock.Cidr, out var cidr, out _))
            {
                return null;
            }

            var except = ImmutableArray.CreateBuilder<Cidr>();
            foreach (var text in ipBlock.Except)
            {
                if (Cidr.TryParse(text, out var e, out _))
                {
                    except.Add(e);
                }
            }

            return new CidrBlock(cidr, except.ToImmutable());
        }

        /// <summary>Addresses at the edges of each block and of each except, inside and just outside.</summary>
        private static void AddAddresses(ImmutableArray<CidrBlock> blocks, string display, List<(IPAddress, string)> addresses)
        {
            foreach (var block in blocks)
            {
                var candidates = new List<UInt128> { block.Cidr.Network, block.Cidr.Last };
                foreach (var except in block.Except)
                {
                    candidates.AddRange([except.Network, except.Last, except.Network - 1, except.Last + 1]);
                }

                if (block.Cidr.Network > 0)
                {
                    candidates.Add(block.Cidr.Network - 1);
                }

                var max = block.Cidr.Family == System.Net.Sockets.AddressFamily.InterNetwork ? (UInt128)uint.MaxValue : UInt128.MaxValue;
                if (block.Cidr.Last < max)
                {
                    candidates.Add(block.Cidr.Last + 1);
                }

                foreach (var value in candidates.Distinct())
                {
                    var address = Cidr.ToAddress(block.Cidr.Family, value);
                    addresses.Add((address, block.Contains(address) ? display : $"an address just outside {display}"));
                }
            }
        }
    }

    /// <summary>
    /// The reachability the intent means, computed from its edges without the templates or the
    /// evaluator: for each port, the witnesses each app's isolated side lets through, as bitsets.
    /// </summary>
    internal sealed class IntentMeaning(NetworkIntent intent, ImmutableArray<AppConnectivity> apps, WitnessWorld world)
    {
        private readonly Dictionary<string, AppConnectivity> byApp = apps.ToDictionary(a => a.App.Name, StringComparer.Ordinal);

        /// <summary>The namespace-wide rules, which every pod of their namespace gets, pods of no app included.</summary>
        private readonly Dictionary<string, NamespaceConnectivity> byNamespaceWide = NamespaceConnectivity.Of(intent).ToDictionary(n => n.Namespace.Name, StringComparer.Ordinal);

        /// <summary>
        /// Per app, its edges and its namespace's namespace-wide edges in one list (policies add up),
        /// built once: the unions are cached by list.
        /// </summary>
        private readonly Dictionary<string, (ImmutableArray<Edge> Inbound, ImmutableArray<Edge> Outbound)> appEdges = new(StringComparer.Ordinal);

        private (ImmutableArray<Edge> Inbound, ImmutableArray<Edge> Outbound) EdgesOf(AppConnectivity c)
        {
            if (!appEdges.TryGetValue(c.App.Name, out var edges))
            {
                edges = byNamespaceWide.GetValueOrDefault(c.App.Namespace) is { } wide
                    ? (c.Inbound.AddRange(wide.Inbound), c.Outbound.AddRange(wide.Outbound))
                    : (c.Inbound, c.Outbound);
                appEdges[c.App.Name] = edges;
            }

            return edges;
        }
        private readonly Dictionary<string, Bitset> peerSets = new(StringComparer.Ordinal);

        /// <summary>
        /// For one port: per source witness the destinations its egress allows, and per destination
        /// witness the sources its ingress allows (null: not isolated, everything allowed). Indexes
        /// are positions in <see cref="WitnessWorld.Witnesses"/>.
        /// </summary>
        public (Bitset?[] Egress, Bitset?[] Ingress) Rows(PortProbe probe)
        {
            var witnesses = world.Witnesses;
            var egress = new Bitset?[witnesses.Length];
            var ingress = new Bitset?[witnesses.Length];
            var nothing = new Bitset(witnesses.Length);
            for (var w = 0; w < witnesses.Length; w++)
            {
                var witness = witnesses[w];
                if (!witness.IsPod)
                {
                    continue; // S11: an address has no side of its own.
                }

                if (witness.App is { } app)
                {
                    var c = byApp[app.Name];
                    var (inbound, outbound) = EdgesOf(c);
                    egress[w] = c.EgressIsolated ? Union(outbound, probe) : null;
                    ingress[w] = c.IngressIsolated ? Union(inbound, probe) : null;
                    continue;
                }

                // A pod of no app: the default deny of a managed namespace and the namespace-wide rules.
                var ns = witness.Pod!.Namespace;
                var managed = intent.IsManaged(ns);
                var wide = byNamespaceWide.GetValueOrDefault(ns);
                if ((managed && intent.DenyEgress) || wide is { EgressIsolated: true })
                {
                    egress[w] = wide is { EgressIsolated: true } ? Union(wide.Outbound, probe) : nothing;
                }

                if ((managed && intent.DenyIngress) || wide is { IngressIsolated: true })
                {
                    ingress[w] = wide is { IngressIsolated: true } ? Union(wide.Inbound, probe) : nothing;
                }
            }

            return (egress, ingress);
        }

        private readonly Dictionary<string, Bitset> unions = new(StringComparer.Ordinal);

        /// <summary>Each distinct peer (by kind and display, as before) numbered once, so unions are keyed by numbers, not rebuilt text.</summary>
        private readonly Dictionary<string, int> peerIds = new(StringComparer.Ordinal);
        private readonly List<Peer> peerById = [];
        /// <summary>Per edge list (by its array, which each app's connectivity holds once), the numbers of its peers.</summary>
        private readonly Dictionary<Edge[], int[]> edgePeerIds = new(ReferenceEqualityComparer.Instance);

        private int[] PeerIds(ImmutableArray<Edge> edges)
        {
            var array = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsArray(edges)!;
            if (!edgePeerIds.TryGetValue(array, out var ids))
            {
                ids = new int[edges.Length];
                for (var e = 0; e < edges.Length; e++)
                {
                    var key = PeerKey(edges[e].Peer);
                    if (!peerIds.TryGetValue(key, out var id))
                    {
                        peerIds[key] = id = peerById.Count;
                        peerById.Add(edges[e].Peer);
                    }

                    ids[e] = id;
                }

                edgePeerIds[array] = ids;
            }

            return ids;
        }

        private static bool Carries(Edge edge, PortProbe probe)
        {
            if (edge.Ports.IsEmpty)
            {
                return true;
            }

            foreach (var range in edge.Ports)
            {
                if (range.Contains(probe.Protocol, probe.Port))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The union of the peer sets of the edges that carry the probe; equal selections (the same peers in the same order) share one set.</summary>
        private Bitset Union(ImmutableArray<Edge> edges, PortProbe probe)
        {
            var ids = PeerIds(edges);
            var buffer = edges.Length <= 64 ? stackalloc char[edges.Length * 2] : new char[edges.Length * 2];
            var length = 0;
            for (var e = 0; e < edges.Length; e++)
            {
                if (Carries(edges[e], probe))
                {
                    buffer[length++] = (char)(ids[e] >> 16);
                    buffer[length++] = (char)ids[e];
                }
            }

            var key = new string(buffer[..length]);
            if (!unions.TryGetValue(key, out var set))
            {
                set = new Bitset(world.Witnesses.Length);
                for (var e = 0; e < edges.Length; e++)
                {
                    if (Carries(edges[e], probe))
                    {
                        set.Or(PeerSetById(ids[e]));
                    }
                }

                unions[key] = set;
            }

            return set;
        }

        private readonly List<Bitset?> peerSetById = [];

        private Bitset PeerSetById(int id)
        {
            while (peerSetById.Count <= id)
            {
                peerSetById.Add(null);
            }

            return peerSetById[id] ??= PeerSet(peerById[id]);
        }

        private static string PeerKey(Peer peer) => peer.GetType().Name + ":" + IntentBinder.Display(peer);

        private Dictionary<string, List<int>>? byNamespace;
        private List<int>? addresses;

        /// <summary>
        /// The witnesses a peer could match: a peer naming one namespace can only match pods there,
        /// a network only addresses. Narrowing first keeps 10,000 app peers from scanning every witness.
        /// </summary>
        private IEnumerable<int> Candidates(Peer peer)
        {
            if (byNamespace is null)
            {
                byNamespace = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                addresses = [];
                for (var w = 0; w < world.Witnesses.Length; w++)
                {
                    if (world.Witnesses[w].Pod is { } pod)
                    {
                        if (!byNamespace.TryGetValue(pod.Namespace, out var list))
                        {
                            byNamespace[pod.Namespace] = list = [];
                        }

                        list.Add(w);
                    }
                    else
                    {
                        addresses.Add(w);
                    }
                }
            }

            var ns = peer switch
            {
                AppPeer a => world.AppsByName.TryGetValue(a.App, out var app) ? app.Namespace : null,
                NamespacePeer n => n.Namespace,
                IngressControllerPeer => intent.IngressController.Namespace,
                _ => null,
            };
            if (ns is not null)
            {
                return byNamespace.GetValueOrDefault(ns, []);
            }

            if (peer is NamespaceLabelsPeer labelled)
            {
                // Only pods match, and only in namespaces carrying the labels: test each namespace once, not every witness.
                return NamespacesLabelled(labelled.Labels);
            }

            return peer is NetworkPeer or ApiServerPeer ? addresses! : Enumerable.Range(0, world.Witnesses.Length);
        }

        private IEnumerable<int> NamespacesLabelled(IReadOnlyDictionary<string, string> labels)
        {
            foreach (var (ns, members) in byNamespace!)
            {
                if (Has(world.NamespaceLabels[ns], labels))
                {
                    foreach (var w in members)
                    {
                        yield return w;
                    }
                }
            }
        }

        private Bitset PeerSet(Peer peer)
        {
            var key = peer.GetType().Name + ":" + IntentBinder.Display(peer);
            if (!peerSets.TryGetValue(key, out var set))
            {
                set = new Bitset(world.Witnesses.Length);
                foreach (var w in Candidates(peer))
                {
                    if (PeerMatches(peer, world.Witnesses[w], world))
                    {
                        set.Set(w);
                    }
                }

                peerSets[key] = set;
            }

            return set;
        }

        public static bool PeerMatches(Peer peer, Witness witness, WitnessWorld world)
        {
            var intent = world.Intent;
            var pod = witness.Pod;
            switch (peer)
            {
                case AnywherePeer:
                    return true;
                case AppPeer a when pod is not null:
                    var app = world.AppsByName[a.App];
                    return pod.Namespace == app.Namespace && Has(pod.Labels, app.Selector);
                case NamespacePeer n when pod is not null:
                    return pod.Namespace == n.Namespace && (n.PodLabels is null || Has(pod.Labels, n.PodLabels));
                case NamespaceLabelsPeer l when pod is not null:
                    return Has(world.NamespaceLabels[pod.Namespace], l.Labels) && (l.PodLabels is null || Has(pod.Labels, l.PodLabels));
                case IngressControllerPeer when pod is not null:
                    return pod.Namespace == intent.IngressController.Namespace && Has(pod.Labels, intent.IngressController.PodLabels);
                case NetworkPeer net when witness.Address is { } address:
                    return intent.FindNetwork(net.Network)!.Blocks.Any(b => b.Contains(address));
                case ApiServerPeer when witness.Address is { } address:
                    return intent.ApiServer!.Blocks.Any(b => b.Contains(address));
                default:
                    return false;
            }
        }

        public static bool Has(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> required)
            => required.All(r => labels.TryGetValue(r.Key, out var v) && v == r.Value);
    }
}
