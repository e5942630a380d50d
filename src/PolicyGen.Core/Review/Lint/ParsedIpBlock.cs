using System.Collections.Immutable;
using System.Net;
using PolicyGen.Model;

namespace PolicyGen.Review.Lint;

/// <summary>An ipBlock whose CIDRs parse: inside <see cref="Cidr"/> and inside none of <see cref="Except"/> (S6.1).</summary>
public sealed record ParsedIpBlock(Cidr Cidr, ImmutableArray<Cidr> Except)
{
    public bool Contains(IPAddress address)
        => Cidr.Contains(address) && !Except.Any(e => e.Contains(address));

    public override string ToString()
        => Except.IsEmpty ? Cidr.ToString() : $"{Cidr} except {string.Join(", ", Except)}";
}
