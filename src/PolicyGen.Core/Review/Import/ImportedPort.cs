using System.Globalization;
using PolicyGen.Model;

namespace PolicyGen.Review.Import;

/// <summary>One ports entry: a name (resolved on the destination pods, S7.4), or a number or range; no port means every port of the protocol.</summary>
public sealed record ImportedPort(Protocol Protocol, string? Name, int? Low, int? High)
{
    /// <summary>The intent's form for a number or range: <c>8080/TCP</c>, <c>7000-7100/TCP</c>, <c>1-65535/UDP</c> for every port.</summary>
    public string NumberText()
    {
        var low = Low ?? 1;
        var high = Low is null ? 65535 : High ?? low;
        var range = high == low ? low.ToString(CultureInfo.InvariantCulture) : $"{low.ToString(CultureInfo.InvariantCulture)}-{high.ToString(CultureInfo.InvariantCulture)}";
        return $"{range}/{Protocol.Name()}";
    }

    /// <summary>A key that is equal for equal entries, for pairing the two sides of an edge.</summary>
    public string Key => Name is null ? NumberText() : $"{Name}/{Protocol.Name()}";
}
