namespace PolicyGen.Model;

/// <summary>Where a cluster-scoped policy sits relative to NetworkPolicy (S18.2).</summary>
public enum ClusterPolicyTier
{
    /// <summary>Before NetworkPolicy: AdminNetworkPolicy, ClusterNetworkPolicy tier Admin.</summary>
    Admin,

    /// <summary>After NetworkPolicy, only for pods no NetworkPolicy isolates: BaselineAdminNetworkPolicy, ClusterNetworkPolicy tier Baseline.</summary>
    Baseline,
}
