namespace PolicyGen.Check;

public sealed record CheckOptions
{
    /// <summary>
    /// Pods of a managed namespace that no app selects are a warning by default (the default deny
    /// cutting them off may be intended); strict makes them an error.
    /// </summary>
    public bool Strict { get; init; }
}
