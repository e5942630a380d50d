using System.Numerics;

namespace PolicyGen.Evaluation;

/// <summary>
/// A fixed-length set of small integers (identity or namespace indexes) packed 64 to a word, so
/// selector matches and rule unions are word-wise AND/OR instead of per-pod loops.
/// </summary>
public sealed class Bitset
{
    private readonly ulong[] words;

    public Bitset(int length)
    {
        Length = length;
        words = new ulong[(length + 63) >> 6];
    }

    public int Length { get; }

    public static Bitset Full(int length)
    {
        var set = new Bitset(length);
        set.SetRange(0, length);
        return set;
    }

    public bool this[int index] => (words[index >> 6] & (1UL << index)) != 0;

    public void Set(int index) => words[index >> 6] |= 1UL << index;

    /// <summary>Sets the bits in [start, end).</summary>
    public void SetRange(int start, int end)
    {
        for (var i = start; i < end;)
        {
            if ((i & 63) == 0 && end - i >= 64)
            {
                words[i >> 6] = ulong.MaxValue;
                i += 64;
            }
            else
            {
                Set(i);
                i++;
            }
        }
    }

    public Bitset Clone()
    {
        var copy = new Bitset(Length);
        words.CopyTo(copy.words, 0);
        return copy;
    }

    public void Or(Bitset other)
    {
        for (var i = 0; i < words.Length; i++)
        {
            words[i] |= other.words[i];
        }
    }

    public void And(Bitset other)
    {
        for (var i = 0; i < words.Length; i++)
        {
            words[i] &= other.words[i];
        }
    }

    public void AndNot(Bitset other)
    {
        for (var i = 0; i < words.Length; i++)
        {
            words[i] &= ~other.words[i];
        }
    }

    /// <summary>this |= a AND b, without allocating the intersection.</summary>
    public void OrAnd(Bitset a, Bitset b)
    {
        for (var i = 0; i < words.Length; i++)
        {
            words[i] |= a.words[i] & b.words[i];
        }
    }

    /// <summary>Up to <paramref name="max"/> members among <paramref name="mask"/> in which this set and <paramref name="other"/> differ.</summary>
    public List<int> Differences(Bitset other, Bitset mask, int max)
    {
        var result = new List<int>();
        for (var i = 0; i < words.Length && result.Count < max; i++)
        {
            var diff = (words[i] ^ other.words[i]) & mask.words[i];
            while (diff != 0 && result.Count < max)
            {
                result.Add((i << 6) + BitOperations.TrailingZeroCount(diff));
                diff &= diff - 1;
            }
        }

        return result;
    }

    /// <summary>Whether this set and <paramref name="other"/> hold the same members among <paramref name="mask"/>, bit <paramref name="ignore"/> aside.</summary>
    public bool EqualsWithin(Bitset other, Bitset mask, int ignore)
    {
        for (var i = 0; i < words.Length; i++)
        {
            var diff = (words[i] ^ other.words[i]) & mask.words[i];
            if (i == ignore >> 6)
            {
                diff &= ~(1UL << ignore);
            }

            if (diff != 0)
            {
                return false;
            }
        }

        return true;
    }

    public bool IsEmpty => Array.TrueForAll(words, w => w == 0);

    public int Count()
    {
        var count = 0;
        foreach (var w in words)
        {
            count += BitOperations.PopCount(w);
        }

        return count;
    }

    public IEnumerable<int> Ones()
    {
        for (var w = 0; w < words.Length; w++)
        {
            var word = words[w];
            while (word != 0)
            {
                var bit = BitOperations.TrailingZeroCount(word);
                yield return (w << 6) + bit;
                word &= word - 1;
            }
        }
    }
}
