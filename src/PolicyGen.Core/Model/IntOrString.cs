namespace PolicyGen.Model;

/// <summary>
/// A Kubernetes int-or-string port: a plain YAML integer is a number, anything else (including a
/// quoted "80") is a name, exactly as the API server reads it.
/// </summary>
public sealed record IntOrString
{
    private IntOrString(int? number, string? name) => (Number, Name) = (number, name);

    public int? Number { get; }
    public string? Name { get; }

    public static IntOrString FromNumber(int number) => new(number, null);
    public static IntOrString FromName(string name) => new(null, name);

    public override string ToString() => Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Name!;
}
