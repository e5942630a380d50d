using PolicyGen.Evaluation;

namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>
/// S2.1 for the bulk path: <see cref="IsolationLists"/> sweeps the ends of the policies' selections
/// instead of visiting every selected identity of every policy. On random namespaces, selections of
/// every shape (the whole namespace, one run, scattered identities, nothing) and policies of
/// several namespaces interleaved by index, each identity must get exactly the policies that select
/// it, ascending, as the visit-every-member way gives, and equal lists must be one shared array.
/// </summary>
public sealed class IsolationListsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 40, 12)]
    [InlineData(3, 300, 150)]
    [InlineData(4, 2_000, 600)]
    public void S2_1_each_identity_gets_exactly_the_policies_that_select_it_in_ascending_order(int seed, int identities, int policies)
    {
        var random = new Random(seed);
        var namespaces = Namespaces(random, identities);
        var isolating = new List<(int Policy, IdentitySet Selected)>();
        for (var p = 0; p < policies; p++)
        {
            if (random.Next(6) == 0)
            {
                continue; // a policy that isolates nothing in this direction is not listed
            }

            var (start, end) = namespaces[random.Next(namespaces.Count)];
            isolating.Add((p, Selection(random, start, end)));
        }

        var lists = IsolationLists.Build(identities, isolating);

        var expected = Enumerable.Range(0, identities)
            .Select(i => isolating.Where(x => x.Selected.Contains(i)).Select(x => x.Policy).ToArray()).ToArray();
        Assert.Equal(identities, lists.Length);
        for (var i = 0; i < identities; i++)
        {
            Assert.Equal(expected[i], lists[i]);
        }

        var byContent = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var list in lists)
        {
            var key = string.Join(',', list);
            Assert.Same(byContent.TryGetValue(key, out var first) ? first : byContent[key] = list, list);
        }
    }

    [Fact]
    public void S2_1_without_isolating_policies_every_list_is_empty()
    {
        var lists = IsolationLists.Build(5, [(0, IdentitySet.Empty), (3, IdentitySet.Empty)]);

        Assert.All(lists, list => Assert.Empty(list));
    }

    [Fact]
    public void S2_1_a_policy_ending_where_another_starts_leaves_each_identity_only_its_own()
    {
        var lists = IsolationLists.Build(6, [(0, IdentitySet.Range(0, 3)), (1, IdentitySet.Range(3, 6)), (2, IdentitySet.Range(2, 4))]);

        Assert.Equal([[0], [0], [0, 2], [1, 2], [1], [1]], lists);
    }

    /// <summary>Consecutive [start, end) ranges covering [0, identities), as namespaces are.</summary>
    private static List<(int Start, int End)> Namespaces(Random random, int identities)
    {
        var result = new List<(int, int)>();
        for (var start = 0; start < identities;)
        {
            var end = Math.Min(identities, start + 1 + random.Next(Math.Max(1, identities / 5)));
            result.Add((start, end));
            start = end;
        }

        return result;
    }

    private static IdentitySet Selection(Random random, int start, int end)
    {
        switch (random.Next(4))
        {
            case 0:
                return IdentitySet.Range(start, end); // podSelector: {}
            case 1:
                var from = random.Next(start, end);
                return IdentitySet.Range(from, random.Next(from + 1, end + 1)); // one app
            case 2:
                return IdentitySet.FromSorted([.. Enumerable.Range(start, end - start).Where(_ => random.Next(3) == 0)]);
            default:
                return IdentitySet.Empty;
        }
    }
}
