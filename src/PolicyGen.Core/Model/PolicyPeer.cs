namespace PolicyGen.Model;

/// <summary>
/// One <c>from</c>/<c>to</c> entry. A null selector means the field is absent, which is not the
/// same as <c>{}</c> (S5.1, S5.2).
/// </summary>
public sealed record PolicyPeer
{
    public LabelSelector? PodSelector { get; init; }
    public LabelSelector? NamespaceSelector { get; init; }
    public IpBlock? IpBlock { get; init; }
}
