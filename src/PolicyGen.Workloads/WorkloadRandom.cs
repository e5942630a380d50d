namespace PolicyGen.Workloads;

/// <summary>
/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64. The generator uses only this:
/// never <see cref="System.Random"/>, whose sequence may change between .NET versions, so a seed
/// gives byte-identical output on every OS and runtime.
/// </summary>
public sealed class WorkloadRandom
{
    private ulong s0, s1, s2, s3;

    public WorkloadRandom(ulong seed)
    {
        var x = seed;
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    /// <summary>An independent stream for one part of the workload, so adding draws in one part does not shift another.</summary>
    public WorkloadRandom Fork(ulong stream) => new(NextUInt64() ^ (stream * 0x9E3779B97F4A7C15UL));

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, bound), without modulo bias (Lemire's multiply-shift with rejection).</summary>
    public int Next(int bound)
    {
        if (bound <= 1)
        {
            return 0;
        }

        var range = (ulong)bound;
        var product = Math.BigMul(NextUInt64(), range, out var low);
        if (low < range)
        {
            var threshold = (0UL - range) % range;
            while (low < threshold)
            {
                product = Math.BigMul(NextUInt64(), range, out low);
            }
        }

        return (int)product;
    }

    /// <summary>Uniform in [low, high] inclusive.</summary>
    public int Between(int low, int high) => low + Next(high - low + 1);

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>1 + the failures before the first success with p = 1/mean: geometric on 1, 2, ... with the given mean.</summary>
    public int Geometric(double mean, int max)
    {
        var p = 1.0 / mean;
        var n = 1;
        while (n < max && !Chance(p))
        {
            n++;
        }

        return n;
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Index drawn with the given cumulative weights (ascending, last = total).</summary>
    public int PickWeighted(double[] cumulative)
    {
        var x = NextDouble() * cumulative[^1];
        var index = Array.BinarySearch(cumulative, x);
        index = index >= 0 ? index + 1 : ~index;
        return Math.Min(index, cumulative.Length - 1);
    }

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>
/// Powers computed with + - * / only, which IEEE 754 makes bit-exact everywhere; Math.Pow, Log and
/// Exp may differ in the last bit between platforms and would break byte-identical output.
/// </summary>
internal static class DeterministicMath
{
    private const double Ln2 = 0.6931471805599453;

    public static double Pow(double x, double y) => Exp(y * Ln(x));

    /// <summary>ln x for x &gt; 0: x = m * 2^e with m in [1, 2), ln m = 2 atanh((m-1)/(m+1)).</summary>
    public static double Ln(double x)
    {
        var bits = BitConverter.DoubleToInt64Bits(x);
        var exponent = (int)((bits >> 52) & 0x7FF) - 1023;
        var mantissa = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        var t = (mantissa - 1) / (mantissa + 1);
        var t2 = t * t;
        var sum = 0.0;
        var term = t;
        for (var k = 1; k < 60; k += 2)
        {
            sum += term / k;
            term *= t2;
        }

        return 2 * sum + exponent * Ln2;
    }

    /// <summary>e^x: x = n ln2 + r with |r| &lt;= ln2/2, Taylor series for e^r, times 2^n.</summary>
    public static double Exp(double x)
    {
        var n = (int)Math.Round(x / Ln2);
        var r = x - n * Ln2;
        var sum = 1.0;
        var term = 1.0;
        for (var k = 1; k < 30; k++)
        {
            term = term * r / k;
            sum += term;
        }

        return Math.ScaleB(sum, n);
    }
}
