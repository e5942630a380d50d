using System.Globalization;
using System.Text.RegularExpressions;

namespace PolicyGen.Validation;

/// <summary>
/// The name, label and port-name checks of apimachinery (<c>k8s.io/apimachinery/pkg/util/validation</c>)
/// used by S14. Each <c>IsX</c> answers yes or no; each <c>XErrors</c> returns the reasons, worded as
/// the API server words them (empty when the value is valid).
/// </summary>
public static partial class KubernetesNames
{
    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;
    public const int QualifiedNameMaxLength = 63;
    public const int LabelValueMaxLength = 63;
    public const int IanaSvcNameMaxLength = 15;

    private const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        + "and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')";

    private const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
        + "and must start and end with an alphanumeric character (e.g. 'example.com')";

    private const string QualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', "
        + "and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')";

    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
        + "and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')";

    /// <summary>S14.1: at most 63 characters of <c>[a-z0-9-]</c>, alphanumeric at both ends (namespace names).</summary>
    public static bool IsDns1123Label(string value) => Dns1123LabelErrors(value).Count == 0;

    public static IReadOnlyList<string> Dns1123LabelErrors(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= Dns1123LabelMaxLength && Dns1123Label().IsMatch(value))
        {
            return []; // valid: the common case allocates nothing
        }

        var errors = new List<string>();
        if (value.Length > Dns1123LabelMaxLength)
        {
            errors.Add(MaxLengthError(Dns1123LabelMaxLength));
        }

        if (!Dns1123Label().IsMatch(value))
        {
            errors.Add(Dns1123LabelMessage);
        }

        return errors;
    }

    /// <summary>
    /// S14.1: at most 253 characters; dot-separated labels of <c>[a-z0-9-]</c>, each alphanumeric at
    /// both ends (object names, label key prefixes).
    /// </summary>
    public static bool IsDns1123Subdomain(string value) => Dns1123SubdomainErrors(value).Count == 0;

    public static IReadOnlyList<string> Dns1123SubdomainErrors(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsValidSubdomain(value))
        {
            return [];
        }

        var errors = new List<string>();
        if (value.Length > Dns1123SubdomainMaxLength)
        {
            errors.Add(MaxLengthError(Dns1123SubdomainMaxLength));
        }

        if (!Dns1123Subdomain().IsMatch(value))
        {
            errors.Add(Dns1123SubdomainMessage);
        }

        return errors;
    }

    /// <summary>
    /// S14.8: a label key, <c>[prefix/]name</c>. The prefix is a DNS-1123 subdomain; the name is 1-63
    /// characters of <c>[A-Za-z0-9._-]</c>, alphanumeric at both ends.
    /// </summary>
    public static bool IsQualifiedName(string value) => QualifiedNameErrors(value).Count == 0;

    public static IReadOnlyList<string> QualifiedNameErrors(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 ? IsValidNamePart(value)
            : slash > 0 && value.IndexOf('/', slash + 1) < 0 && IsValidSubdomain(value.AsSpan(0, slash)) && IsValidNamePart(value.AsSpan(slash + 1)))
        {
            return []; // valid: no split, no lists
        }

        var errors = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                var prefix = parts[0];
                name = parts[1];
                if (prefix.Length == 0)
                {
                    errors.Add("prefix part must be non-empty");
                }
                else
                {
                    errors.AddRange(Dns1123SubdomainErrors(prefix).Select(e => "prefix part " + e));
                }

                break;
            default:
                errors.Add("a qualified name " + QualifiedNameMessage
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
        }

        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
            return errors;
        }

        if (name.Length > QualifiedNameMaxLength)
        {
            errors.Add("name part " + MaxLengthError(QualifiedNameMaxLength));
        }

        if (!QualifiedNamePart().IsMatch(name))
        {
            errors.Add("name part " + QualifiedNameMessage);
        }

        return errors;
    }

    /// <summary>S14.8: a label value, empty or at most 63 characters of <c>[A-Za-z0-9._-]</c>, alphanumeric at both ends.</summary>
    public static bool IsLabelValue(string value) => LabelValueErrors(value).Count == 0;

    public static IReadOnlyList<string> LabelValueErrors(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0 || (value.Length <= LabelValueMaxLength && QualifiedNamePart().IsMatch(value)))
        {
            return [];
        }

        var errors = new List<string>();
        if (value.Length > LabelValueMaxLength)
        {
            errors.Add(MaxLengthError(LabelValueMaxLength));
        }

        if (value.Length > 0 && !QualifiedNamePart().IsMatch(value))
        {
            errors.Add(LabelValueMessage);
        }

        return errors;
    }

    /// <summary>
    /// S14.5: an IANA_SVC_NAME (named port): at most 15 characters of <c>[a-z0-9-]</c>, at least one
    /// letter, no leading or trailing '-', no "--".
    /// </summary>
    public static bool IsIanaSvcName(string value) => IanaSvcNameErrors(value).Count == 0;

    public static IReadOnlyList<string> IanaSvcNameErrors(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new List<string>();
        if (value.Length > IanaSvcNameMaxLength)
        {
            errors.Add(MaxLengthError(IanaSvcNameMaxLength));
        }

        if (value.Length == 0 || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            errors.Add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }

        if (!value.Any(char.IsAsciiLetterLower))
        {
            errors.Add("must contain at least one letter (a-z)");
        }

        if (value.Contains("--", StringComparison.Ordinal))
        {
            errors.Add("must not contain consecutive hyphens");
        }

        if (value.Length > 0 && (value[0] == '-' || value[^1] == '-'))
        {
            errors.Add("must not begin or end with a hyphen");
        }

        return errors;
    }

    /// <summary>No error from <see cref="Dns1123SubdomainErrors"/>.</summary>
    private static bool IsValidSubdomain(ReadOnlySpan<char> value)
        => value.Length <= Dns1123SubdomainMaxLength && Dns1123Subdomain().IsMatch(value);

    /// <summary>No error for the name part of <see cref="QualifiedNameErrors"/>.</summary>
    private static bool IsValidNamePart(ReadOnlySpan<char> name)
        => name.Length is > 0 and <= QualifiedNameMaxLength && QualifiedNamePart().IsMatch(name);

    private static string MaxLengthError(int length)
        => $"must be no more than {length.ToString(CultureInfo.InvariantCulture)} characters";

    // \A and \z, not ^ and $: in .NET '$' also matches before a final '\n'.
    [GeneratedRegex(@"\A[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"\A[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex(@"\A([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\z")]
    private static partial Regex QualifiedNamePart();
}
