namespace PolicyGen.Intent;

/// <summary>Reads a text file embedded in this library.</summary>
internal static class EmbeddedText
{
    public static string Read(string resourceName)
    {
        using var stream = typeof(EmbeddedText).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"the embedded resource {resourceName} is missing (a build problem)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }
}
