using PolicyGen.Model;

namespace PolicyGen.Review.Lint;

/// <summary>
/// Whether one rule allows at least everything another allows, decided on the text of the rules
/// (selectors, blocks, ports), so it holds for every cluster, not only the manifests at hand. It
/// answers "yes" only when sure: a broader rule it cannot prove broader is not reported.
/// </summary>
public static class RuleCoverage
{
    /// <summary>Every connection <paramref name="inner"/> matches, <paramref name="outer"/> matches too (both in one namespace and direction).</summary>
    public static bool Covers(LintContext context, string ns, PolicyRule outer, PolicyRule inner)
        => PeersCover(context, ns, outer, inner) && PortsCover(outer, inner);

    /// <summary>Every pod <paramref name="inner"/> selects, <paramref name="outer"/> selects (S5.1: terms are ANDed, so fewer terms select more).</summary>
    public static bool Covers(LabelSelector outer, LabelSelector inner)
        => outer.IsEmpty
            || outer.CanonicalText() == inner.CanonicalText()
            || (outer.MatchExpressions.IsEmpty && outer.MatchLabels.All(l => inner.MatchLabels.TryGetValue(l.Key, out var v) && v == l.Value));

    private static bool PeersCover(LintContext context, string ns, PolicyRule outer, PolicyRule inner)
    {
        if (outer.Peers.IsEmpty)
        {
            return true;
        }

        return !inner.Peers.IsEmpty && inner.Peers.All(b => outer.Peers.Any(a => Covers(context, ns, a, b)));
    }

    public static bool Covers(LintContext context, string ns, PolicyPeer outer, PolicyPeer inner)
    {
        if (outer.IpBlock is { } outerBlock)
        {
            return inner.IpBlock is { } innerBlock && IpBlocks.Parse(outerBlock) is { } a && IpBlocks.Parse(innerBlock) is { } b && IpBlocks.Covers(a, b);
        }

        if (inner.IpBlock is not null)
        {
            return false;
        }

        var namespaces = outer.NamespaceSelector switch
        {
            null => inner.NamespaceSelector is null,
            { } selector => inner.NamespaceSelector is { } innerNs ? Covers(selector, innerNs) : selector.Matches(context.NamespaceLabels(ns)),
        };
        var pods = outer.PodSelector is null || (inner.PodSelector is { } innerPods && Covers(outer.PodSelector, innerPods));
        return namespaces && pods;
    }

    private static bool PortsCover(PolicyRule outer, PolicyRule inner)
    {
        if (outer.Ports.IsEmpty)
        {
            return true;
        }

        return !inner.Ports.IsEmpty && inner.Ports.All(b => outer.Ports.Any(a => Covers(a, b)));
    }

    private static bool Covers(PolicyPort outer, PolicyPort inner)
    {
        if (ProtocolOf(outer) != ProtocolOf(inner))
        {
            return false;
        }

        if (outer.Port is null)
        {
            return true;
        }

        if (inner.Port is null)
        {
            return false;
        }

        if (outer.Port.Name is { } name)
        {
            return inner.Port.Name == name;
        }

        if (inner.Port.Number is not { } low)
        {
            return false;
        }

        var outerLow = outer.Port.Number!.Value;
        return outerLow <= low && (inner.EndPort ?? low) <= (outer.EndPort ?? outerLow);
    }

    /// <summary>S7.1: an omitted protocol is TCP.</summary>
    public static string ProtocolOf(PolicyPort port) => port.Protocol ?? "TCP";
}
