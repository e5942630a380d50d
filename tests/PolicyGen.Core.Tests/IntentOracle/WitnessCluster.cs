using System.Net;
using System.Numerics;

namespace PolicyGen.Core.Tests.IntentOracle;

/// <summary>
/// A cluster built from the generated intent alone (never from the policies): each app's pod, pods
/// with part of an app's labels, pods labelled like an app in another namespace, pods of no app in
/// every namespace, pods matching every peer's labels, the ingress controller and the DNS pods, a
/// namespace carrying every namespaceLabels set (peers of namespace-wide rules and everyApp included), and addresses at every edge of every block
/// (inside, and just outside), each used both by an outside client or server and by a pod.
/// </summary>
internal sealed class WitnessCluster
{
    private readonly List<OracleEnd> pods = [];
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> namespaces = new(StringComparer.Ordinal);

    public IReadOnlyList<OracleEnd> Pods => pods;
    public IReadOnlyList<OracleEnd> Addresses { get; }
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Namespaces => namespaces;

    private int nextPlain = 1;

    public WitnessCluster(GenIntent intent)
    {
        foreach (var ns in intent.Namespaces)
        {
            namespaces[ns.Name] = ns.Labels;
        }

        var everyApp = intent.Namespaces.Select(n => n.EveryApp).Append(intent.EveryApp).OfType<GenEveryApp>().ToList();
        var namespaceWide = intent.Namespaces.Select(n => n.Rules).OfType<GenNamespaceRules>().ToList();
        var peers = intent.Apps.SelectMany(a => a.Ingress.SelectMany(r => r.From).Concat(a.Calls.Select(c => c.To)))
            .Concat(everyApp.SelectMany(e => e.Ingress.SelectMany(r => r.From).Concat(e.Calls.Select(c => c.To))))
            .Concat(namespaceWide.SelectMany(n => n.Ingress.SelectMany(r => r.From).Concat(n.Calls.Select(c => c.To))))
            .Concat(intent.DnsPeers ?? []).ToList();
        var labelled = 0;
        foreach (var peer in peers)
        {
            switch (peer)
            {
                case GenNamespacePeer n:
                    AddNamespace(n.Namespace);
                    if (n.PodLabels is not null)
                    {
                        AddPod(n.Namespace, n.PodLabels);
                    }

                    break;
                case GenNamespaceLabelsPeer l:
                    var name = $"labelled-{labelled++}";
                    namespaces[name] = l.Labels;
                    AddPod(name, l.PodLabels ?? new Dictionary<string, string> { ["witness"] = "any" });
                    break;
                case GenPodLabelsPeer p:
                    foreach (var app in intent.Apps)
                    {
                        AddPod(app.Namespace, p.PodLabels);
                    }

                    break;
            }
        }

        // {podLabels} in a namespace-wide rule means pods of that namespace.
        foreach (var ns in intent.Namespaces.Where(n => n.Rules is not null))
        {
            var rules = ns.Rules!;
            foreach (var p in rules.Ingress.SelectMany(r => r.From).Concat(rules.Calls.Select(c => c.To)).OfType<GenPodLabelsPeer>())
            {
                AddPod(ns.Name, p.PodLabels);
            }
        }

        var controller = intent.Controller ?? new GenController("ingress-nginx", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "ingress-nginx" });
        AddPod(controller.Namespace, controller.PodLabels);
        AddPod("kube-system", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });
        foreach (var app in intent.Apps)
        {
            AddPod(app.Namespace, app.Selector);
            AddPod("elsewhere", app.Selector);
            foreach (var key in app.Selector.Keys.Where(_ => app.Selector.Count > 1))
            {
                AddPod(app.Namespace, app.Selector.Where(l => l.Key != key).ToDictionary(l => l.Key, l => l.Value));
            }
        }

        foreach (var ns in namespaces.Keys.ToList())
        {
            AddPod(ns, new Dictionary<string, string> { ["witness"] = "other" });
        }

        // Addresses at every edge, each also given to a pod: alternately one of an app and one of no app.
        var edges = EdgeAddresses(intent);
        Addresses = [.. edges.Select(a => new OracleEnd(null, null, new Dictionary<string, string>(), a))];
        for (var i = 0; i < edges.Count; i++)
        {
            if (i % 2 == 0 && intent.Apps.Count > 0)
            {
                var app = intent.Apps[i / 2 % intent.Apps.Count];
                AddPod(app.Namespace, app.Selector, edges[i]);
            }
            else
            {
                var ns = namespaces.Keys.OrderBy(k => k, StringComparer.Ordinal).ElementAt(i % namespaces.Count);
                AddPod(ns, new Dictionary<string, string> { ["witness"] = "addressed" }, edges[i]);
            }
        }
    }

    private void AddNamespace(string name) => namespaces.TryAdd(name, new Dictionary<string, string>());

    private void AddPod(string ns, IReadOnlyDictionary<string, string> labels, IPAddress? address = null)
    {
        AddNamespace(ns);
        // Pods without an edge address get one of a plain pod range (inside 10.0.0.0/8, as pod networks often are).
        address ??= IPAddress.Parse($"10.244.{nextPlain / 250}.{(nextPlain % 250) + 1}");
        nextPlain++;
        pods.Add(new OracleEnd(ns, $"pod-{pods.Count}", labels, address));
    }

    /// <summary>The first and last address of every block and except, and the addresses just outside them, plus a few unrelated ones.</summary>
    private static List<IPAddress> EdgeAddresses(GenIntent intent)
    {
        var cidrs = intent.Networks.SelectMany(n => n.Blocks).Concat(intent.ApiServer?.Blocks ?? [])
            .SelectMany(b => b.Except.Prepend(b.Cidr));
        var result = new List<IPAddress> { IPAddress.Parse("8.8.8.8"), IPAddress.Parse("2001:db8:ffff::1") };
        foreach (var cidr in cidrs)
        {
            var (first, last, family) = DocumentedMeaning.Range(cidr);
            var max = (BigInteger.One << (family == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)) - 1;
            foreach (var value in new[] { first, last, first - 1, last + 1 })
            {
                if (value >= 0 && value <= max)
                {
                    result.Add(DocumentedMeaning.Address(value, family));
                }
            }
        }

        return [.. result.Distinct()];
    }
}
