namespace PolicyGen.Model;

/// <summary>
/// What a matching cluster policy rule does (S18.3). v1alpha1 writes <c>Allow</c>, v1alpha2
/// <c>Accept</c>; both are <see cref="Allow"/>.
/// </summary>
public enum ClusterPolicyAction
{
    /// <summary>Allowed in this direction; later tiers are not consulted.</summary>
    Allow,

    /// <summary>Denied; later tiers are not consulted.</summary>
    Deny,

    /// <summary>Skip the rest of this tier and hand the decision to the next tier.</summary>
    Pass,
}
