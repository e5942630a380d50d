using PolicyGen.Model;

namespace PolicyGen.Review.Lint;

/// <summary>CIDR arithmetic the ipBlock rules share.</summary>
public static class IpBlocks
{
    /// <summary>The block with its parsable excepts, or null when its cidr does not parse (npgen validate reports that).</summary>
    public static ParsedIpBlock? Parse(IpBlock block)
    {
        if (!Cidr.TryParse(block.Cidr, out var cidr, out _))
        {
            return null;
        }

        var except = block.Except.Select(e => Cidr.TryParse(e, out var c, out _) ? c : (Cidr?)null).OfType<Cidr>();
        return new ParsedIpBlock(cidr, [.. except]);
    }

    public static bool Overlap(Cidr a, Cidr b)
        => a.Family == b.Family && a.Network <= b.Last && b.Network <= a.Last;

    /// <summary>Every address of <paramref name="inner"/> lies in <paramref name="outer"/>.</summary>
    public static bool Covers(Cidr outer, Cidr inner)
        => outer.Family == inner.Family && outer.Network <= inner.Network && inner.Last <= outer.Last;

    /// <summary>
    /// Every address <paramref name="inner"/> matches, <paramref name="outer"/> matches too: its cidr
    /// is inside, and every hole of the outer block that touches it is a hole of the inner one too.
    /// </summary>
    public static bool Covers(ParsedIpBlock outer, ParsedIpBlock inner)
        => Covers(outer.Cidr, inner.Cidr)
            && outer.Except.Where(e => Overlap(e, inner.Cidr)).All(e => inner.Except.Any(i => Covers(i, e)));
}
