namespace PolicyGen.Review.Lint.Rules;

/// <summary>
/// NPL005: an ipBlock that contains the addresses of pods in the inputs. It matches them (S6.2),
/// but network plugins disagree on ipBlocks for pod traffic (S16), and a block meant for the
/// outside silently opens the cluster's own pods.
/// </summary>
public sealed class IpBlockHoldsPodsRule : ILintRule
{
    public IEnumerable<LintFinding> Check(LintContext context)
    {
        foreach (var site in context.Rules)
        {
            for (var i = 0; i < site.Rule.Peers.Length; i++)
            {
                if (site.Rule.Peers[i].IpBlock is not { } block || IpBlocks.Parse(block) is not { } parsed)
                {
                    continue;
                }

                var pods = context.Cluster.Endpoints.Where(e => e.Addresses.Any(parsed.Contains)).ToList();
                if (pods.Count == 0)
                {
                    continue;
                }

                var first = pods[0];
                yield return LintContext.Finding(LintCodes.IpBlockHoldsPods, LintSeverity.Warning, site.Policy, site.PeerPath(i) + ".ipBlock",
                    $"{parsed} contains the address of {pods.Count} pod{(pods.Count == 1 ? "" : "s")} ({first.Id} at {first.Addresses.First(parsed.Contains)}{(pods.Count > 1 ? ", ..." : "")}): it matches them, and plugins disagree on ipBlocks for pod traffic",
                    "select pods with podSelector/namespaceSelector, and add the pod network to the block's except list");
            }
        }
    }
}
