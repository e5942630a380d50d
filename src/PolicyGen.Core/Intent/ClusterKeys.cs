namespace PolicyGen.Intent;

/// <summary>The keys of <c>spec.cluster</c> and its mappings; the JSON Schema lists exactly these (a test keeps them in step).</summary>
internal static class ClusterKeys
{
    public static readonly string[] SectionKeys = ["output", "priority", "exempt", "baselineDeny", "dns", "monitoring", "protectedNamespaces"];
    public static readonly string[] ExemptKeys = ["namespaces", "namespaceLabels"];
    public static readonly string[] DenyKeys = ["ingress", "egress"];
    public static readonly string[] MonitoringKeys = ["from", "ports"];
    public static readonly string[] MonitoringPeerKeys = ["app", "namespace", "namespaceLabels", "podLabels"];
}
