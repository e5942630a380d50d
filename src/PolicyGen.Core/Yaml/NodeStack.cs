using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace PolicyGen.Yaml;

/// <summary>
/// The shared stack the node readers build mappings and lists on: children are pushed as they are
/// read, and a finished mapping or list takes its own off the top as one exact-size array (one
/// allocation per mapping or list; manifests hold millions of them), no builder.
/// </summary>
internal static class NodeStack
{
    /// <summary>The items pushed since <paramref name="from"/>, removed from the stack.</summary>
    public static ImmutableArray<T> Pop<T>(List<T> stack, int from)
    {
        var count = stack.Count - from;
        if (count == 0)
        {
            return [];
        }

        var items = new T[count];
        stack.CopyTo(from, items, 0, count);
        stack.RemoveRange(from, count);
        return ImmutableCollectionsMarshal.AsImmutableArray(items);
    }
}
