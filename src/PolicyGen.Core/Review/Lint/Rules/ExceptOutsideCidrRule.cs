using PolicyGen.Model;

namespace PolicyGen.Review.Lint.Rules;

/// <summary>
/// NPL007: an except that is not a strict subset of its cidr (outside it, equal to it, another
/// family). The API server rejects the policy (S14.7), and the author's hole was never there.
/// </summary>
public sealed class ExceptOutsideCidrRule : ILintRule
{
    public IEnumerable<LintFinding> Check(LintContext context)
    {
        foreach (var site in context.Rules)
        {
            for (var i = 0; i < site.Rule.Peers.Length; i++)
            {
                if (site.Rule.Peers[i].IpBlock is not { } block || !Cidr.TryParse(block.Cidr, out var cidr, out _))
                {
                    continue;
                }

                for (var e = 0; e < block.Except.Length; e++)
                {
                    if (!Cidr.TryParse(block.Except[e], out var except, out _) || cidr.IsStrictSupersetOf(except))
                    {
                        continue;
                    }

                    var why = IpBlocks.Covers(except, cidr) ? "covers the whole cidr" : IpBlocks.Overlap(except, cidr) ? "is not inside the cidr" : "lies outside the cidr";
                    yield return LintContext.Finding(LintCodes.ExceptOutsideCidr, LintSeverity.Error, site.Policy, $"{site.PeerPath(i)}.ipBlock.except[{e}]",
                        $"except {except} {why} {cidr}: the API server rejects this policy",
                        $"write an except inside {cidr} with a longer prefix, or remove it");
                }
            }
        }
    }
}
