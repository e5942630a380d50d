using System.Collections.Immutable;

namespace PolicyGen.Intent;

/// <summary>An ingress rule before its ports are resolved: the port names' meaning depends on whose rule it is.</summary>
internal sealed record IngressRuleShape(ImmutableArray<Peer> From, SourceNode? Ports, string What, IntentSource Source);
