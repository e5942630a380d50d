namespace PolicyGen.Core.Tests.IntentOracle;

/// <summary>
/// Adds namespace-wide rules and <c>everyApp</c> (namespace and defaults) to a generated intent,
/// avoiding what docs/intent.md calls a mistake: <c>egress: none</c> with <c>calls</c> (NPG316),
/// an <c>everyApp</c> rule meeting an app that closes that direction (NPG317), namespace-wide
/// rules opening a direction an app of the namespace closes, or naming an app that closes the
/// other end (NPG318), port names in namespace-wide rules except on a call to an app (NPG314),
/// everyApp port names some covered app lacks (NPG315).
/// </summary>
internal sealed class NamespaceRulesGenerator(IntentGenerator g, IntentGenerator.PeerContext context)
{
    private static readonly ListForm[] ClosedIngress = [ListForm.Absent, ListForm.Empty, ListForm.None];
    private static readonly ListForm[] AnyIngress = [ListForm.Absent, ListForm.Items, ListForm.Items, ListForm.Empty, ListForm.None];
    private static readonly string[] ClosedEgress = ["absent", "absent", "none"];
    private static readonly string[] AnyEgress = ["absent", "absent", "items", "items", "empty", "none"];

    public GenIntent AddTo(GenIntent intent)
    {
        var namespaces = intent.Namespaces.Select(n => n with
        {
            Rules = g.Chance(0.35) ? Rules(intent, n.Name) : null,
            EveryApp = g.Chance(0.25) ? EveryApp(intent, [.. intent.Apps.Where(a => a.Namespace == n.Name)]) : null,
        }).ToList();
        return intent with { Namespaces = namespaces, EveryApp = g.Chance(0.2) ? EveryApp(intent, intent.Apps) : null };
    }

    private GenNamespaceRules? Rules(GenIntent intent, string ns)
    {
        var apps = intent.Apps.Where(a => a.Namespace == ns).ToList();
        var ingressForm = g.Pick(apps.Any(a => a.IngressForm == ListForm.None) ? ClosedIngress : AnyIngress);
        var ingress = ingressForm == ListForm.Items ? Enumerable.Range(0, 1 + g.Next(2)).Select(_ => IngressRule(intent, [], numbersOnly: true)).ToList() : [];

        var egress = g.Pick(apps.Any(a => a.EgressNone) ? ClosedEgress : AnyEgress);
        var calls = egress == "items" ? Enumerable.Range(0, 1 + g.Next(2)).Select(_ => Call(intent, serverPortNames: true)).ToList() : [];
        var callsForm = egress switch { "items" => ListForm.Items, "empty" => ListForm.Empty, _ => ListForm.Absent };
        var dns = callsForm != ListForm.Absent && g.Chance(0.3) ? g.Chance(0.3) : (bool?)null;
        return ingressForm == ListForm.Absent && egress == "absent" ? null
            : new GenNamespaceRules(ingressForm, ingress, callsForm, calls, egress == "none", dns);
    }

    private GenEveryApp? EveryApp(GenIntent intent, IReadOnlyList<GenApp> covered)
    {
        if (covered.Count == 0)
        {
            return null;
        }

        // Port names every covered app declares (each resolves it to its own number).
        var sharedNames = covered.Select(a => a.Ports.Select(p => p.Name)).Aggregate((x, y) => x.Intersect(y)).ToList();
        var named = covered[0].Ports.Where(p => sharedNames.Contains(p.Name)).ToList();
        var ingress = covered.Any(a => a.IngressForm == ListForm.None) ? []
            : Enumerable.Range(0, g.Next(3)).Select(_ => IngressRule(intent, named, numbersOnly: false)).ToList();
        var calls = covered.Any(a => a.EgressNone) ? [] : Enumerable.Range(0, g.Next(3)).Select(_ => Call(intent, serverPortNames: false)).ToList();
        return ingress.Count == 0 && calls.Count == 0 ? null : new GenEveryApp(ingress, calls);
    }

    private GenRule IngressRule(GenIntent intent, List<GenAppPort> named, bool numbersOnly)
    {
        var from = Enumerable.Range(0, 1 + g.Next(2)).Select(_ => g.RandomPeer(context, ""))
            .Where(p => p is not GenAppPeer a || !intent.Apps.Single(x => x.Name == a.App).EgressNone).ToList();
        if (from.Count == 0)
        {
            from.Add(new GenAnywherePeer());
        }

        return new GenRule(from, g.Chance(0.4) ? null : g.RandomPortRefs(numbersOnly ? [] : named));
    }

    /// <summary>
    /// A call; <paramref name="serverPortNames"/>: a call to an app may name the app's ports (the doc
    /// says so for namespace-wide calls; for everyApp calls it does not say whose ports a name means).
    /// </summary>
    private GenCall Call(GenIntent intent, bool serverPortNames)
    {
        while (true)
        {
            var to = g.RandomPeer(context, "");
            if (to is GenAppPeer a && intent.Apps.Single(x => x.Name == a.App).IngressForm == ListForm.None)
            {
                continue;
            }

            var server = serverPortNames && to is GenAppPeer ap ? intent.Apps.Single(x => x.Name == ap.App).Ports.ToList() : [];
            return new GenCall(to, g.Chance(0.5) ? null : g.RandomPortRefs(server));
        }
    }
}
