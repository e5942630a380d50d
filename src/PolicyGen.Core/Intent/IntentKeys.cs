namespace PolicyGen.Intent;

/// <summary>
/// The keys each mapping of the intent file accepts. The binder rejects every other key (NPG300),
/// and the JSON Schema (<c>intent.schema.json</c>) lists exactly these as the properties of the
/// matching object; a test keeps the two in step.
/// </summary>
internal static class IntentKeys
{
    public static readonly string[] RootKeys = ["apiVersion", "kind", "metadata", "spec"];
    /// <summary>Annotations and labels are accepted (and ignored) so the intent can be a kustomize/kpt functionConfig.</summary>
    public static readonly string[] MetadataKeys = ["name", "annotations", "labels"];
    public static readonly string[] SpecKeys = ["defaults", "namespaces", "networks", "podNetwork", "presets", "apps", "expect", "cluster"];
    public static readonly string[] DefaultsKeys = ["defaultDeny", "dns", "everyApp"];
    public static readonly string[] DenyKeys = ["ingress", "egress"];
    public static readonly string[] DnsKeys = ["enabled", "peers"];
    public static readonly string[] NamespaceKeys = ["managed", "labels", "ingress", "calls", "egress", "dns", "everyApp"];

    /// <summary><c>everyApp</c> (under a namespace or <c>defaults</c>): rules copied into every app it covers.</summary>
    public static readonly string[] EveryAppKeys = ["ingress", "calls"];
    public static readonly string[] BlockKeys = ["cidr", "except"];
    public static readonly string[] PresetKeys = ["ingressController", "apiServer"];
    public static readonly string[] ControllerKeys = ["namespace", "podLabels"];
    public static readonly string[] ApiServerKeys = ["networks", "ports"];
    public static readonly string[] AppKeys = ["namespace", "selector", "ports", "ingress", "calls", "egress", "dns"];
    public static readonly string[] IngressRuleKeys = ["from", "ports"];

    /// <summary>The keys of a peer. <c>fqdn</c> is listed so that typos find it; using it is an error (NPG308).</summary>
    public static readonly string[] PeerKeys = ["app", "namespace", "namespaceLabels", "podLabels", "network", "preset", "anywhere", "fqdn"];

    /// <summary>An item of <c>calls:</c> is a peer that may also say which <c>ports</c>.</summary>
    public static readonly string[] CallExtraKeys = ["ports"];

    /// <summary>The keys that say what a peer is; a peer has exactly one (or only <c>podLabels</c>, for the app's own namespace).</summary>
    public static readonly string[] PeerKinds = ["app", "namespace", "namespaceLabels", "network", "preset", "anywhere"];

    public static readonly string[] ExpectKeys = ["from", "to", "port", "allowed"];
}
