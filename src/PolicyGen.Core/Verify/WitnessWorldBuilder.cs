using System.Collections.Immutable;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// Chooses the witnesses: each app, pods and addresses the intent does not allow (another
/// namespace, part of an app's labels, a namespace's other pod), a pod for each peer as written,
/// and whatever the policies select or name that the intent does not, so that a template that
/// changed the meaning has a witness that shows it. Order matters: the first pod for a name wins.
/// </summary>
internal sealed class WitnessWorldBuilder
{
    private const string WitnessLabel = "npgen.dev/witness";
    private const string ElsewhereNamespace = "npgen-elsewhere";

    private readonly NetworkIntent intent;
    private readonly Cluster? workloads;
    private readonly SortedDictionary<string, ImmutableSortedDictionary<string, string>> namespaces = new(StringComparer.Ordinal);

    /// <summary>Made-up namespaces, as messages name them: what they stand for, never their npgen-... name.</summary>
    private readonly Dictionary<string, string> described = new(StringComparer.Ordinal) { [ElsewhereNamespace] = "a namespace the intent does not name" };

    /// <summary>Namespaces a peer names as a whole: their other pod is that peer's witness.</summary>
    private readonly Dictionary<string, string> wholeNamespacePeers = new(StringComparer.Ordinal);
    private readonly List<Witness> witnesses = [];
    private readonly HashSet<string> podNames = new(StringComparer.Ordinal);

    /// <summary>
    /// Indexes instead of scans of every app or witness per pod: apps by namespace (in intent
    /// order, so the first match is the one a scan would find) and the label sets of the pods so far.
    /// </summary>
    private readonly Dictionary<string, List<App>> appsIn = new(StringComparer.Ordinal);
    private readonly HashSet<string> podLabelSets = new(StringComparer.Ordinal);

    /// <summary>Namespaces made up for what a policy's namespaceSelector selects, by their labels.</summary>
    private readonly Dictionary<string, string> selectedNamespaces = new(StringComparer.Ordinal);
    private int selected;

    public WitnessWorldBuilder(NetworkIntent intent, Cluster? workloads)
    {
        this.intent = intent;
        this.workloads = workloads;
        foreach (var a in intent.Apps)
        {
            if (!appsIn.TryGetValue(a.Namespace, out var list))
            {
                appsIn[a.Namespace] = list = [];
            }

            list.Add(a);
        }
    }

    public WitnessWorld Build(ImmutableArray<AppConnectivity> apps, ImmutableArray<NetworkPolicy> policies)
    {
        AddWorkloads();
        foreach (var ns in intent.Namespaces)
        {
            AddNamespace(ns.Name, ns.EffectiveLabels);
        }

        AddNamespace(ElsewhereNamespace);
        AddPeerWitnesses(apps);
        AddAppWitnesses();
        var policyBlocks = AddPolicyWitnesses(policies);
        foreach (var ns in namespaces.Keys.ToList())
        {
            AddPod(ns, "npgen-other", Labels.Of((WitnessLabel, "other")), wholeNamespacePeers.GetValueOrDefault(ns)
                ?? (described.ContainsKey(ns) ? $"a pod in {NamespaceText(ns)}" : $"a pod in namespace {ns} that no app selects"));
        }

        AddressWitnesses.Add(intent, policyBlocks, witnesses);
        return new WitnessWorld(intent,
            [.. namespaces.Select(n => new Namespace(n.Key, n.Value, null))],
            [.. witnesses]);
    }

    private string NamespaceText(string ns) => described.GetValueOrDefault(ns) ?? $"namespace {ns}";

    private void AddNamespace(string name, ImmutableSortedDictionary<string, string>? labels = null)
    {
        if (!namespaces.ContainsKey(name))
        {
            namespaces[name] = (labels ?? intent.FindNamespace(name)?.EffectiveLabels ?? Labels.Empty).SetItem(Namespace.NameLabel, name);
        }
    }

    private void AddPod(string ns, string name, ImmutableSortedDictionary<string, string> labels, string display, App? app = null, ImmutableArray<ContainerPort> ports = default)
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
        app ??= AppOf(ns, labels);
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

