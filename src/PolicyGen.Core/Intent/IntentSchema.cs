namespace PolicyGen.Intent;

/// <summary>
/// The JSON Schema (draft 2020-12) of the intent file, for editors (completion, tooltips, checks).
/// It is a hand-written file, <c>src/PolicyGen.Core/Intent/intent.schema.json</c>, embedded as is.
/// The binder stays the judge: the schema describes the same keys (a test keeps them in step) and
/// catches most mistakes as you type; references between names are checked only by npgen.
/// </summary>
public static class IntentSchema
{
    internal const string ResourceName = "intent/intent.schema.json";

    /// <summary>The schema text, with "\n" line endings: the same bytes on every run and platform.</summary>
    public static string Text { get; } = EmbeddedText.Read(ResourceName);
}
