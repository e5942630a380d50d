using PolicyGen.Diagnostics;

namespace PolicyGen.Manifests;

/// <summary>An object of a kind npgen does not read (a Service, a ConfigMap) or does not model (a CiliumNetworkPolicy): named in a warning, never silently dropped.</summary>
public sealed record SkippedObject(string ApiVersion, string Kind, string? Name, SourceLocation Location);
