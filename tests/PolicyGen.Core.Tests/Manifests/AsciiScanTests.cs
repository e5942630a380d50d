using PolicyGen.Manifests;

namespace PolicyGen.Core.Tests.Manifests;

/// <summary>
/// The vectorised byte searches the JSON skipper steps over blanks and string contents with give the
/// answer of a byte-by-byte reference for every byte value, at every position of a vector, before,
/// inside and after the vector loop.
/// </summary>
public sealed class AsciiScanTests
{
    private static int NonBlankReference(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return i;
            }
        }

        return -1;
    }

    private static int StringStopReference(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == (byte)'"' || data[i] == (byte)'\\' || data[i] < 0x20 || data[i] >= 0x80)
            {
                return i;
            }
        }

        return -1;
    }

    [Fact]
    public void Every_byte_value_at_every_position_is_found_as_by_a_byte_by_byte_search()
    {
        for (var length = 0; length <= 40; length++)
        {
            var blanks = new byte[length];
            Array.Fill(blanks, (byte)' ');
            var plain = new byte[length];
            Array.Fill(plain, (byte)'a');
            Assert.Equal(-1, AsciiScan.FirstNonBlank(blanks));
            Assert.Equal(-1, AsciiScan.FirstStringStop(plain));
            for (var at = 0; at < length; at++)
            {
                for (var value = 0; value <= 0xFF; value++)
                {
                    blanks[at] = (byte)value;
                    plain[at] = (byte)value;
                    Assert.Equal(NonBlankReference(blanks), AsciiScan.FirstNonBlank(blanks));
                    Assert.Equal(StringStopReference(plain), AsciiScan.FirstStringStop(plain));
                }

                blanks[at] = (byte)"\t\r\n "[at % 4];
                plain[at] = (byte)('a' + (at % 26));
            }
        }
    }

    [Fact]
    public void Random_buffers_are_searched_as_by_a_byte_by_byte_search()
    {
        var random = new Random(17);
        var alphabet = " \t\r\n\"\\ax\u0001"u8.ToArray();
        for (var round = 0; round < 2_000; round++)
        {
            var data = new byte[random.Next(0, 100)];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = random.Next(8) == 0 ? (byte)random.Next(256) : alphabet[random.Next(4 + (round % 5))];
            }

            var from = data.Length == 0 ? 0 : random.Next(data.Length);
            Assert.Equal(NonBlankReference(data.AsSpan(from)), AsciiScan.FirstNonBlank(data.AsSpan(from)));
            Assert.Equal(StringStopReference(data.AsSpan(from)), AsciiScan.FirstStringStop(data.AsSpan(from)));
        }
    }
}
