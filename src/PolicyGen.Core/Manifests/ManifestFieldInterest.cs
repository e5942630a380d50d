namespace PolicyGen.Manifests;

/// <summary>
/// What <see cref="ManifestLoader"/> reads of each kind (group/Kind), in one place: the fast readers
/// keep these paths and skip the rest (managedFields, status, volumes, env ...), so a cluster dump is
/// read at the speed of its parser. A path missing here is a field the loader never sees: when the
/// loader starts reading a field, add its path to the kind's line. Adding a kind is one line.
/// </summary>
internal static class ManifestFieldInterest
{
    /// <summary>What every object keeps: enough to name it (skipped kinds are named in a warning).</summary>
    private static readonly string[] Identity = ["metadata.name", "metadata.namespace"];

    /// <summary>Who controls an object: a controller whose pods (or ReplicaSets) are in the input is represented by them.</summary>
    private static readonly string[] Owners = ["metadata.ownerReferences[].kind", "metadata.ownerReferences[].name"];

    private static readonly string[] PodSpec = ["containers[].ports", "initContainers[].ports", "hostNetwork"];

    private static readonly Dictionary<string, FieldInterest> ByKind = Build();

    /// <summary>Kinds npgen does not read: their identity only.</summary>
    public static FieldInterest Other { get; } = FieldInterest.Paths(Identity);

    private static Dictionary<string, FieldInterest> Build()
    {
        var byKind = new Dictionary<string, FieldInterest>(StringComparer.Ordinal)
        {
            ["/Namespace"] = FieldInterest.Paths([.. Identity, "metadata.labels"]),
            ["/Pod"] = FieldInterest.Paths([.. Identity, .. Owners, "metadata.labels", .. PodSpec.Select(p => "spec." + p), "status.podIP", "status.podIPs[].ip"]),
            ["networking.k8s.io/NetworkPolicy"] = FieldInterest.Paths([.. Identity, "metadata.labels", "metadata.annotations", "spec"]),
            ["/Node"] = FieldInterest.Paths([.. Identity, "metadata.labels", "status.addresses"]),
            ["policy.networking.k8s.io/AdminNetworkPolicy"] = FieldInterest.Paths([.. Identity, "metadata.labels", "spec"]),
            ["policy.networking.k8s.io/BaselineAdminNetworkPolicy"] = FieldInterest.Paths([.. Identity, "metadata.labels", "spec"]),
            ["policy.networking.k8s.io/ClusterNetworkPolicy"] = FieldInterest.Paths([.. Identity, "metadata.labels", "spec"]),
        };

        // Workloads: the pod template, at the path the loader reads it from, and spec.replicas.
        foreach (var (kind, templatePath) in ManifestLoader.WorkloadTemplatePaths)
        {
            var template = string.Join('.', templatePath);
            byKind[kind] = FieldInterest.Paths([.. Identity, .. Owners, "spec.replicas", $"{template}.metadata.labels", .. PodSpec.Select(p => $"{template}.spec.{p}")]);
        }

        return byKind;
    }

    /// <summary>The paths the loader reads of objects of <paramref name="groupKind"/> (<c>apps/Deployment</c>, <c>/Pod</c>).</summary>
    public static FieldInterest For(string groupKind) => ByKind.TryGetValue(groupKind, out var interest) ? interest : Other;

    /// <summary><c>group/Kind</c> of an apiVersion and kind, as the loader names kinds.</summary>
    public static string GroupKind(string apiVersion, string kind)
    {
        // The fast readers ask for every field of every object; objects of a dump share a few kinds.
        if (lastGroupKind is { } last && last.ApiVersion == apiVersion && last.Kind == kind)
        {
            return last.GroupKind;
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var groupKind = slash < 0 ? "/" + kind : string.Concat(apiVersion.AsSpan(0, slash), "/", kind);
        lastGroupKind = new(apiVersion, kind, groupKind);
        return groupKind;
    }

    /// <summary>The last answer of <see cref="GroupKind"/> (one reference, replaced whole, so readers on other threads see a consistent one).</summary>
    private static LastGroupKind? lastGroupKind;

    private sealed record LastGroupKind(string ApiVersion, string Kind, string GroupKind);
}
