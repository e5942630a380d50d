using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Model;

/// <summary>
/// An AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy
/// (policy.networking.k8s.io), kept close to how it was written (S18).
/// </summary>
public sealed record ClusterPolicy
{
    public required ClusterPolicyKind Kind { get; init; }
    public required string ApiVersion { get; init; }
    public required string Name { get; init; }

    /// <summary>v1alpha2 <c>spec.tier</c> as written; null for the v1alpha1 kinds (their kind is the tier).</summary>
    public string? TierText { get; init; }

    /// <summary><c>spec.priority</c>; null when absent (BaselineAdminNetworkPolicy has none).</summary>
    public int? Priority { get; init; }

    public ClusterPolicyPeer Subject { get; init; } = new();
    public ImmutableArray<ClusterPolicyRule> Ingress { get; init; } = [];
    public ImmutableArray<ClusterPolicyRule> Egress { get; init; } = [];

    public SourceLocation? Location { get; init; }

    /// <summary>Where each field was written, keyed by its path (<c>spec.egress[0].to[1].networks[0]</c>).</summary>
    public ImmutableDictionary<string, SourceLocation> FieldLocations { get; init; } =
        ImmutableDictionary<string, SourceLocation>.Empty;

    public ClusterPolicyTier Tier => Kind switch
    {
        ClusterPolicyKind.AdminNetworkPolicy => ClusterPolicyTier.Admin,
        ClusterPolicyKind.BaselineAdminNetworkPolicy => ClusterPolicyTier.Baseline,
        _ => TierText == "Baseline" ? ClusterPolicyTier.Baseline : ClusterPolicyTier.Admin,
    };

    /// <summary><c>Kind/name</c>: cluster-scoped, so the kind tells two policies of one name apart.</summary>
    public string Id => $"{Kind}/{Name}";

    public ImmutableArray<ClusterPolicyRule> Rules(PolicyDirection direction)
        => direction == PolicyDirection.Ingress ? Ingress : Egress;

    /// <summary>The location of a field, or of its nearest written ancestor, or of the object.</summary>
    public SourceLocation? LocationOf(string path)
    {
        for (var p = path; p.Length > 0; p = Parent(p))
        {
            if (FieldLocations.TryGetValue(p, out var location))
            {
                return location;
            }
        }

        return Location;

        static string Parent(string p)
        {
            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            return cut <= 0 ? "" : p[..cut];
        }
    }
}
