using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using static PolicyGen.Intent.IntentKeys;

namespace PolicyGen.Intent;

/// <summary>
/// <c>everyApp</c> of a namespace or of <c>defaults</c>: rules bound once the app headers are known
/// (<see cref="Add"/>), then copied into every app they cover (<see cref="Expand"/>).
/// </summary>
internal sealed class EveryAppBinder(IntentNodeReader reader, PeerBinder peers, RuleBinder rules)
{
    /// <summary>
    /// Stands for "the namespace of the app the rule is copied into" in a <c>{podLabels}</c> peer of
    /// <c>defaults.everyApp</c> (not a valid namespace name, so it cannot clash with one).
    /// </summary>
    private const string EachAppsNamespace = "";

    /// <summary>Each namespace's own first, then the intent-wide ones: the order they are added in.</summary>
    private readonly List<EveryAppRules> everyApp = [];

    /// <summary>A port of an everyApp ingress rule: a number, or a name resolved against each app's ports.</summary>
    private sealed record PortRef(PortRange? Range, ScalarNode? Name);

    private sealed record EveryAppIngress(ImmutableArray<Peer> From, ImmutableArray<PortRef>? Ports, string PortsWhat, IntentSource Source);

    /// <summary><c>everyApp</c> of one namespace (<see cref="Namespace"/>) or of the whole intent (null).</summary>
    private sealed record EveryAppRules(string What, string? Namespace,
        ImmutableArray<EveryAppIngress> Ingress, bool IngressDeclared, SourceNode? IngressNode,
        ImmutableArray<Call> Calls, bool CallsDeclared, SourceNode? CallsNode);

    /// <summary>Binds one <c>everyApp</c> mapping, of namespace <paramref name="ns"/> or (null) of the whole intent.</summary>
    public void Add(SourceNode node, string pointer, string what, string? ns, NetworkIntent intent)
    {
        if (reader.Map(node, what, EveryAppKeys) is not { } map)
        {
            return;
        }

        var own = ns ?? EachAppsNamespace;
        var (shapes, _, ingressDeclared) = rules.BindIngressShapes(map["ingress"], what, pointer, null, intent, own, noneAllowed: false);
        var ingress = ImmutableArray.CreateBuilder<EveryAppIngress>();
        foreach (var shape in shapes)
        {
            ImmutableArray<PortRef>? ports = null;
            if (shape.Ports is { } portsNode)
            {
                ports = [.. reader.Seq(portsNode, shape.What)
                    .Select(item => IntentNodeReader.IsPortName(item) ? new PortRef(null, (ScalarNode)item) : new PortRef(reader.ParsePortRange(item, shape.What), null))
                    .Where(p => p.Range is not null || p.Name is not null)];
            }

            ingress.Add(new EveryAppIngress(shape.From, ports, shape.What, shape.Source));
        }

        var (calls, callsDeclared) = rules.BindCalls(map["calls"], what, pointer, null, intent, own);
        everyApp.Add(new EveryAppRules(what, ns, ingress.ToImmutable(), ingressDeclared, map["ingress"], calls, callsDeclared, map["calls"]));
    }

    /// <summary>
    /// Appends the everyApp rules to each app they cover, as if written in the app: its ports resolve
    /// a rule's port names, and the rules isolate it. A name an app lacks is an error naming those apps.
    /// </summary>
    public ImmutableArray<App> Expand(ImmutableArray<App> apps)
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
                app = AddIngress(app, rules, lacking);
                app = AddCalls(app, rules);
            }

            result.Add(app);
        }

        foreach (var (node, (what, names)) in lacking)
        {
            reader.Error(DiagnosticCodes.EveryAppPortUndeclared,
                $"{what}: {(names.Count == 1 ? "app" : "apps")} {string.Join(", ", names.Select(n => $"\"{n}\""))} {(names.Count == 1 ? "declares" : "declare")} no port named \"{node.Value}\"", node,
                $"declare it under the ports of {string.Join(", ", names)} (e.g. ports: {{{node.Value}: 9090/TCP}}), or write the number (e.g. 9090/TCP)");
        }

        return result.MoveToImmutable();
    }

    private App AddIngress(App app, EveryAppRules rules, Dictionary<ScalarNode, (string What, List<string> Apps)> lacking)
    {
        if (!rules.Ingress.IsEmpty && app.IngressNone)
        {
            reader.Error(DiagnosticCodes.EveryAppContradiction, $"{rules.What}: ingress rules for every app, but app \"{app.Name}\" has ingress: none", rules.IngressNode!,
                $"remove ingress: none from {app.Name} (it then accepts only these rules and its edges), or move the rule from {rules.What} to the apps that need it");
            return app;
        }

        if (!rules.IngressDeclared && rules.Ingress.IsEmpty)
        {
            return app;
        }

        var added = rules.Ingress.Select(r => new IngressRule(
            [.. r.From.Select(p => InApp(p, app))],
            r.Ports is { } ports ? Resolve(ports, app, r.PortsWhat, lacking) : [],
            r.Source));
        return app with { Ingress = app.Ingress.AddRange(added), IngressDeclared = true };
    }

    private App AddCalls(App app, EveryAppRules rules)
    {
        if (!rules.Calls.IsEmpty && app.EgressNone)
        {
            reader.Error(DiagnosticCodes.EveryAppContradiction, $"{rules.What}: calls for every app, but app \"{app.Name}\" has egress: none", rules.CallsNode!,
                $"remove egress: none from {app.Name}, or move the call from {rules.What} to the apps that need it");
            return app;
        }

        return rules.CallsDeclared || !rules.Calls.IsEmpty
            ? app with { Calls = app.Calls.AddRange(rules.Calls.Select(c => c with { To = InApp(c.To, app) })), CallsDeclared = true }
            : app;
    }

    /// <summary>The rule's ports for <paramref name="app"/>; a name it lacks is noted in <paramref name="lacking"/>, reported once per name.</summary>
    private ImmutableArray<PortRange> Resolve(ImmutableArray<PortRef> ports, App app, string what, Dictionary<ScalarNode, (string What, List<string> Apps)> lacking)
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
            else if (!peers.IsMistyped(app.Name, port.Name.Value))
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

    /// <summary>A <c>{podLabels}</c> peer of <c>defaults.everyApp</c>, placed in the namespace of the app it is copied into.</summary>
    private static Peer InApp(Peer peer, App app)
        => peer is NamespacePeer { Namespace: EachAppsNamespace } n ? n with { Namespace = app.Namespace } : peer;
}
