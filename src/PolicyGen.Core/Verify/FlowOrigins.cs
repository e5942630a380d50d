using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// Where a differing flow comes from in the intent, so its error points at a line the user wrote:
/// for a flow the intent allows and the policies deny, the edge that declares it (on the side that
/// denies); for one the policies allow and the intent does not, the intent line behind the rule
/// that allows it (the policies' <c>npgen.dev/rule-sources</c> annotation), or, for a rule no line
/// declares, the app whose policy holds it.
/// </summary>
internal sealed class FlowOrigins(NetworkIntent intent, ImmutableArray<AppConnectivity> apps, WitnessWorld world, ImmutableArray<NetworkPolicy> policies)
{
    private const string RuleSourcesAnnotation = "npgen.dev/rule-sources";
    private const string SourceAnnotation = "npgen.dev/source";

    private readonly Dictionary<string, AppConnectivity> byApp = apps.ToDictionary(a => a.App.Name, StringComparer.Ordinal);
    private Dictionary<string, SourceLocation>? references;
    private Dictionary<string, NetworkPolicy>? byId;

    /// <summary>The location for the flow, and a note for its message when the rule that allows it was declared nowhere.</summary>
    public (SourceLocation? Location, string Note) Of(Witness from, Witness to, PortProbe probe, bool intended, bool intendedEgress, Verdict verdict)
    {
        var egress = from.App is { } a && byApp.TryGetValue(a.Name, out var source) ? source.Outbound.Where(e => Matches(e, to)).ToList() : [];
        var ingress = to.App is { } b && byApp.TryGetValue(b.Name, out var destination) ? destination.Inbound.Where(e => Matches(e, from)).ToList() : [];
        if (intended)
        {
            // The policies deny: the half that denies points at the edge it lost.
            var (blamed, other) = !verdict.Egress.Allowed ? (egress, ingress) : (ingress, egress);
            var (blamedApp, otherApp) = !verdict.Egress.Allowed ? (from.App, to.App) : (to.App, from.App);
            return (First(blamed, probe, blamedApp) ?? First(other, probe, otherApp) ?? intent.Source.Location, "");
        }

        // The policies allow what the intent denies: the half the intent denies holds the rule that is too wide.
        var blameEgress = !intendedEgress;
        var half = blameEgress ? verdict.Egress : verdict.Ingress;
        var direction = blameEgress ? "egress" : "ingress";
        foreach (var rule in half.AllowingRules)
        {
            if (Policy(rule.Policy) is not { } policy)
            {
                continue;
            }

            var owner = policy.Annotations.TryGetValue(SourceAnnotation, out var reference) ? Locate(reference) : null;
            var (listed, declared) = RuleSource(policy, direction, rule.Rule);
            if (listed)
            {
                return (declared ?? owner ?? intent.Source.Location, ""); // a default (DNS) has no line of its own: the app's
            }

            if (policy.Annotations.ContainsKey(RuleSourcesAnnotation) || owner is not null)
            {
                return (owner ?? intent.Source.Location, $"; no line of the intent declares {direction} rule {rule.Rule} of {policy.Id}: a template added it");
            }
        }

        var (first, second) = blameEgress ? (egress, ingress) : (ingress, egress);
        var (firstApp, secondApp) = blameEgress ? (from.App, to.App) : (to.App, from.App);
        return (First(first, null, firstApp) ?? First(second, null, secondApp) ?? intent.Source.Location, "");
    }

    private bool Matches(Edge edge, Witness witness) => PeerMatching.Matches(edge.Peer, witness, world);

    /// <summary>
    /// The line of the first edge that carries the probe (any edge when <paramref name="probe"/> is
    /// null). DNS is on by default, with no line of its own unless spec.defaults.dns is written: then
    /// the app's.
    /// </summary>
    private SourceLocation? First(List<Edge> edges, PortProbe? probe, App? app)
    {
        foreach (var edge in edges)
        {
            if (probe is null || edge.Ports.IsEmpty || edge.Ports.Any(r => r.Contains(probe.Protocol, probe.Port)))
            {
                return edge.IsDns && intent.Dns.Source is null && app is not null ? app.Source.Location : edge.Source.Location;
            }
        }

        return probe is null ? null : First(edges, null, app);
    }

    private NetworkPolicy? Policy(string id)
    {
        byId ??= policies.GroupBy(p => p.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return byId.GetValueOrDefault(id);
    }

    /// <summary>The intent line of rule <paramref name="index"/> in a direction, from the policy's <c>npgen.dev/rule-sources</c> (<c>egress[0]=intents.yaml#/spec/apps/api/calls/0, ...</c>).</summary>
    private (bool Listed, SourceLocation? Location) RuleSource(NetworkPolicy policy, string direction, int index)
    {
        if (!policy.Annotations.TryGetValue(RuleSourcesAnnotation, out var text))
        {
            return (false, null);
        }

        var prefix = $"{direction}[{index}]=";
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (true, Locate(entry[prefix.Length..]));
            }
        }

        return (false, null);
    }

    /// <summary>The line of an intent reference (<c>intents.yaml#/spec/apps/api/calls/0</c>).</summary>
    private SourceLocation? Locate(string reference)
    {
        if (references is null)
        {
            references = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
            // Default DNS edges carry the intent's own line: no reference, so the app's line is used instead.
            var sources = apps.SelectMany(a => a.Inbound.Concat(a.Outbound).Where(e => !e.IsDns || intent.Dns.Source is not null).Select(e => e.Source).Append(a.App.Source))
                .Concat(intent.Namespaces.Select(n => n.Source))
                .Append(intent.Dns.Source)
                .OfType<IntentSource>();
            foreach (var source in sources)
            {
                references.TryAdd(source.Reference, source.Location);
            }
        }

        return references.GetValueOrDefault(reference);
    }
}
