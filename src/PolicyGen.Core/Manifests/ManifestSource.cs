namespace PolicyGen.Manifests;

/// <summary>
/// One input: a file (named by the path the user gave) or standard input (<c>-</c>). A file is read
/// as a stream when loaded, so a 100 MB manifest is never held as one string.
/// </summary>
public sealed class ManifestSource
{
    private readonly Func<TextReader> open;
    private string? text;

    public ManifestSource(string name, string text)
    {
        Name = name;
        this.text = text;
        open = () => new StringReader(text);
    }

    private ManifestSource(string name, Func<TextReader> open)
    {
        Name = name;
        this.open = open;
    }

    public static ManifestSource FromFile(string path)
        => new(path, () => new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16));

    public string Name { get; }

    /// <summary>The whole text (read on first use for a file source).</summary>
    public string Text => text ??= Open().ReadToEnd();

    public TextReader Open() => open();
}
