using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PolicyGen.Yaml;

/// <summary>
/// The one way a template may write a string: plain when YAML reads it back as the same string
/// (in YAML 1.1 and 1.2), double-quoted with JSON escapes otherwise. A label value such as
/// <c>a: b\n- x</c> therefore stays one string and cannot add structure.
/// </summary>
public static partial class YamlQuoting
{
    public static string Quote(string? value)
    {
        value ??= "";
        if (SafePlain().IsMatch(value) && !LooksLikeOtherType().IsMatch(value))
        {
            return value;
        }

        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (Diagnostics.TextEscaping.IsUnsafe(c)) // controls, line separators, bidi overrides: never raw
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    /// <summary>Letters, digits and the punctuation of names, labels, CIDRs and source references ('#' starts a comment only after a space).</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/#-]*$")]
    private static partial Regex SafePlain();

    /// <summary>
    /// Plain scalars YAML would read as a number, boolean or null: YAML 1.1 included, and go-yaml's
    /// integers (kubectl's reader: 0b101, 0X1F and 0O17 are numbers there).
    /// </summary>
    [GeneratedRegex(@"^([-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_:]*|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|\.inf|\.nan)$")]
    private static partial Regex LooksLikeOtherType();
}
