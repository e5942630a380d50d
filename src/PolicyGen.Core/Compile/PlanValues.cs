using System.Globalization;
using System.Text;

namespace PolicyGen.Compile;

/// <summary>
/// The values of one plan's render model, taken out of it: the model the template sees holds a
/// numbered placeholder for every non-empty string and non-zero number, and <see cref="Shape"/>
/// records everything else a template can branch on (which values are null, empty or zero, the
/// length of every list). Two plans with the same shape render the stock templates to the same
/// text up to the values, so one rendering of the shape serves them all (<see cref="RenderFrame"/>).
/// </summary>
internal sealed class PlanValues
{
    /// <summary>Opens and closes a placeholder in rendered text; no value that holds it is taken out.</summary>
    public const char Mark = '\u0001';

    private readonly StringBuilder shape = new();
    private readonly List<string> values = [];

    /// <summary>False when a value holds a character the placeholders or line-ending normalisation would misread: such a plan renders through Scriban.</summary>
    public bool Framable { get; private set; } = true;

    public string Shape => shape.ToString();

    public IReadOnlyList<string> Values => values;

    public void Template(string name) => shape.Append(name).Append(':');

    public void Count(int length) => shape.Append('#').Append(length.ToString(CultureInfo.InvariantCulture));

    public object? Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            shape.Append(value is null ? 'n' : 'e');
            return value;
        }

        if (value.AsSpan().IndexOfAny(Unframable) >= 0)
        {
            Framable = false;
        }

        shape.Append('s');
        return Placeholder(value);
    }

    public object? Number(int? value)
    {
        if (value is null or 0)
        {
            shape.Append(value is null ? 'n' : 'z');
            return value;
        }

        shape.Append('i');
        return Placeholder(value.Value.ToString(CultureInfo.InvariantCulture));
    }

    private string Placeholder(string value)
    {
        values.Add(value);
        return Mark + (values.Count - 1).ToString(CultureInfo.InvariantCulture) + Mark;
    }

    /// <summary>The placeholder and quote marks, and every character <see cref="string.ReplaceLineEndings(string)"/> treats as a line break.</summary>
    private static readonly System.Buffers.SearchValues<char> Unframable =
        System.Buffers.SearchValues.Create([Mark, RenderFrame.QuoteStart, RenderFrame.QuoteEnd, '\r', '\n', '\f', '\u0085', '\u2028', '\u2029']);
}
