using System.Buffers.Binary;
using System.Text.Json;

namespace PolicyGen.Manifests;

/// <summary>
/// One string per distinct short text read by <see cref="JsonManifestReader"/> instead of one per
/// occurrence: field names, kinds, protocols and label keys repeat in every object of a dump, and
/// allocating them again is most of what reading costs. A fixed table of recent texts (a miss only
/// replaces a slot), so memory stays bounded whatever the input; the string itself always comes
/// from the reader's own decoding, with its checks.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int SlotBits = 12;
    private const int MaxLength = 64;

    private readonly byte[]?[] texts = new byte[]?[1 << SlotBits];
    private readonly string?[] strings = new string?[1 << SlotBits];

    /// <summary>The string value of the reader's current property name or string token.</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxLength)
        {
            return reader.GetString()!;
        }

        var text = reader.ValueSpan;
        var slot = Slot(text);
        if (texts[slot] is { } known && text.SequenceEqual(known))
        {
            return strings[slot]!;
        }

        var value = reader.GetString()!;
        texts[slot] = text.ToArray();
        strings[slot] = value;
        return value;
    }

    private static int Slot(ReadOnlySpan<byte> text)
    {
        ulong head = 0, tail = 0;
        if (text.Length >= 8)
        {
            head = BinaryPrimitives.ReadUInt64LittleEndian(text);
            tail = BinaryPrimitives.ReadUInt64LittleEndian(text[^8..]);
        }
        else
        {
            foreach (var b in text)
            {
                head = (head << 8) | b;
            }
        }

        var hash = ((head * 0x9E3779B97F4A7C15UL) ^ tail ^ (ulong)text.Length) * 0xC2B2AE3D27D4EB4FUL;
        return (int)(hash >> (64 - SlotBits));
    }
}
