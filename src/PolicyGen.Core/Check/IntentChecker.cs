using System.Collections.Immutable;
using System.Globalization;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Check;

/// <summary>
/// Checks an intent against the workloads it describes: the proof shows that the policies mean what
/// the intent says, but only the real manifests show whether the intent describes the cluster.
/// Each app must select some workload or pod; pods of managed namespaces that no app selects are
/// listed; declared ports must be container ports of the selected pods; the namespace labels the
/// intent declares (and that namespaceLabels peers rely on) must be the real ones; the DNS peers and
/// the ingress controller preset must select real pods.
/// </summary>
public static class IntentChecker
{
    private const int ListedObjects = 5;

    public static CheckReport Check(NetworkIntent intent, Cluster cluster, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(cluster);
        options ??= new CheckOptions();
        var findings = ImmutableArray.CreateBuilder<CheckFinding>();
        var byNamespace = cluster.Endpoints.GroupBy(e => e.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var namespaces = cluster.Namespaces.ToDictionary(n => n.Name, StringComparer.Ordinal);
        List<Endpoint> In(string ns) => byNamespace.GetValueOrDefault(ns) ?? [];

        var selectedBy = new Dictionary<string, List<Endpoint>>(StringComparer.Ordinal);
        foreach (var app in intent.Apps)
        {
            var selected = In(app.Namespace).Where(e => Matches(app.Selector, e.Labels)).ToList();
            selectedBy[app.Name] = selected;
            if (selected.Count == 0)
            {
                findings.Add(NothingSelected(app, In(app.Namespace), cluster));
            }
            else
            {
                CheckPorts(app, selected, findings);
            }
        }

        CheckUnselected(intent, In, options, findings);
        CheckNamespaceLabels(intent, cluster, namespaces, findings);
        CheckDns(intent, cluster, In, findings);
        CheckIngressController(intent, cluster, In, findings);

        var selectedCount = selectedBy.Values.SelectMany(s => s).Select(e => e.Id).Distinct(StringComparer.Ordinal).Count();
        // In the order of the intent file (its overlays after it), as a compiler lists errors; OrderBy is stable.
        var files = new List<string> { intent.Source.File };
        var ordered = findings
            .OrderBy(f => f.IntentLocation is null ? int.MaxValue : files.IndexOf(f.IntentLocation.File) is var i && i >= 0 ? i : 1)
            .ThenBy(f => f.IntentLocation?.Line ?? int.MaxValue)
            .ThenBy(f => f.IntentLocation?.Column ?? int.MaxValue);
        return new CheckReport([.. ordered], intent.Apps.Length, selectedCount, cluster.Endpoints.Length);
    }

    private static bool Matches(IReadOnlyDictionary<string, string>? selector, ImmutableSortedDictionary<string, string> labels)
        => selector is null || selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);

    private static string Describe(Endpoint e) => $"{e.Id} ({e.Kind})";

    private static string Format(ImmutableSortedDictionary<string, string> labels)
        => labels.Count == 0 ? "{}" : Labels.Format(labels);

