namespace PolicyGen.Model;

/// <summary>
/// One <c>ports</c> entry. The protocol stays as written (null when omitted: TCP by S7.1) so that
/// validation can report a lower-case <c>tcp</c> instead of silently fixing it.
/// </summary>
public sealed record PolicyPort
{
    public string? Protocol { get; init; }
    public IntOrString? Port { get; init; }
    public int? EndPort { get; init; }
}
