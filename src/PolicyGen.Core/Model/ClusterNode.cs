using System.Collections.Immutable;
using System.Net;
using PolicyGen.Diagnostics;

namespace PolicyGen.Model;

/// <summary>A v1 Node: only its labels and <c>status.addresses</c> matter, for <c>nodes</c> egress peers (S18.6).</summary>
public sealed record ClusterNode(string Name, ImmutableSortedDictionary<string, string> Labels, ImmutableArray<IPAddress> Addresses, SourceLocation? Location);