    private App? AppOf(string ns, IReadOnlyDictionary<string, string> labels)
        => appsIn.GetValueOrDefault(ns)?.FirstOrDefault(a => PeerMatching.HasLabels(labels, a.Selector));

    /// <summary>Real namespaces and pods (npgen diff -f) first: their labels are the truth.</summary>
    private void AddWorkloads()
    {
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
                witnesses.Add(new Witness(pod.Id, pod, null, AppOf(pod.Namespace, pod.Labels), Workload: true));
            }
        }
    }

    /// <summary>A pod for each peer as written (and a namespace for each namespace it names or labels).</summary>
    private void AddPeerWitnesses(ImmutableArray<AppConnectivity> apps)
    {
        var dnsPeers = intent.Dns.Enabled ? intent.Dns.Peers.ToHashSet() : [];
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
    }

    /// <summary>Each app, a pod labelled like it in another namespace, and pods with part of its labels that no app selects.</summary>
    private void AddAppWitnesses()
    {
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
    }

    /// <summary>
    /// What the policies select and name, so that a peer the intent never mentions (labels, a
    /// namespace, an address, as an edited template might add) has a witness that shows it.
    /// Returns the policies' ipBlocks, which become address witnesses, each written block once: a
    /// later copy gives the same addresses after the first's, which keep the first's display.
    /// </summary>
    private List<(IpBlock Block, string Display)> AddPolicyWitnesses(ImmutableArray<NetworkPolicy> policies)
    {
        var policyBlocks = new List<(IpBlock Block, string Display)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in policies.IsDefault ? [] : policies)
        {
            AddSelected(policy.Namespace, null, policy.PodSelector);
            foreach (var peer in policy.Ingress.Concat(policy.Egress).SelectMany(r => r.Peers))
            {
                if (peer.IpBlock is { } ipBlock)
                {
                    if (seen.Add(BlockKey(ipBlock)))
                    {
                        policyBlocks.Add((ipBlock, $"ipBlock {ipBlock.Cidr} of policy {policy.Id}, which no network of the intent has"));
                    }
                }
                else
                {
                    AddSelected(policy.Namespace, peer.NamespaceSelector, peer.PodSelector ?? LabelSelector.Everything);
                }
            }
        }

        return policyBlocks;
    }

    /// <summary>The block as written, each text prefixed by its length so that no two blocks share a key.</summary>
    private static string BlockKey(IpBlock block)
        => string.Concat(block.Except.Select(e => $"{e.Length}:{e}").Prepend($"{block.Cidr.Length}:{block.Cidr}"));

    private void AddSelected(string policyNamespace, LabelSelector? namespaceSelector, LabelSelector podSelector)
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

            ns = SelectedNamespace(nsLabels);
        }

        AddNamespace(ns);
        if (!podLabels.IsEmpty && !podLabelSets.Contains(PodLabelsKey(ns, podLabels)))
        {
            AddPod(ns, $"npgen-selected-{selected++}", podLabels, $"pods labelled {WrittenPeer.Map(podLabels)} in {NamespaceText(ns)}, which only the policies name"); // any pod: the namespace's other pod
        }
    }

    /// <summary>The namespace a namespaceSelector's labels stand for: the one it names, or one made up per label set.</summary>
    private string SelectedNamespace(ImmutableSortedDictionary<string, string> nsLabels)
    {
        if (nsLabels.TryGetValue(Namespace.NameLabel, out var named))
        {
            AddNamespace(named, nsLabels);
            return named;
        }

        var key = Labels.Format(nsLabels);
        if (!selectedNamespaces.TryGetValue(key, out var existing))
        {
            existing = $"npgen-selected-{selectedNamespaces.Count}";
            selectedNamespaces[key] = existing;
            AddNamespace(existing, nsLabels);
            described[existing] = nsLabels.IsEmpty ? "any namespace" : $"a namespace labelled {WrittenPeer.Map(nsLabels)}";
        }

        return existing;
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
}
