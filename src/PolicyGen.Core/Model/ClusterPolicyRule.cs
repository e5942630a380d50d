using System.Collections.Immutable;

namespace PolicyGen.Model;

/// <summary>An ingress or egress rule of a cluster policy; rules are evaluated in the order written (S18.4).</summary>
public sealed record ClusterPolicyRule
{
    /// <summary>The optional <c>name</c> field (at most 100 characters).</summary>
    public string? Name { get; init; }

    /// <summary>The action as written, for validation and messages.</summary>
    public string ActionText { get; init; } = "";

    public ImmutableArray<ClusterPolicyPeer> Peers { get; init; } = [];

    /// <summary>Null when <c>ports</c>/<c>protocols</c> is absent: every port and protocol.</summary>
    public ImmutableArray<ClusterPolicyPort>? Ports { get; init; }

    /// <summary>The action, or null when the text is not one this kind accepts (rejected by validation).</summary>
    public ClusterPolicyAction? Action(ClusterPolicyKind kind) => (kind, ActionText) switch
    {
        (ClusterPolicyKind.ClusterNetworkPolicy, "Accept") => ClusterPolicyAction.Allow,
        (not ClusterPolicyKind.ClusterNetworkPolicy, "Allow") => ClusterPolicyAction.Allow,
        (_, "Deny") => ClusterPolicyAction.Deny,
        (ClusterPolicyKind.BaselineAdminNetworkPolicy, "Pass") => null, // BANP: Allow and Deny only
        (_, "Pass") => ClusterPolicyAction.Pass,
        _ => null,
    };
}
