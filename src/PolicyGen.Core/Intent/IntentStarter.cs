namespace PolicyGen.Intent;

/// <summary>
/// The commented starter intent file that <c>npgen init</c> writes: every section by example. It is
/// <c>src/PolicyGen.Core/Intent/starter-intents.yaml</c>, embedded as is; a test builds and verifies it.
/// </summary>
public static class IntentStarter
{
    internal const string ResourceName = "intent/starter-intents.yaml";

    /// <summary>The file's text, with "\n" line endings.</summary>
    public static string Text { get; } = EmbeddedText.Read(ResourceName);
}
