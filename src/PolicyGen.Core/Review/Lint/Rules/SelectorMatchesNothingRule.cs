using PolicyGen.Model;

namespace PolicyGen.Review.Lint.Rules;

/// <summary>
/// NPL001: a pod selector (the policy's own, or a peer's) that matches no pod or workload of the
/// inputs: a typo, or pods that run elsewhere. Judged only where the inputs hold pods to match.
/// </summary>
public sealed class SelectorMatchesNothingRule : ILintRule
{
    public IEnumerable<LintFinding> Check(LintContext context)
    {
        if (!context.HasEndpoints)
        {
            yield break;
        }

        foreach (var policy in context.Cluster.Policies)
        {
            if (!policy.PodSelector.IsEmpty && context.EndpointsIn(policy.Namespace).Any() && !context.Selected(policy).Any())
            {
                yield return LintContext.Finding(LintCodes.PodSelectorMatchesNothing, LintSeverity.Warning, policy, "spec.podSelector",
                    $"selects no pod or workload of namespace {policy.Namespace} ({policy.PodSelector.CanonicalText()}): the policy does nothing",
                    Closest(context.EndpointsIn(policy.Namespace), policy.PodSelector));
            }
        }

        foreach (var site in context.Rules)
        {
            for (var i = 0; i < site.Rule.Peers.Length; i++)
            {
                var peer = site.Rule.Peers[i];
                if (peer.PodSelector is not { IsEmpty: false } selector || context.PeerPods(site.Policy, peer).Any())
                {
                    continue;
                }

                // Only where the namespaces the peer reaches hold pods in the inputs: otherwise nothing can be said.
                var reachable = ReachableEndpoints(context, site.Policy, peer).ToList();
                if (reachable.Count == 0)
                {
                    continue;
                }

                yield return LintContext.Finding(LintCodes.PodSelectorMatchesNothing, LintSeverity.Warning, site.Policy, site.PeerPath(i) + ".podSelector",
                    $"matches no pod or workload{Where(site.Policy, peer)} ({selector.CanonicalText()}): this peer allows nothing",
                    Closest(reachable, selector));
            }
        }
    }

    private static IEnumerable<Endpoint> ReachableEndpoints(LintContext context, NetworkPolicy policy, PolicyPeer peer)
        => peer.NamespaceSelector is { } ns
            ? context.Cluster.Endpoints.Where(e => ns.Matches(context.NamespaceLabels(e.Namespace)))
            : context.EndpointsIn(policy.Namespace);

    private static string Where(NetworkPolicy policy, PolicyPeer peer)
        => peer.NamespaceSelector is null ? $" in namespace {policy.Namespace}" : " in the namespaces its namespaceSelector matches";

    /// <summary>Names the pod whose labels are closest to the selector, as a did-you-mean.</summary>
    private static string Closest(IEnumerable<Endpoint> endpoints, LabelSelector selector)
    {
        var wanted = selector.CanonicalText();
        var best = endpoints.Select(e => (Endpoint: e, Labels: Labels.Format(e.Labels)))
            .Where(x => x.Labels.Length > 0)
            .MinBy(x => Diagnostics.EditDistance.Between(wanted, x.Labels));
        return best.Endpoint is null
            ? "correct the selector, or pass the manifests of the pods it should select with -f"
            : $"correct the selector, or pass the manifests of the pods it should select with -f; closest: {best.Endpoint.Id} ({best.Endpoint.Kind}) has {best.Labels}";
    }
}
