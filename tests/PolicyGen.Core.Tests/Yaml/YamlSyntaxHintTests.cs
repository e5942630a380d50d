using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Yaml;

namespace PolicyGen.Core.Tests.Yaml;

/// <summary>
/// The usual YAML typos, read both as an intent (text held whole) and as a manifest (a stream):
/// each is NPG101 at the line and column to fix, with a one-line hint that says how.
/// </summary>
public sealed class YamlSyntaxHintTests
{
    /// <summary>The error reading <paramref name="text"/> as an intent, and as a manifest: both must agree.</summary>
    private static Diagnostic Error(string text)
    {
        var (_, intentError) = SourceNodeReader.Read("in.yaml", text);
        Assert.NotNull(intentError);
        var manifest = ManifestLoader.LoadText("in.yaml", text);
        var manifestError = Assert.Single(manifest.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(intentError.ToString(), manifestError.ToString());
        Assert.Equal(DiagnosticCodes.YamlSyntax, intentError.Code);
        Assert.NotNull(intentError.Hint);
        Assert.DoesNotContain('\n', intentError.Hint);
        return intentError;
    }

    private static void At(Diagnostic error, int line, int column)
        => Assert.True(new SourceLocation("in.yaml", line, column) == error.Location, $"expected in.yaml:{line}:{column}, got {error}");

    [Fact]
    public void A_tab_in_the_indentation_is_reported_at_the_tab()
    {
        var error = Error("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n\tapp: web\n");
        At(error, 6, 1);
        Assert.Contains("replace the tab", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tab_after_spaces_is_reported_at_the_tab()
    {
        var error = Error("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n  \tapp: web\n");
        At(error, 6, 3);
        Assert.Contains("spaces only", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("'")]
    public void An_unclosed_quote_is_reported_where_the_quote_opens(string quote)
    {
        var error = Error($"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {quote}a\n  namespace: x\n");
        At(error, 4, 9);
        Assert.Contains("quoted value is not closed", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_colon_is_reported_on_the_line_without_it()
    {
        // YamlDotNet stops at line 5 (the text "name a" runs on into it); the line to fix is 4.
        var error = Error("apiVersion: v1\nkind: Pod\nmetadata:\n  name a\n  namespace: x\n");
        At(error, 4, 3);
        Assert.Contains("\"name a\" has no ':' after its key", error.Hint, StringComparison.Ordinal);
        Assert.Contains("key: value", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_little_indentation_names_both_indentations()
    {
        var error = Error("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n labels: {}\n");
        Assert.Equal(5, error.Location!.Line);
        Assert.Contains("indented 1 space", error.Hint, StringComparison.Ordinal);
        Assert.Contains("line above 2", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_key_names_the_first_one()
    {
        var error = Error("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: x\n  name: b\n");
        At(error, 6, 3);
        Assert.Equal("invalid YAML: Duplicate key name", error.Message);
        Assert.Contains("first set at line 4", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_flow_mapping_at_the_end_is_a_syntax_error_where_it_opens()
    {
        // YamlDotNet's scanner throws InvalidOperationException here; it was an internal error (NPG900).
        var error = Error("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {app: web\n");
        At(error, 5, 11);
        Assert.Contains("not closed", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_flow_mapping_before_more_lines_is_reported_with_a_hint()
    {
        var error = Error("apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {app: web\n  name: a\n");
        Assert.Contains("not closed", error.Hint, StringComparison.Ordinal);
        Assert.InRange(error.Location!.Line, 4, 5);
    }
}