    private static string Count(int n, string one, string many) => $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? one : many)}";

    private static ImmutableArray<string> Objects(IEnumerable<Endpoint> endpoints) => [.. endpoints.Select(Describe)];

    private static string List(List<Endpoint> endpoints)
        => string.Join(", ", endpoints.Take(ListedObjects).Select(Describe))
           + (endpoints.Count > ListedObjects ? $" and {(endpoints.Count - ListedObjects).ToString(CultureInfo.InvariantCulture)} more" : "");

    // ---- Apps that select nothing ----

    private static CheckFinding NothingSelected(App app, List<Endpoint> candidates, Cluster cluster)
    {
        var what = $"app \"{app.Name}\": selector {Format(app.Selector)} selects no workload or pod in namespace {app.Namespace}";
        if (candidates.Count == 0)
        {
            var elsewhere = cluster.Endpoints.Where(e => Matches(app.Selector, e.Labels)).ToList();
            return new CheckFinding(DiagnosticCodes.CheckAppSelectsNothing, Severity.Error,
                $"{what}: the manifests hold no workloads or pods in that namespace", app.Source.Location,
                elsewhere.FirstOrDefault()?.Location,
                elsewhere.Count > 0
                    ? $"pods with these labels run in namespace {elsewhere[0].Namespace} ({List(elsewhere)}): is the app's namespace wrong?"
                    : $"pass the manifests of namespace {app.Namespace} with -f (e.g. kubectl get deploy,sts,ds,pods -n {app.Namespace} -o yaml)",
                []);
        }

        // The closest real label set: fewest selector labels missing, then the smallest edit distance.
        var closest = candidates
            .Select(e => (Endpoint: e, Missing: app.Selector.Where(s => !(e.Labels.TryGetValue(s.Key, out var v) && v == s.Value)).ToList()))
            .OrderBy(c => c.Missing.Count)
            .ThenBy(c => c.Missing.Sum(m => Closest(m, c.Endpoint.Labels).Distance))
            .ThenBy(c => c.Endpoint.Id, StringComparer.Ordinal)
            .First();
        var suggestions = closest.Missing.Select(m => Closest(m, closest.Endpoint.Labels)).Where(s => s.Label is not null).Select(s => s.Label!).ToList();
        var hint = suggestions.Count > 0
            ? $"did you mean {string.Join(", ", suggestions)}? {Describe(closest.Endpoint)} has {Format(closest.Endpoint.Labels)}"
            : $"the pods of namespace {app.Namespace} carry: {string.Join("; ", candidates.Take(ListedObjects).Select(e => $"{e.Name}: {Format(e.Labels)}"))}";
        return new CheckFinding(DiagnosticCodes.CheckAppSelectsNothing, Severity.Error, what, app.Source.Location,
            closest.Endpoint.Location, hint, [Describe(closest.Endpoint)]);
    }

    /// <summary>The real label closest to a selector label: same key (another value), else the nearest key.</summary>
    private static (string? Label, int Distance) Closest(KeyValuePair<string, string> wanted, ImmutableSortedDictionary<string, string> labels)
    {
        if (labels.TryGetValue(wanted.Key, out var value))
        {
            return ($"{wanted.Key}={value}", EditDistance.Between(wanted.Value, value));
        }

        var best = labels.Select(l => (l.Key, l.Value, D: EditDistance.Between(wanted.Key, l.Key) + EditDistance.Between(wanted.Value, l.Value)))
            .OrderBy(l => l.D).ThenBy(l => l.Key, StringComparer.Ordinal).FirstOrDefault();
        return best.Key is null ? (null, wanted.Key.Length + wanted.Value.Length) : ($"{best.Key}={best.Value}", best.D);
    }

    // ---- Declared ports ----

    private static void CheckPorts(App app, List<Endpoint> selected, ImmutableArray<CheckFinding>.Builder findings)
    {
        var withoutPorts = selected.Where(e => e.Ports.IsEmpty).ToList();
        var declaring = selected.Where(e => !e.Ports.IsEmpty).ToList();
        foreach (var port in app.Ports)
        {
            var lacking = declaring.Where(e => !e.Ports.Any(p => port.Range.Contains(p.Protocol, p.Port))).ToList();
            if (lacking.Count == 0)
            {
                continue;
            }

            // A container port of the same name with another number or protocol is the likely mistake.
            var named = lacking.SelectMany(e => e.Ports.Where(p => p.Name == port.Name).Select(p => (Endpoint: e, Port: p))).FirstOrDefault();
            var hint = named.Endpoint is not null
                ? $"container port \"{port.Name}\" of {named.Endpoint.Id} is {named.Port.Port.ToString(CultureInfo.InvariantCulture)}/{named.Port.Protocol.Name()}; "
                  + $"write {port.Name}: {named.Port.Port.ToString(CultureInfo.InvariantCulture)}/{named.Port.Protocol.Name()} in the intent, or fix the container"
                : $"the container ports of {lacking[0].Id} are {string.Join(", ", lacking[0].Ports.Select(p => (p.Name is null ? "" : p.Name + "=") + p.Port.ToString(CultureInfo.InvariantCulture) + "/" + p.Protocol.Name()))}; "
                  + "ports in the intent are container ports, not Service ports";
            findings.Add(new CheckFinding(DiagnosticCodes.CheckPortMissing, Severity.Error,
                $"app \"{app.Name}\": port {port.Name} ({port.Range}) is not a container port of {List(lacking)}: the policies allow a port the pods do not serve",
                app.Source.Location, lacking[0].Location, hint, Objects(lacking)));
        }

        if (!app.Ports.IsEmpty && withoutPorts.Count > 0)
        {
            findings.Add(new CheckFinding(DiagnosticCodes.CheckIncomplete, Severity.Warning,
                $"app \"{app.Name}\": {List(withoutPorts)} declare{(withoutPorts.Count == 1 ? "s" : "")} no container ports, so its ports ({string.Join(", ", app.Ports.Select(p => $"{p.Name} {p.Range}"))}) cannot be checked",
                app.Source.Location, withoutPorts[0].Location, "list the ports under the container's ports: (containerPort, protocol, name)", Objects(withoutPorts)));
        }
    }

    // ---- Pods of managed namespaces that no app selects ----

    private static void CheckUnselected(NetworkIntent intent, Func<string, List<Endpoint>> pods, CheckOptions options,
        ImmutableArray<CheckFinding>.Builder findings)
    {
        foreach (var ns in intent.Namespaces.Where(n => n.Managed))
        {
            var apps = intent.Apps.Where(a => a.Namespace == ns.Name).ToList();
            var unselected = pods(ns.Name).Where(e => !apps.Any(a => Matches(a.Selector, e.Labels))).ToList();
            if (unselected.Count == 0)
            {
                continue;
            }

            // Namespace-wide rules reach these pods too: say what they still get rather than "nothing".
            var consequence = ns.IngressIsolated || ns.EgressIsolated
                ? "they get only the namespace-wide rules of " + ns.Name + (NamespaceConnectivity.HasDnsRule(intent, ns) ? "" : " (no DNS)")
                : "the default deny cuts them off from all traffic, DNS included";
            findings.Add(new CheckFinding(DiagnosticCodes.CheckUnselectedPods, options.Strict ? Severity.Error : Severity.Warning,
                $"namespace {ns.Name} is managed, but no app selects {Count(unselected.Count, "of its workloads or pods", "of its workloads or pods")}: {List(unselected)}; "
                + consequence,
                ns.Source.Location, unselected[0].Location,
                ns.IngressIsolated || ns.EgressIsolated
                    ? "declare an app for them (namespace and selector) if they need more than the namespace-wide rules, or leave them as they are if that is intended"
                    : "declare an app for them (namespace and selector) if they should be reached or call out, or leave them cut off if that is intended",
                Objects(unselected)));
        }
    }

    // ---- Namespace labels ----

    private static void CheckNamespaceLabels(NetworkIntent intent, Cluster cluster, Dictionary<string, Namespace> namespaces,
        ImmutableArray<CheckFinding>.Builder findings)
    {
        foreach (var declared in intent.Namespaces.Where(n => !n.Labels.IsEmpty))
        {
            if (!namespaces.TryGetValue(declared.Name, out var real) || real.Location is null)
            {
                findings.Add(new CheckFinding(DiagnosticCodes.CheckIncomplete, Severity.Warning,
                    $"namespace {declared.Name}: the intent declares labels {Format(declared.Labels)}, but the manifests hold no Namespace object to compare them with",
                    declared.Source.Location, null, $"pass it with -f (kubectl get ns {declared.Name} -o yaml)", []));
                continue;
            }

            var wrong = declared.Labels.Where(l => !(real.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
                .Select(l => real.Labels.TryGetValue(l.Key, out var v) ? $"{l.Key}={l.Value} is {l.Key}={v}" : $"{l.Key}={l.Value} is missing")
                .ToList();
            if (wrong.Count > 0)
            {
                findings.Add(new CheckFinding(DiagnosticCodes.CheckNamespaceLabels, Severity.Error,
                    $"namespace {declared.Name}: the intent declares labels {Format(declared.Labels)}, the real Namespace has {Format(WithoutNameLabel(real.Labels))} ({string.Join("; ", wrong)})",
                    declared.Source.Location, real.Location,
                    "namespaceLabels peers were proven with the declared labels; write the real labels in spec.namespaces (or label the namespace: kubectl label ns "
                    + declared.Name + " " + string.Join(" ", declared.Labels.Select(l => $"{l.Key}={l.Value}")) + ")",
                    [$"{declared.Name} (Namespace)"]));
            }
        }

        // A namespaceLabels peer must match the same namespaces with the real labels as with the intent's.
        foreach (var (peer, source, where) in NamespaceLabelPeers(intent))
        {
            foreach (var real in cluster.Namespaces.Where(n => n.Location is not null))
            {
                var assumed = intent.FindNamespace(real.Name)?.EffectiveLabels ?? Labels.Empty.Add(Namespace.NameLabel, real.Name);
                var inIntent = Matches(peer.Labels, assumed);
                var inCluster = Matches(peer.Labels, real.Labels);
                if (inIntent == inCluster)
                {
                    continue;
                }

                findings.Add(new CheckFinding(DiagnosticCodes.CheckNamespaceLabelPeer, Severity.Error,
                    $"{where}: {{namespaceLabels: {Format(peer.Labels)}}} {(inCluster ? "matches" : "does not match")} namespace {real.Name} in the cluster "
                    + $"(labels {Format(WithoutNameLabel(real.Labels))}), but the intent assumed it {(inIntent ? "does" : "does not")}",
                    source.Location, real.Location,
                    inCluster
                        ? $"declare namespace {real.Name} with its real labels in spec.namespaces, so the proof sees what the cluster will allow"
                        : $"write the real labels of namespace {real.Name} in spec.namespaces, or label the namespace as the intent says",
                    [$"{real.Name} (Namespace)"]));
            }
        }
    }

    private static ImmutableSortedDictionary<string, string> WithoutNameLabel(ImmutableSortedDictionary<string, string> labels)
        => labels.Remove(Namespace.NameLabel);

    private static IEnumerable<(NamespaceLabelsPeer Peer, IntentSource Source, string Where)> NamespaceLabelPeers(NetworkIntent intent)
    {
        foreach (var app in intent.Apps)
        {
            for (var i = 0; i < app.Ingress.Length; i++)
            {
                foreach (var peer in app.Ingress[i].From.OfType<NamespaceLabelsPeer>())
                {
                    yield return (peer, app.Ingress[i].Source, $"app \"{app.Name}\": ingress[{i.ToString(CultureInfo.InvariantCulture)}]");
                }
            }

            for (var i = 0; i < app.Calls.Length; i++)
            {
                if (app.Calls[i].To is NamespaceLabelsPeer peer)
                {
                    yield return (peer, app.Calls[i].Source, $"app \"{app.Name}\": calls[{i.ToString(CultureInfo.InvariantCulture)}]");
                }
            }
        }

        foreach (var ns in intent.Namespaces)
        {
            for (var i = 0; i < ns.Ingress.Length; i++)
            {
                foreach (var peer in ns.Ingress[i].From.OfType<NamespaceLabelsPeer>())
                {
                    yield return (peer, ns.Ingress[i].Source, $"namespace \"{ns.Name}\": ingress[{i.ToString(CultureInfo.InvariantCulture)}]");
                }
            }

            for (var i = 0; i < ns.Calls.Length; i++)
            {
                if (ns.Calls[i].To is NamespaceLabelsPeer peer)
                {
                    yield return (peer, ns.Calls[i].Source, $"namespace \"{ns.Name}\": calls[{i.ToString(CultureInfo.InvariantCulture)}]");
                }
            }
        }

        foreach (var peer in intent.Dns.Peers.OfType<NamespaceLabelsPeer>())
        {
            yield return (peer, intent.Dns.Source ?? intent.Source, "defaults.dns.peers");
        }
    }

    // ---- DNS peers and the ingress controller preset ----

    private static void CheckDns(NetworkIntent intent, Cluster cluster,
        Func<string, List<Endpoint>> pods, ImmutableArray<CheckFinding>.Builder findings)
    {
        var (apps, _) = AppConnectivity.Of(intent);
        if (!intent.Dns.Enabled || (!apps.Any(a => a.Outbound.Any(e => e.IsDns)) && !intent.Namespaces.Any(n => NamespaceConnectivity.HasDnsRule(intent, n))))
        {
            return;
        }

        var location = intent.Dns.Source?.Location ?? intent.Source.Location;
        var what = intent.Dns.Source is null ? "defaults.dns.peers (the default, kube-dns in kube-system)" : "defaults.dns.peers";
        for (var i = 0; i < intent.Dns.Peers.Length; i++)
        {
            CheckPeerSelectsPods(intent.Dns.Peers[i], $"{what}[{i.ToString(CultureInfo.InvariantCulture)}]", "apps that resolve names through it lose DNS",
                DiagnosticCodes.CheckDnsPeer, location, intent, cluster, pods, findings);
        }
    }

    private static void CheckIngressController(NetworkIntent intent, Cluster cluster,
        Func<string, List<Endpoint>> pods, ImmutableArray<CheckFinding>.Builder findings)
    {
        var used = intent.Apps.Any(a => a.Ingress.Any(r => r.From.Any(p => p is IngressControllerPeer)) || a.Calls.Any(c => c.To is IngressControllerPeer))
            || intent.Namespaces.Any(n => n.Ingress.Any(r => r.From.Any(p => p is IngressControllerPeer)) || n.Calls.Any(c => c.To is IngressControllerPeer));
        if (!used)
        {
            return;
        }

        var preset = intent.IngressController;
        var what = preset.Source is null ? "presets.ingressController (the default, ingress-nginx)" : "presets.ingressController";
        CheckPeerSelectsPods(new NamespacePeer(preset.Namespace, preset.PodLabels), what, "traffic through the ingress controller is cut off",
            DiagnosticCodes.CheckIngressController, preset.Source?.Location ?? intent.Source.Location, intent, cluster, pods, findings);
    }

    private static void CheckPeerSelectsPods(Peer peer, string what, string consequence, string code, SourceLocation location,
        NetworkIntent intent, Cluster cluster, Func<string, List<Endpoint>> pods,
        ImmutableArray<CheckFinding>.Builder findings)
    {
        (List<string> Namespaces, ImmutableSortedDictionary<string, string>? PodLabels, string Text) target = peer switch
        {
            NamespacePeer p => ([p.Namespace], p.PodLabels, $"pods {Format(p.PodLabels ?? Labels.Empty)} in namespace {p.Namespace}"),
            NamespaceLabelsPeer p => ([.. cluster.Namespaces.Where(n => Matches(p.Labels, n.Labels)).Select(n => n.Name)], p.PodLabels,
                $"pods {Format(p.PodLabels ?? Labels.Empty)} in namespaces {Format(p.Labels)}"),
            AppPeer p when intent.FindApp(p.App) is { } app => ([app.Namespace], app.Selector, $"app {app.Name}"),
            _ => ([], null, ""),
        };
        if (target.Text.Length == 0)
        {
            return;
        }

        var candidates = target.Namespaces.SelectMany(pods).ToList();
        if (candidates.Count == 0)
        {
            findings.Add(new CheckFinding(DiagnosticCodes.CheckIncomplete, Severity.Warning,
                $"{what}: the manifests hold no workloads or pods where it points ({target.Text}), so it cannot be checked",
                location, null,
                $"pass them with -f (e.g. kubectl get deploy,ds,pods -n {(target.Namespaces.FirstOrDefault() ?? "NAMESPACE")} -o yaml)", []));
            return;
        }

        if (candidates.Any(e => Matches(target.PodLabels, e.Labels)))
        {
            return;
        }

        var wanted = target.PodLabels ?? Labels.Empty;
        var closest = candidates
            .OrderBy(e => wanted.Sum(w => Closest(w, e.Labels).Distance))
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .First();
        var suggestions = wanted.Where(w => !(closest.Labels.TryGetValue(w.Key, out var v) && v == w.Value))
            .Select(w => Closest(w, closest.Labels).Label).OfType<string>().ToList();
        findings.Add(new CheckFinding(code, Severity.Error,
            $"{what}: {target.Text} match no workload or pod in the manifests: {consequence}",
            location, closest.Location,
            (suggestions.Count > 0 ? $"did you mean {string.Join(", ", suggestions)}? " : "")
            + $"{Describe(closest)} has {Format(closest.Labels)}",
            [Describe(closest)]));
    }
}
