namespace PolicyGen.Commit;

/// <summary>The name and e-mail address a commit is authored and committed by.</summary>
public sealed record GitIdentity(string Name, string Email)
{
    public const string DefaultName = "npgen-bot";
    public const string DefaultEmail = "npgen-bot@noreply.invalid";

    public static GitIdentity Default { get; } = new(DefaultName, DefaultEmail);

    public override string ToString() => $"{Name} <{Email}>";
}
