using PolicyGen.Evaluation;

namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>
/// <see cref="IdentitySet.Intersect"/> searches the large set once per range of the small one when
/// their range counts differ by more than 8 times (a selector for one app against a label every
/// namespace carries), and walks both otherwise. On random sets of both shapes the answer must be the
/// members both sets hold, with the same canonical ranges, so equal rows still compare equal.
/// </summary>
public sealed class IdentitySetIntersectionTests
{
    public static TheoryData<int, int> Shapes() => new()
    {
        { 400, 3 },   // far fewer ranges on one side: the binary-search path, from either operand
        { 400, 40 },
        { 1, 300 },
        { 60, 50 },   // comparable range counts: the merge path
        { 25, 25 },
        { 200, 0 },   // an empty side
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Intersection_holds_exactly_the_common_members_whichever_path_computes_it(int largeRanges, int smallRanges)
    {
        var random = new Random(largeRanges * 1000 + smallRanges);
        for (var round = 0; round < 50; round++)
        {
            var (large, largeMembers) = RandomSet(random, largeRanges, 20_000);
            var (small, smallMembers) = RandomSet(random, smallRanges, 20_000);
            var expected = IdentitySet.FromSorted([.. largeMembers.Intersect(smallMembers).Order()]);

            Assert.Equal(expected, large.Intersect(small));
            Assert.Equal(expected, small.Intersect(large));
            Assert.Equal(expected.GetHashCode(), small.Intersect(large).GetHashCode());
            Assert.Equal(expected.RangeCount, large.Intersect(small).RangeCount);
        }
    }

    [Fact]
    public void A_narrow_selection_against_a_comb_keeps_the_combs_gaps()
    {
        // Two narrow ranges against a set of 40 ranges (the binary-search path): the comb's gaps inside
        // them stay gaps, the parts outside them are dropped.
        var comb = IdentitySet.FromSorted([.. Enumerable.Range(0, 400).Where(i => i % 10 != 9)]);
        var narrow = IdentitySet.Range(5, 35).Union(IdentitySet.Range(390, 392));

        var both = comb.Intersect(narrow);

        Assert.Equal([(5, 9), (10, 19), (20, 29), (30, 35), (390, 392)], Enumerable.Range(0, both.RangeCount).Select(both.RangeAt));
        Assert.Equal(both, narrow.Intersect(comb));
    }

    /// <summary>About <paramref name="ranges"/> random ranges (fewer when they touch) and the members they hold.</summary>
    private static (IdentitySet Set, HashSet<int> Members) RandomSet(Random random, int ranges, int space)
    {
        var members = new HashSet<int>();
        var list = new List<(int Start, int End)>();
        for (var r = 0; r < ranges; r++)
        {
            var start = random.Next(space);
            var end = Math.Min(space, start + 1 + random.Next(space / Math.Max(1, ranges) / 2 + 1));
            list.Add((start, end));
            for (var i = start; i < end; i++)
            {
                members.Add(i);
            }
        }

        return (IdentitySet.FromRanges(list), members);
    }
}
