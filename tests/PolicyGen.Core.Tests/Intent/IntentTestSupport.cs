using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;

namespace PolicyGen.Core.Tests.Intent;

/// <summary>Loading inline intents and asserting on their diagnostics: code, exact place, message and hint.</summary>
internal static class IntentTestSupport
{
    public const string IntentFile = "intents.yaml";

    public static (NetworkIntent? Intent, ImmutableArray<Diagnostic> Diagnostics) Load(string text, params (string Path, string? Text)[] overlays)
        => IntentLoader.LoadText(IntentFile, text, overlays);

    /// <summary>Loads an intent that must bind without errors (warnings are allowed).</summary>
    public static NetworkIntent LoadValid(string text, params (string Path, string? Text)[] overlays)
    {
        var (intent, diagnostics) = Load(text, overlays);
        Assert.True(intent is not null && !diagnostics.HasErrors(), Dump(diagnostics));
        return intent!;
    }

    /// <summary>Loads an intent that has exactly one diagnostic, an error, and returns it.</summary>
    public static Diagnostic SingleError(string text, params (string Path, string? Text)[] overlays)
    {
        var (intent, diagnostics) = Load(text, overlays);
        Assert.Null(intent);
        Assert.True(diagnostics.Length == 1, Dump(diagnostics));
        Assert.Equal(Severity.Error, diagnostics[0].Severity);
        return diagnostics[0];
    }

    /// <summary>Loads an intent that fails, and returns all its diagnostics.</summary>
    public static ImmutableArray<Diagnostic> Errors(string text, params (string Path, string? Text)[] overlays)
    {
        var (intent, diagnostics) = Load(text, overlays);
        Assert.Null(intent);
        Assert.Contains(diagnostics, d => d.Severity == Severity.Error);
        return diagnostics;
    }

    /// <summary>
    /// The diagnostic has this code at exactly this line and column of <paramref name="file"/>, its
    /// message contains every one of <paramref name="message"/>, and its hint contains <paramref name="hint"/>
    /// (null: the diagnostic must not have a hint).
    /// </summary>
    public static void AssertDiagnostic(Diagnostic diagnostic, string code, int line, int column, string[] message, string? hint, string file = IntentFile)
    {
        var text = diagnostic.ToString();
        Assert.True(code == diagnostic.Code, $"expected {code}, got: {text}");
        Assert.NotNull(diagnostic.Location);
        Assert.True(new SourceLocation(file, line, column) == diagnostic.Location, $"expected at {file}:{line}:{column}, got: {text}");
        foreach (var part in message)
        {
            Assert.True(diagnostic.Message.Contains(part, StringComparison.Ordinal), $"message lacks \"{part}\": {text}");
        }

        if (hint is null)
        {
            Assert.True(diagnostic.Hint is null, $"expected no hint: {text}");
        }
        else
        {
            Assert.True(diagnostic.Hint?.Contains(hint, StringComparison.Ordinal) == true, $"hint lacks \"{hint}\": {text}");
        }
    }

    public static void AssertDiagnostic(Diagnostic diagnostic, string code, int line, int column, string message, string? hint, string file = IntentFile)
        => AssertDiagnostic(diagnostic, code, line, column, [message], hint, file);

    public static string Dump(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d => d.ToString()).DefaultIfEmpty("(no diagnostics)"));
}
