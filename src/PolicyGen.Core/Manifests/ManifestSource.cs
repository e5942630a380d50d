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

    /// <summary>
    /// Standard input as the bytes it was given (a 200 MB <c>kubectl get -o json</c> piped in): held
    /// once as bytes, not decoded into one string, and read like a file.
    /// </summary>
    public static ManifestSource FromStandardInput(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ManifestSource("<stdin>", ChunkedBytes.ReadAll(input));
    }

    private ManifestSource(string name, ChunkedBytes bytes)
    {
        Name = name;
        HeldBytes = bytes;
        open = () => new StreamReader(bytes.Open(), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    public static ManifestSource FromFile(string path)
        => new(path, path, () => new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16));

    public string Name { get; }

    /// <summary>The whole text (read on first use for a file source).</summary>
    public string Text => text ??= Open().ReadToEnd();

    /// <summary>The text this source was made with (standard input, a test's string); null for a file.</summary>
    internal string? HeldText { get; }

    /// <summary>The bytes this source was made with (standard input read as bytes); null otherwise.</summary>
    internal ChunkedBytes? HeldBytes { get; }

    /// <summary>The file this source reads; null for text held in memory.</summary>
    internal string? FilePath { get; }

    public TextReader Open() => open();

    /// <summary>The file's bytes, or the bytes held, read as a stream (not for text held).</summary>
    internal Stream OpenBytes()
        => HeldBytes is { } held ? held.Open()
        : new FileStream(FilePath ?? throw new InvalidOperationException("not a file source"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
}
