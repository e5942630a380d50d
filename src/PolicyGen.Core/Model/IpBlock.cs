using System.Collections.Immutable;

namespace PolicyGen.Model;

/// <summary>An <c>ipBlock</c> peer as written; CIDR text is parsed and checked by validation (S14.7).</summary>
public sealed record IpBlock(string Cidr, ImmutableArray<string> Except);
