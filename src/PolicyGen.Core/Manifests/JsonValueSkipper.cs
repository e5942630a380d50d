using System.Buffers;
using System.Text;

namespace PolicyGen.Manifests;

/// <summary>
/// Finds the end of one JSON object or array in a byte buffer without tokenising it: vectorised
/// searches step over indentation and string contents, a small state machine checks the grammar
/// (commas, colons, brackets, escapes, numbers, literals, UTF-8) and the nesting bound. It is at least
/// as strict as <see cref="System.Text.Json.Utf8JsonReader"/>: whatever it does not accept for certain
/// (invalid or unusual JSON, a value that does not end in the buffer, nesting near the bound) it
/// answers -1, and the reader steps over the value token by token as before, so every error keeps
/// the reader's own message and place.
/// </summary>
internal static class JsonValueSkipper
{
    /// <summary>Containers below the value tracked in one bit each; deeper values go the token path.</summary>
    private const int MaxLevels = 64;

    /// <summary>
    /// The offset just past the object or array that starts at <paramref name="start"/>, or -1.
    /// <paramref name="depth"/> is the reader's depth of that value; a container at
    /// <paramref name="maxDepth"/> or deeper is left to the reader, which refuses it.
    /// </summary>
    public static int End(ReadOnlySpan<byte> data, int start, int depth, int maxDepth)
    {
        var scan = new Scanner(data, start);
        ulong objects = 0; // bit n: the container at level n is an object
        var level = 0;
        var expectValue = true;
        while (true)
        {
            if (expectValue)
            {
                if (!scan.Blank())
                {
                    return -1;
                }

                if (scan.Current is (byte)'{' or (byte)'[')
                {
                    if (depth + level >= maxDepth || level == MaxLevels)
                    {
                        return -1;
                    }

                    var isObject = scan.Current == (byte)'{';
                    objects = isObject ? objects | (1UL << level) : objects & ~(1UL << level);
                    level++;
                    switch (scan.Open(isObject))
                    {
                        case Opened.Invalid:
                            return -1;
                        case Opened.Empty:
                            level--;
                            expectValue = false;
                            break;
                    }

                    continue;
                }

                if (!scan.Scalar())
                {
                    return -1;
                }
            }

            if (level == 0)
            {
                return scan.At;
            }

            switch (scan.AfterValue((objects >> (level - 1) & 1) != 0))
            {
                case Next.Invalid:
                    return -1;
                case Next.Value:
                    expectValue = true;
                    break;
                default:
                    level--;
                    expectValue = false;
                    break;
            }
        }
    }

    private enum Opened
    {
        Invalid,
        Empty,
        Value,
    }

    private enum Next
    {
        Invalid,
        Value,
        Closed,
    }

    /// <summary>A position in the buffer and the steps of the grammar; false or Invalid: not accepted here.</summary>
    private ref struct Scanner(ReadOnlySpan<byte> data, int at)
    {
        private readonly ReadOnlySpan<byte> data = data;

        public int At { get; private set; } = at;

        public readonly byte Current => data[At];

        /// <summary>Steps over blanks; false at the end of the buffer.</summary>
        public bool Blank()
        {
            if (At < data.Length && data[At] > (byte)' ')
            {
                return true;
            }

            var rest = AsciiScan.FirstNonBlank(data[At..]);
            if (rest < 0)
            {
                return false;
            }

            At += rest;
            return true;
        }

        /// <summary>At { or [: steps into it, over the first key of an object.</summary>
        public Opened Open(bool isObject)
        {
            At++;
            if (!Blank())
            {
                return Opened.Invalid;
            }

            if (data[At] == (isObject ? (byte)'}' : (byte)']'))
            {
                At++;
                return Opened.Empty;
            }

            return !isObject || Key() ? Opened.Value : Opened.Invalid;
        }

        /// <summary>After a value inside a container: a comma (and the next key) or the closing bracket.</summary>
        public Next AfterValue(bool inObject)
        {
            if (!Blank())
            {
                return Next.Invalid;
            }

            var b = data[At];
            if (b == (inObject ? (byte)'}' : (byte)']'))
            {
                At++;
                return Next.Closed;
            }

            if (b != (byte)',')
            {
                return Next.Invalid;
            }

            At++;
            return !inObject || Key() ? Next.Value : Next.Invalid;
        }

        /// <summary>A string, a number, true, false or null; what follows is checked by the caller.</summary>
        public bool Scalar()
            => data[At] switch
            {
                (byte)'"' => String(),
                (byte)'-' or (>= (byte)'0' and <= (byte)'9') => Number(),
                (byte)'t' => Word("true"u8),
                (byte)'f' => Word("false"u8),
                (byte)'n' => Word("null"u8),
                _ => false,
            };

        /// <summary>A key and its colon.</summary>
        private bool Key()
        {
            if (!Blank() || data[At] != (byte)'"' || !String() || !Blank() || data[At] != (byte)':')
            {
                return false;
            }

            At++;
            return true;
        }

        private bool String()
        {
            At++;
            while (true)
            {
                var run = AsciiScan.FirstStringStop(data[At..]);
                if (run < 0)
                {
                    return false;
                }

                At += run;
                var b = data[At];
                if (b == (byte)'"')
                {
                    At++;
                    return true;
                }

                if (!(b == (byte)'\\' ? Escape() : b >= 0x80 && Utf8Character()))
                {
                    return false;
                }
            }
        }

        private bool Escape()
        {
            if (At + 1 >= data.Length)
            {
                return false;
            }

            switch (data[At + 1])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    At += 2;
                    return true;
                case (byte)'u' when At + 6 <= data.Length && IsHex(data.Slice(At + 2, 4)):
                    At += 6;
                    return true;
                default:
                    return false;
            }
        }

        private static bool IsHex(ReadOnlySpan<byte> digits)
        {
            foreach (var d in digits)
            {
                if (!char.IsAsciiHexDigit((char)d))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>One well-formed UTF-8 character (overlong forms and surrogates are refused by the decoder).</summary>
        private bool Utf8Character()
        {
            if (Rune.DecodeFromUtf8(data[At..], out _, out var length) != OperationStatus.Done)
            {
                return false;
            }

            At += length;
            return true;
        }

        private bool Number()
        {
            if (data[At] == (byte)'-')
            {
                At++;
            }

            if (At >= data.Length || !char.IsAsciiDigit((char)data[At]))
            {
                return false;
            }

            // No leading zeros: after a 0 comes a fraction, an exponent or the end of the number.
            if (data[At++] != (byte)'0')
            {
                Digits();
            }

            if (At < data.Length && data[At] == (byte)'.')
            {
                At++;
                if (!Digits())
                {
                    return false;
                }
            }

            if (At < data.Length && (data[At] | 0x20) == (byte)'e')
            {
                At++;
                if (At < data.Length && data[At] is (byte)'+' or (byte)'-')
                {
                    At++;
                }

                if (!Digits())
                {
                    return false;
                }
            }

            return At < data.Length; // the reader needs the byte after a number to know it ended
        }

        /// <summary>Steps over digits; false when there was none.</summary>
        private bool Digits()
        {
            var from = At;
            while (At < data.Length && char.IsAsciiDigit((char)data[At]))
            {
                At++;
            }

            return At > from;
        }

        private bool Word(ReadOnlySpan<byte> word)
        {
            if (!data[At..].StartsWith(word))
            {
                return false;
            }

            At += word.Length;
            return true;
        }
    }
}
