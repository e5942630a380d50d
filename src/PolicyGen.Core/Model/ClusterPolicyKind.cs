namespace PolicyGen.Model;

/// <summary>The cluster-scoped policy kinds of policy.networking.k8s.io (S18.1).</summary>
public enum ClusterPolicyKind
{
    /// <summary>v1alpha1 AdminNetworkPolicy: admin tier, actions Allow, Deny, Pass.</summary>
    AdminNetworkPolicy,

    /// <summary>v1alpha1 BaselineAdminNetworkPolicy: baseline tier, actions Allow, Deny; one object named <c>default</c>.</summary>
    BaselineAdminNetworkPolicy,

    /// <summary>v1alpha2 ClusterNetworkPolicy: tier Admin or Baseline, actions Accept, Deny, Pass.</summary>
    ClusterNetworkPolicy,
}
