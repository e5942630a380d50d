using System.Text;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Kustomize;
using PolicyGen.Manifests;
using PolicyGen.Yaml;

namespace PolicyGen.Core.Tests.Yaml;

/// <summary>
/// Every reader is bounded in the one place (issue 11 item 6): alias bombs, recursive aliases,
/// deep nesting and oversized input end with an error at a file:line:col, never a crash.
/// </summary>
public sealed class YamlBoundsTests
{
    /// <summary>The classic "billion laughs": 9 levels of 9 aliases each, about half a kilobyte, 387 million scalars written out.</summary>
    public static string BillionLaughs()
    {
        var text = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= 9; level++)
        {
            var alias = $"*a{level - 1}";
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"a{level}: &a{level} [{string.Join(", ", Enumerable.Repeat(alias, 9))}]\n");
        }

        return text.ToString();
    }

    private static Diagnostic ReadError(string text, YamlLimits? limits = null)
    {
        var (documents, error) = SourceNodeReader.Read("in.yaml", text, limits ?? YamlLimits.Intent);
        Assert.True(error is not null, $"read {documents.Length} documents without an error");
        Assert.Empty(documents);
        return error;
    }

    [Fact]
    public void A_billion_laughs_is_refused_as_excessive_aliasing_at_the_alias_that_crosses_the_line()
    {
        var bomb = BillionLaughs();
        Assert.InRange(bomb.Length, 400, 2000);
        var error = ReadError(bomb);
        Assert.Equal(DiagnosticCodes.YamlExcessiveAliasing, error.Code);
        Assert.StartsWith("the intent file contains excessive aliasing", error.Message, StringComparison.Ordinal);
        Assert.Equal("in.yaml", error.Location!.File);
        Assert.InRange(error.Location.Line, 2, 10);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void A_billion_laughs_in_a_manifest_rejects_the_file()
    {
        var result = ManifestLoader.LoadText("bomb.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n" + string.Concat(BillionLaughs().Split('\n').Select(l => "  " + l + "\n")));
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.YamlExcessiveAliasing, error.Code);
        Assert.Equal("bomb.yaml", error.Location!.File);
        Assert.Empty(result.Skipped);
    }

    [Fact]
    public void Moderate_aliasing_is_read_as_written_out()
    {
        // 3 levels of 10: 1,111 scalars from 30 aliases, well within go-yaml's ratio.
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
        var (documents, error) = SourceNodeReader.Read("in.yaml", text);
        Assert.Null(error);
        var c = Assert.IsType<SequenceNode>(((MappingNode)documents[0])["c"]);
        Assert.Equal(10, c.Items.Length);
        Assert.Equal("x", ((ScalarNode)((SequenceNode)((SequenceNode)c.Items[9]).Items[9]).Items[9]).Value);
    }

    [Fact]
    public void A_recursive_alias_is_an_error_at_the_alias()
    {
        var error = ReadError("spec: &s\n  apps: *s\n");
        Assert.Equal(DiagnosticCodes.YamlExcessiveAliasing, error.Code);
        Assert.Equal(new SourceLocation("in.yaml", 2, 9), error.Location);
        Assert.Contains("anchor 's' contains an alias to itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recursive_alias_in_an_intent_file_is_an_error_not_a_crash()
    {
        var (intent, diagnostics) = IntentLoader.LoadText("intents.yaml", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nmetadata: {name: x}\nspec: &s\n  apps: *s\n");
        Assert.Null(intent);
        var error = Assert.Single(diagnostics);
        Assert.Equal((DiagnosticCodes.YamlExcessiveAliasing, new SourceLocation("intents.yaml", 5, 9)), (error.Code, error.Location));
    }

    [Fact]
    public void An_alias_before_its_anchor_is_a_syntax_error_naming_the_anchor()
    {
        var error = ReadError("a: *nope\nb: &nope x\n");
        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.Equal(new SourceLocation("in.yaml", 1, 4), error.Location);
        Assert.Contains("unknown anchor 'nope'", error.Message, StringComparison.Ordinal);
        Assert.Equal("define the anchor (&name) before the alias (*name), in the same document", error.Hint);
    }

    [Theory]
    [InlineData("[")]
    [InlineData("{a: ")]
    public void Deep_flow_nesting_is_an_error_at_the_level_past_the_limit(string open)
    {
        var error = ReadError(string.Concat(Enumerable.Repeat(open, 100_000)));
        Assert.Equal(DiagnosticCodes.YamlTooDeep, error.Code);
        Assert.Equal(new SourceLocation("in.yaml", 1, (YamlLimits.DefaultMaxDepth * open.Length) + 1), error.Location);
        Assert.Equal($"the intent file nests mappings and lists deeper than {YamlLimits.DefaultMaxDepth} levels", error.Message);
    }

    [Fact]
    public void Deep_block_nesting_is_an_error_too()
    {
        var text = string.Concat(Enumerable.Range(0, 1500).Select(i => new string(' ', i) + "- \n")) + "x\n";
        var text2 = string.Concat(Enumerable.Range(0, 1500).Select(i => new string(' ', i) + $"k{i}:\n"));
        Assert.Equal(DiagnosticCodes.YamlTooDeep, ReadError(text).Code);
        var error = ReadError(text2);
        Assert.Equal(DiagnosticCodes.YamlTooDeep, error.Code);
        Assert.Equal(YamlLimits.DefaultMaxDepth + 1, error.Location!.Line); // the mapping at level n starts on line n
    }

    [Fact]
    public void Deep_nesting_in_manifests_rejects_the_file_without_a_stack_overflow()
    {
        var result = ManifestLoader.LoadText("deep.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: " + new string('[', 200_000));
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.YamlTooDeep, error.Code);
        Assert.Equal(new SourceLocation("deep.yaml", 4, 7 + YamlLimits.DefaultMaxDepth - 1), error.Location);
        Assert.Equal("the manifest nests mappings and lists deeper than 1000 levels", error.Message);
    }

    [Fact]
    public void An_intent_text_over_the_size_limit_is_refused_before_parsing()
    {
        var huge = "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\n# " + new string('x', 9 << 20) + "\n";
        var (intent, diagnostics) = IntentLoader.LoadText("big.yaml", huge);
        Assert.Null(intent);
        var error = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.YamlInputTooLarge, error.Code);
        Assert.Equal("big.yaml is larger than 8 MiB, the most npgen reads as one intent file; it stopped reading there", error.Message);
        Assert.Equal(new SourceLocation("big.yaml", 1, 1), error.Location);
    }

    [Fact]
    public void An_intent_file_over_the_size_limit_stops_reading_at_the_limit_with_its_line()
    {
        var path = Path.Join(Path.GetTempPath(), $"npgen-big-{Guid.NewGuid():N}.yaml");
        try
        {
            var line = "# " + new string('x', 1021) + "\n"; // 1 KiB a line
            File.WriteAllText(path, "apiVersion: npgen.dev/v1alpha1\n" + string.Concat(Enumerable.Repeat(line, 9 * 1024)));
            var (intent, diagnostics) = IntentLoader.Load(path);
            Assert.Null(intent);
            var error = Assert.Single(diagnostics);
            Assert.Equal(DiagnosticCodes.YamlInputTooLarge, error.Code);
            Assert.Equal(path, error.Location!.File);
            Assert.Equal(2 + (((8 << 20) - 31) / 1024), error.Location.Line);
            Assert.Contains("8 MiB", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [DevZeroFact]
    public void An_intent_read_from_dev_zero_ends_with_the_size_error()
    {
        var (intent, diagnostics) = IntentLoader.Load("/dev/zero");
        Assert.Null(intent);
        var error = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.YamlInputTooLarge, error.Code);
        Assert.Equal(new SourceLocation("/dev/zero", 1, (8 << 20) + 1), error.Location);
    }

    [Fact]
    public void An_overlay_over_the_size_limit_is_refused()
    {
        var (intent, diagnostics) = IntentLoader.LoadText("intents.yaml", "apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nmetadata: {name: x}\nspec: {}\n",
            [("prod.yaml", "spec: {}\n# " + new string('x', 9 << 20))]);
        Assert.Null(intent);
        Assert.Equal(DiagnosticCodes.YamlInputTooLarge, Assert.Single(diagnostics).Code);
        Assert.Equal("prod.yaml is larger than 8 MiB, the most npgen reads as one overlay file; it stopped reading there", diagnostics[0].Message);
    }

    [Fact]
    public void A_resource_list_over_its_limit_is_refused_with_exit_2()
    {
        var outcome = KrmFunction.Run(new StringReader("kind: ResourceList\n# " + new string('x', 65 << 20)), Path.GetTempPath());
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("error NPG107: <stdin> is larger than 64 MiB, the most npgen reads as one KRM ResourceList", outcome.StdErr, StringComparison.Ordinal);
        Assert.Contains("kind: ResourceList", outcome.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_bomb_in_a_resource_list_is_refused_with_exit_2()
    {
        var input = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nbomb:\n" + string.Concat(BillionLaughs().Split('\n').Select(l => "  " + l + "\n"));
        var outcome = KrmFunction.Run(input, Path.GetTempPath());
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("error NPG109: stdin is not a ResourceList: the KRM ResourceList contains excessive aliasing", outcome.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tab_in_the_indentation_is_reported_at_the_tab()
    {
        var error = ReadError("apiVersion: v1\nkind: NetworkIntent\nspec:\n  apps:\n\tweb: {}\n");
        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.Equal(5, error.Location!.Line);
        Assert.Contains("tab", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_from_the_input_are_escaped_in_messages()
    {
        var error = ReadError("a: 1\n\"x\\u001b[31m\": 1\n\"x\\u001b[31m\": 2\n");
        Assert.Equal(DiagnosticCodes.YamlSyntax, error.Code);
        Assert.DoesNotContain('\u001b', error.Message);
        Assert.Contains("\\u001B[31m", error.Message, StringComparison.Ordinal);
    }
}
