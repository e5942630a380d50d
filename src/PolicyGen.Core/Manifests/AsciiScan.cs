using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PolicyGen.Manifests;

/// <summary>
/// The two byte searches that step over most of a kubectl JSON dump (indentation, and the contents
/// of strings npgen does not read), written on <see cref="Vector128"/> in npgen's own code: ReadyToRun
/// compiles them ahead of time, where <c>SearchValues</c>' generic searchers ran unoptimised code for
/// the first part of every process (~7 % of reading a 214 MB dump).
/// </summary>
internal static class AsciiScan
{
    /// <summary>Index of the first byte that is not a JSON blank (space, tab, CR, LF); -1 when all are.</summary>
    public static int FirstNonBlank(ReadOnlySpan<byte> data)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated && data.Length >= Vector128<byte>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(data);
            var space = Vector128.Create((byte)' ');
            var tab = Vector128.Create((byte)'\t');
            var cr = Vector128.Create((byte)'\r');
            var lf = Vector128.Create((byte)'\n');
            for (; i <= data.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                var bytes = Vector128.LoadUnsafe(ref start, (nuint)i);
                var blank = Vector128.Equals(bytes, space) | Vector128.Equals(bytes, tab) | Vector128.Equals(bytes, cr) | Vector128.Equals(bytes, lf);
                var other = ~blank.ExtractMostSignificantBits() & 0xFFFF;
                if (other != 0)
                {
                    return i + BitOperations.TrailingZeroCount(other);
                }
            }
        }

        for (; i < data.Length; i++)
        {
            if (data[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Index of the first byte that ends plain string content (a quote, a backslash, a control character, a non-ASCII byte); -1 when none does.</summary>
    public static int FirstStringStop(ReadOnlySpan<byte> data)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated && data.Length >= Vector128<byte>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(data);
            var quote = Vector128.Create((byte)'"');
            var backslash = Vector128.Create((byte)'\\');
            var control = Vector128.Create((byte)0x20);
            var ascii = Vector128.Create((byte)0x7F);
            for (; i <= data.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                var bytes = Vector128.LoadUnsafe(ref start, (nuint)i);
                var stop = Vector128.Equals(bytes, quote) | Vector128.Equals(bytes, backslash)
                    | Vector128.LessThan(bytes, control) | Vector128.GreaterThan(bytes, ascii);
                var found = stop.ExtractMostSignificantBits();
                if (found != 0)
                {
                    return i + BitOperations.TrailingZeroCount(found);
                }
            }
        }

        for (; i < data.Length; i++)
        {
            if (data[i] is (byte)'"' or (byte)'\\' or < 0x20 or >= 0x80)
            {
                return i;
            }
        }

        return -1;
    }
}
