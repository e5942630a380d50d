using System.Text;
using System.Text.Json;
using PolicyGen.Diagnostics;
using YamlDotNet.Core;

namespace PolicyGen.Manifests;

/// <summary>
/// Reads JSON manifests (one object, a List, or several values one after another) with
/// <see cref="Utf8JsonReader"/>, streaming: the loader's fields become located nodes
/// (<see cref="PrunedTreeBuilder"/>); every other object or array is stepped over by
/// <see cref="JsonValueSkipper"/>, a byte scanner that checks the grammar at memory speed, and the
/// reader restarts past it (what the scanner is not sure of goes token by token, as do scalars).
/// Memory follows the largest kept object, not the input. Nesting is bounded like
/// the YAML readers' (<see cref="YamlLimits.Manifest"/>), a single value by
/// <see cref="MaxValueBytes"/>; a duplicate key in a mapping npgen reads is refused.
/// </summary>
internal sealed class JsonManifestReader
{
    /// <summary>The longest single JSON value (a string, a number) held at once; the API server stores objects of at most 1.5 MiB.</summary>
    public const int DefaultMaxValueBytes = 64 << 20;

    /// <summary>Bytes read at once; a skipped value that does not end inside the buffer goes the token path, so this is well above an object's size.</summary>
    private const int Chunk = 1 << 20;

    private readonly string file;
    private readonly Stream stream;
    private readonly PrunedTreeBuilder builder;
    private readonly Utf8LinePosition position = new();
    private readonly int maxDepth = YamlLimits.Manifest.MaxDepth;
    private byte[] buffer;
    private int filled;
    private long bufferStart;

    /// <summary>Nesting level (as the reader's CurrentDepth) of the value being skipped; -1 when none is.</summary>
    private int skipDepth = -1;

    /// <summary>Where in the buffer the current <see cref="Utf8JsonReader"/> starts (a skipped value restarts it past the value).</summary>
    private int readerBase;

    private bool final;

    /// <summary>The reader's state before the token just read, kept when that token may start a value to skip.</summary>
    private JsonReaderState beforeValue;

    /// <summary>Buffer index of <see cref="beforeValue"/>; -1 when the token just read was not preceded by a snapshot.</summary>
    private int beforeValueAt = -1;

    private readonly SkippedLines skipped = new();
    private readonly Utf8StringCache strings = new();

    public JsonManifestReader(string file, Stream stream, ReadOnlySpan<byte> prefix)
    {
        this.file = file;
        this.stream = stream;
        builder = new PrunedTreeBuilder(file);
        buffer = new byte[Math.Max(Chunk, prefix.Length * 2)];
        prefix.CopyTo(buffer);
        filled = prefix.Length;
        if (prefix.StartsWith("\uFEFF"u8))
        {
            // The byte order mark is no part of the first line's columns.
            filled -= 3;
            buffer.AsSpan(3, filled).CopyTo(buffer);
            bufferStart = 3;
            position.StartAt(3);
        }
    }

    public int MaxValueBytes { get; init; } = DefaultMaxValueBytes;

    /// <summary>
    /// Values npgen does not read are stepped over by <see cref="JsonValueSkipper"/> (false: token by
    /// token, as the tests' reference for the same answer).
    /// </summary>
    public bool ScanSkippedValues { get; init; } = true;

    /// <summary>How many skipped values <see cref="JsonValueSkipper"/> stepped over (the rest went token by token).</summary>
    public int ValuesScanned { get; private set; }

    /// <summary>How far into the input the reader is, in bytes (for progress).</summary>
    public long Position => bufferStart + filled;

