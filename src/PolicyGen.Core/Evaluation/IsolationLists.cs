namespace PolicyGen.Evaluation;

/// <summary>
/// Per identity, the ascending indexes of the policies that isolate it in one direction (S2.1).
/// A policy's selection is a few ranges of identities, so one sweep over the range ends sees the
/// list change only there: each run of identities between two ends gets one array, and equal lists
/// anywhere share it. The cost follows those runs, not identities × policies, which grows twice as
/// fast as the cluster where namespace sizes are skewed (the largest namespace doubles in pods and
/// in policies when the cluster doubles). Shared arrays also let later stages work once per list.
/// </summary>
internal static class IsolationLists
{
    /// <param name="identityCount">How many identities there are.</param>
    /// <param name="isolating">Each isolating policy (ascending) with the identities it selects.</param>
    public static int[][] Build(int identityCount, IReadOnlyList<(int Policy, IdentitySet Selected)> isolating)
    {
        var result = new int[identityCount][];
        Array.Fill(result, []);
        var events = new List<(int At, int Policy)>(); // a policy starts at At, or ends there when stored as ~Policy
        foreach (var (policy, selected) in isolating)
        {
            for (var r = 0; r < selected.RangeCount; r++)
            {
                var (start, end) = selected.RangeAt(r);
                events.Add((start, policy));
                events.Add((end, ~policy));
            }
        }

        if (events.Count == 0)
        {
            return result;
        }

        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(events);
        span.Sort((a, b) => a.At.CompareTo(b.At)); // the order of events at one position does not matter
        var shared = new Dictionary<int[], int[]>(IdListComparer.Instance);
        var lookup = shared.GetAlternateLookup<ReadOnlySpan<int>>();
        var active = new List<int>(); // ascending policy indexes
        var from = 0;
        var e = 0;
        while (e < span.Length)
        {
            var at = span[e].At;
            if (active.Count > 0 && at > from)
            {
                var list = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(active);
                if (!lookup.TryGetValue(list, out var array))
                {
                    array = list.ToArray();
                    shared[array] = array;
                }

                result.AsSpan(from, at - from).Fill(array);
            }

            for (; e < span.Length && span[e].At == at; e++)
            {
                var policy = span[e].Policy;
                if (policy >= 0)
                {
                    active.Insert(~active.BinarySearch(policy), policy);
                }
                else
                {
                    active.RemoveAt(active.BinarySearch(~policy));
                }
            }

            from = at;
        }

        return result;
    }
}
