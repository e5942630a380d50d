using PolicyGen.Diagnostics;

namespace PolicyGen.Core.Tests.Diagnostics;

/// <summary>What npgen echoes is one line, shows every control character visibly and quotes at most an excerpt.</summary>
public sealed class TextEscapingTests
{
    public static TheoryData<string, string> Hostile => new()
    {
        { "a\nb", "a\\nb" },
        { "a\r\nb", "a\\r\\nb" },
        { "red\u001b[31m", "red\\x1b[31m" },
        { "del\u007f", "del\\x7f" },
        { "csi\u009b31m", "csi\\u009b31m" },
        { "nel\u0085x", "nel\\u0085x" },
        { "ls\u2028ps\u2029", "ls\\u2028ps\\u2029" },
        { "evil\u202Egpj.yaml", "evil\\u202egpj.yaml" },
        { "iso\u2066x\u2069", "iso\\u2066x\\u2069" },
        { "tab\there", "tab\\there" },
        { "plain-name_1.yaml", "plain-name_1.yaml" },
        { "ünïcödé ok", "ünïcödé ok" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void ForLine_shows_every_unsafe_character_as_an_escape(string input, string expected)
    {
        var line = TextEscaping.ForLine(input);
        Assert.Equal(expected, line);
        Assert.DoesNotContain(line, TextEscaping.IsUnsafe);
    }

    [Fact]
    public void ForTerminal_keeps_newlines_and_tabs_and_escapes_the_rest()
        => Assert.Equal("a\n\tb\\x1b[2J\\r", TextEscaping.ForTerminal("a\n\tb\u001b[2J\r"));

    [Fact]
    public void An_excerpt_is_the_first_line_and_at_most_80_characters()
    {
        Assert.Equal("first...", TextEscaping.Excerpt("first\nSECRET second line"));
        var excerpt = TextEscaping.Excerpt(new string('x', 100) + "SECRET");
        Assert.Equal(new string('x', TextEscaping.ExcerptLength) + "...", excerpt);
        Assert.Equal("\"short\"", TextEscaping.Quote("short"));
    }

    [Fact]
    public void A_diagnostic_message_is_one_line_and_quotes_only_an_excerpt_however_it_was_built()
    {
        var value = new string('v', 200) + "SECRET";
        var diagnostic = Diagnostic.Error("NPG999", $"key \"{value}\" is wrong\nerror NPG000: forged line", new SourceLocation("f\n.yaml", 1, 2), "hint\u001b[31m");
        Assert.DoesNotContain("SECRET", diagnostic.ToString());
        Assert.Contains($"\"{new string('v', TextEscaping.ExcerptLength)}...\"", diagnostic.Message);
        Assert.Equal(["f\\n.yaml:1:2: error NPG999: key \"" + new string('v', 80) + "...\" is wrong\\nerror NPG000: forged line", "  hint: hint\\x1b[31m"],
            diagnostic.ToString().Split('\n'));

        var changed = diagnostic with { Message = "again\nforged" };
        Assert.Equal("again\\nforged", changed.Message);
    }

    [Fact]
    public void A_message_that_only_grows_by_quoting_input_is_cut()
    {
        var message = TextEscaping.BoundMessage(string.Concat(Enumerable.Repeat("word ", 1000)));
        Assert.True(message.Length <= TextEscaping.MessageLength + 40, message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("(message shortened)", message);
    }

    [Fact]
    public void An_internal_error_is_one_line_asking_for_a_bug_report_unless_debugging()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("boom\u001b[31m\nsecond");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        var text = InternalError.Format(thrown, "npgen", debug: false);
        Assert.Equal("npgen: internal error NPG900: InvalidOperationException: boom\\x1b[31m. This is a bug in npgen: please report it with the command you ran (run it again with NPGEN_DEBUG=1 to see the stack trace).\n", text);
        var debug = InternalError.Format(thrown, "npgen", debug: true);
        Assert.Contains(" at ", debug);
        Assert.DoesNotContain('\u001b', debug);
    }
}