    /// <summary>
    /// Reads to the end, handing each document's pruned node tree to <paramref name="document"/>, with
    /// how many items of its top-level List went to <paramref name="listItem"/> before it ended
    /// (<see cref="PrunedTreeBuilder.ListItemReady"/>; null: none do).
    /// Throws <see cref="ManifestJsonException"/> for input npgen refuses or that is not JSON.
    /// </summary>
    public void Read(Action<SourceNode, int> document, Action? progress, Action<MappingNode, int>? listItem = null)
    {
        builder.ListItemReady = listItem;
        var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = maxDepth + 2, AllowMultipleValues = true });
        builder.StartDocument();
        skipped.Start(bufferStart);
        while (true)
        {
            if (!final && filled < buffer.Length)
            {
                var read = Fill();
                final = read == 0;
            }

            readerBase = 0;
            var reader = new Utf8JsonReader(buffer.AsSpan(0, filled), final, state);
            try
            {
                while (true)
                {
                    Snapshot(ref reader);
                    if (!reader.Read())
                    {
                        break;
                    }

                    Token(ref reader, document);
                }
            }
            catch (JsonException e)
            {
                throw Invalid(e);
            }

            state = reader.CurrentState;
            var consumed = readerBase + (int)reader.BytesConsumed;
            if (final)
            {
                return; // the reader refuses input that ends inside a value
            }

            Discard(consumed);
            progress?.Invoke();
        }
    }

    private int Fill()
    {
        var total = 0;
        int read;
        while (filled < buffer.Length && (read = stream.Read(buffer, filled, buffer.Length - filled)) > 0)
        {
            filled += read;
            total += read;
        }

        return total;
    }

    /// <summary>Drops the bytes read; a value longer than the buffer doubles it, up to <see cref="MaxValueBytes"/>.</summary>
    private void Discard(int consumed)
    {
        position.MoveTo(buffer.AsSpan(0, filled), bufferStart, bufferStart + consumed);
        skipped.Seen(buffer.AsSpan(0, filled), bufferStart, bufferStart + consumed);
        if (consumed == 0 && filled == buffer.Length)
        {
            if (buffer.Length >= MaxValueBytes)
            {
                throw new ManifestJsonException(Diagnostic.Error(DiagnosticCodes.JsonValueTooLarge,
                    $"{Yaml.YamlDiagnostics.Excerpt(file, 200)} holds a single JSON value longer than {Yaml.BoundedText.FormatSize(MaxValueBytes)}; npgen stopped reading there",
                    At(bufferStart), "no Kubernetes object holds a value this long (the API server stores objects of at most 1.5 MiB); check that this is the file you meant"));
            }

            Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, MaxValueBytes));
            return;
        }

        buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
        filled -= consumed;
        bufferStart += consumed;
    }

    private SourceLocation At(long offset)
    {
        var (line, column) = Place(offset);
        return new SourceLocation(file, line, column);
    }

    /// <summary>Line and column of a node (no location object: the node carries them).</summary>
    private (int Line, int Column) Place(long offset)
    {
        position.MoveTo(buffer.AsSpan(0, filled), bufferStart, offset);
        return (position.Line, position.Column);
    }

    private void Token(ref Utf8JsonReader reader, Action<SourceNode, int> document)
    {
        if (skipDepth >= 0)
        {
            Skip(ref reader);
            return;
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                Key(ref reader);
                return;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                CheckDepth(ref reader);
                if (!builder.WantsValue)
                {
                    if (!FastSkip(ref reader))
                    {
                        skipDepth = reader.CurrentDepth;
                    }

                    return;
                }

                var start = Place(bufferStart + Start(ref reader));
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    builder.StartMapping(start.Line, start.Column, flow: true);
                }
                else
                {
                    builder.StartSequence(start.Line, start.Column, flow: true);
                }

                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                builder.End();
                break;
            default:
                Scalar(ref reader);
                break;
        }

        if (builder.Done)
        {
            var root = builder.Document!;
            var handedOut = builder.ListItemsHandedOut;
            builder.StartDocument();
            document(root, handedOut);
        }
    }

    private void Key(ref Utf8JsonReader reader)
    {
        var name = strings.Get(ref reader);
        switch (builder.Key(name, null, ScalarStyle.DoubleQuoted))
        {
            case PrunedTreeBuilder.KeyVerdict.Duplicate:
                throw new ManifestJsonException(Diagnostic.Error(DiagnosticCodes.JsonSyntax,
                    $"invalid JSON: duplicate key \"{Yaml.YamlDiagnostics.Excerpt(name)}\" in one object",
                    At(bufferStart + Start(ref reader)), "each key may appear once in an object: keep one of the two, or merge them"));
            case PrunedTreeBuilder.KeyVerdict.Keep:
                var at = Place(bufferStart + Start(ref reader));
                builder.KeyAt(at.Line, at.Column);
                break;
        }
    }

    private void Scalar(ref Utf8JsonReader reader)
    {
        if (!builder.WantsValue)
        {
            builder.Skipped();
            return;
        }

        var at = Place(bufferStart + Start(ref reader));
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                builder.Scalar(strings.Get(ref reader), ScalarStyle.DoubleQuoted, null, at.Line, at.Column);
                break;
            case JsonTokenType.Number:
                builder.Scalar(Encoding.UTF8.GetString(reader.ValueSpan), ScalarStyle.Plain, null, at.Line, at.Column);
                break;
            case JsonTokenType.True:
                builder.Scalar("true", ScalarStyle.Plain, null, at.Line, at.Column);
                break;
            case JsonTokenType.False:
                builder.Scalar("false", ScalarStyle.Plain, null, at.Line, at.Column);
                break;
            default:
                builder.Scalar("null", ScalarStyle.Plain, null, at.Line, at.Column);
                break;
        }
    }

    /// <summary>A token inside a skipped value: only nesting is looked at.</summary>
    private void Skip(ref Utf8JsonReader reader)
    {

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                CheckDepth(ref reader);
                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray when reader.CurrentDepth == skipDepth:
                skipDepth = -1;
                builder.Skipped();
                break;
        }
    }

    /// <summary>Where the token just read starts in the buffer.</summary>
    private int Start(ref Utf8JsonReader reader) => readerBase + (int)reader.TokenStartIndex;

    /// <summary>Keeps the reader's state when the next token may begin a value npgen does not read: <see cref="FastSkip"/> resumes from it.</summary>
    private void Snapshot(ref Utf8JsonReader reader)
    {
        if (ScanSkippedValues && skipDepth < 0 && builder.SkipsNextValue)
        {
            beforeValue = reader.CurrentState;
            beforeValueAt = readerBase + (int)reader.BytesConsumed;
        }
        else
        {
            beforeValueAt = -1;
        }
    }

    /// <summary>
    /// Steps over the object or array just begun with <see cref="JsonValueSkipper"/> and restarts the
    /// reader past it, from the state before the value: the reader reads a one-digit number in the
    /// value's last byte (after the colon or comma it would have read) and goes on. False: the
    /// skipper did not accept the value; it goes the token path.
    /// </summary>
    private bool FastSkip(ref Utf8JsonReader reader)
    {
        if (beforeValueAt < 0)
        {
            return false;
        }

        var start = Start(ref reader);
        var between = buffer.AsSpan(beforeValueAt, start - beforeValueAt).Trim(" \t\r\n"u8);
        if (between.Length > 1)
        {
            return false;
        }

        var end = JsonValueSkipper.End(buffer.AsSpan(0, filled), start, reader.CurrentDepth, maxDepth);
        if (end < 0)
        {
            return false;
        }

        ValuesScanned++;

        var punctuation = between.Length == 1 ? between[0] : (byte)0;
        var resume = end - 1 - between.Length;

        // Lines are counted on the bytes as they were, before the stand-in overwrites them.
        position.MoveTo(buffer.AsSpan(0, filled), bufferStart, bufferStart + end);
        skipped.Hidden(buffer.AsSpan(0, filled), bufferStart, bufferStart + beforeValueAt, bufferStart + end, bufferStart + resume);
        if (punctuation != 0)
        {
            buffer[resume] = punctuation;
        }

        buffer[end - 1] = (byte)'0';
        readerBase = resume;
        reader = new Utf8JsonReader(buffer.AsSpan(resume, filled - resume), final, beforeValue);
        return true;
    }

    private void CheckDepth(ref Utf8JsonReader reader)
    {
        if (reader.CurrentDepth >= maxDepth)
        {
            throw new ManifestJsonException(Diagnostic.Error(DiagnosticCodes.YamlTooDeep,
                $"the {YamlLimits.Manifest.What} nests objects and arrays deeper than {maxDepth} levels",
                At(bufferStart + Start(ref reader)), "no Kubernetes object nests this deep; the input is probably not what it should be"));
        }
    }

    private ManifestJsonException Invalid(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        var at = e.LineNumber is { } line
            ? skipped.Place(file, line, e.BytePositionInLine ?? 0)
            : At(bufferStart + filled);
        return new ManifestJsonException(Diagnostic.Error(DiagnosticCodes.JsonSyntax, $"invalid JSON: {message.TrimEnd()}", at,
            "the input starts with { or [, so npgen read it as JSON (kubectl get -o json); fix it at this line and column, or write it as YAML"));
    }
}

