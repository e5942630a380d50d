namespace PolicyGen.Review.Lint.Rules;

/// <summary>
/// NPL006: two ipBlocks of one policy and direction that overlap. Either one is redundant, or the
/// except of one is allowed again by the other (S6.3: policies and peers are a union), so the
/// hole the author cut is not there.
/// </summary>
public sealed class IpBlocksOverlapRule : ILintRule
{
    public IEnumerable<LintFinding> Check(LintContext context)
    {
        foreach (var group in context.Rules.GroupBy(s => (s.Policy, s.Direction)))
        {
            var blocks = group.SelectMany(s => s.Rule.Peers.Select((p, i) => (Site: s, Index: i, Block: p.IpBlock is { } b ? IpBlocks.Parse(b) : null)))
                .Where(x => x.Block is not null).ToList();
            for (var j = 1; j < blocks.Count; j++)
            {
                var later = blocks[j];
                var earlier = blocks.Take(j).FirstOrDefault(x => IpBlocks.Overlap(x.Block!.Cidr, later.Block!.Cidr));
                if (earlier.Block is null)
                {
                    continue;
                }

                var reopened = earlier.Block.Except.Concat(later.Block!.Except).Any(e => IpBlocks.Overlap(e, earlier.Block.Cidr) && IpBlocks.Overlap(e, later.Block.Cidr)
                    && !(earlier.Block.Except.Contains(e) && later.Block.Except.Contains(e)));
                var message = reopened
                    ? $"{later.Block} overlaps {earlier.Block} ({earlier.Site.PeerPath(earlier.Index)}): one block allows what the other excepts, so that hole is not there"
                    : $"{later.Block} overlaps {earlier.Block} ({earlier.Site.PeerPath(earlier.Index)}): the shared addresses are listed twice";
                yield return LintContext.Finding(LintCodes.IpBlocksOverlap, LintSeverity.Warning, later.Site.Policy, later.Site.PeerPath(later.Index) + ".ipBlock",
                    message, "merge the blocks into one, or make them disjoint; an except only holds if no other block of the policies allows the address");
            }
        }
    }
}
