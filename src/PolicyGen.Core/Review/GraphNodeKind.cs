namespace PolicyGen.Review;

/// <summary>What a node of a connectivity picture stands for; each kind is drawn in its own shape and style.</summary>
public enum GraphNodeKind
{
    /// <summary>An app or pod that policies isolate in both directions: only drawn edges are allowed.</summary>
    Isolated,

    /// <summary>Isolated for ingress only: it may call anything.</summary>
    IngressIsolated,

    /// <summary>Isolated for egress only: anything may call it.</summary>
    EgressIsolated,

    /// <summary>No policy isolates it: it accepts and makes any connection.</summary>
    Open,

    /// <summary>Pods a rule names by labels (in a namespace, or in namespaces with some labels).</summary>
    Peer,

    /// <summary>Addresses outside the cluster: a named network, an ipBlock, anywhere.</summary>
    Network,

    /// <summary>A preset: the ingress controller, the API server, DNS.</summary>
    Preset,
}
