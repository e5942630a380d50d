using System.Reflection;
using System.Text.RegularExpressions;
using PolicyGen.Diagnostics;
using PolicyGen.Tests.Shared;

namespace PolicyGen.Core.Tests.Diagnostics;

/// <summary>
/// Every code npgen can print is explained in docs/errors.md (a user who sees NPG512 must find it
/// there), and every code the doc's tables list exists, so the two cannot drift apart.
/// </summary>
public sealed partial class DiagnosticCodeDocsTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(ConformanceCase.RepositoryRoot(), "docs", "errors.md"));

    private static IEnumerable<string> Codes()
        => typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Every_diagnostic_code_has_a_row_in_docs_errors_md()
    {
        var documented = TableRow().Matches(Doc).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var missing = Codes().Where(code => !documented.Contains(code)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"codes without a row in docs/errors.md: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_code_the_doc_lists_is_one_npgen_has()
    {
        var codes = Codes().ToHashSet(StringComparer.Ordinal);
        var unknown = TableRow().Matches(Doc).Select(m => m.Groups[1].Value).Where(code => !codes.Contains(code)).Distinct().ToList();
        Assert.True(unknown.Count == 0, $"docs/errors.md lists codes npgen does not have: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Codes_are_unique()
    {
        var duplicates = Codes().GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    [GeneratedRegex(@"^\| (NPG\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
