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
        HeldText = text;
        open = () => new StringReader(text);
    }

    private ManifestSource(string name, string path, Func<TextReader> open)
    {
        Name = name;
        FilePath = path;
        this.open = open;
    }

    public static ManifestSource FromFile(string path)
        => new(path, path, () => new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16));

    public string Name { get; }

    /// <summary>The whole text (read on first use for a file source).</summary>
    public string Text => text ??= Open().ReadToEnd();

    /// <summary>The text this source was made with (standard input, a test's string); null for a file.</summary>
    internal string? HeldText { get; }

    /// <summary>The file this source reads; null for text held in memory.</summary>
    internal string? FilePath { get; }

    public TextReader Open() => open();

    /// <summary>The file's bytes, read as a stream (a file source only).</summary>
    internal Stream OpenBytes()
        => new FileStream(FilePath ?? throw new InvalidOperationException("not a file source"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
}
