namespace PolicyGen.Review.Lint;

/// <summary>The object a finding is about: <c>NetworkPolicy shop/web</c>, <c>Deployment shop/api</c>.</summary>
public sealed record LintObject(string Kind, string Namespace, string Name)
{
    public override string ToString() => Name.Length == 0 ? Kind : $"{Kind} {Namespace}/{Name}";
}
