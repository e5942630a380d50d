namespace PolicyGen.Manifests;

/// <summary>
/// Which part of a node the manifest loader reads: the whole node, some fields of a mapping, the
/// items of a list, or (for a Kubernetes object) whatever its kind needs. The fast readers build
/// nodes only where an interest says so and skip the rest without materialising it.
/// </summary>
internal sealed class FieldInterest
{
    private Dictionary<string, FieldInterest>? fields;

    private FieldInterest()
    {
    }

    /// <summary>Keep the node and everything under it.</summary>
    public static FieldInterest Whole { get; } = new() { IsWhole = true };

    /// <summary>A Kubernetes object: the fields its kind needs (<see cref="ManifestFieldInterest"/>), or all of them while its kind is unknown.</summary>
    public static FieldInterest KubernetesObject { get; } = new() { IsObject = true };

    /// <summary>The items of a List (<c>kind: List</c>, <c>PodList</c> ...): Kubernetes objects.</summary>
    public static FieldInterest ObjectList { get; } = new() { IsObjectList = true };

    public bool IsWhole { get; private init; }

    public bool IsObject { get; private init; }

    public bool IsObjectList { get; private init; }

    /// <summary>What to keep of each item when the node is a list; null: none of them.</summary>
    public FieldInterest? Items { get; private set; }

    /// <summary>What to keep of <paramref name="key"/> when the node is a mapping; null: skip it.</summary>
    public FieldInterest? Field(string key)
        => IsWhole ? Whole : fields is not null && fields.TryGetValue(key, out var interest) ? interest : null;

    /// <summary>
    /// The interest in a set of dotted paths: <c>metadata.name</c> keeps that field whole,
    /// <c>spec.containers[].ports</c> keeps the ports of every container.
    /// </summary>
    public static FieldInterest Paths(params IEnumerable<string> paths)
    {
        var root = new FieldInterest();
        foreach (var path in paths)
        {
            root.Add(path.Split('.'), 0);
        }

        return root;
    }

    private FieldInterest Add(string[] steps, int at)
    {
        if (IsWhole || at == steps.Length)
        {
            return Whole;
        }

        var step = steps[at];
        var isList = step.EndsWith("[]", StringComparison.Ordinal);
        var name = isList ? step[..^2] : step;
        fields ??= new(StringComparer.Ordinal);
        var child = fields.TryGetValue(name, out var existing) ? existing : new FieldInterest();
        if (child.IsWhole)
        {
            return this;
        }

        if (isList)
        {
            var items = child.Items ?? new FieldInterest();
            child.Items = at + 1 == steps.Length ? Whole : items.Add(steps, at + 1);
            fields[name] = child;
        }
        else
        {
            fields[name] = at + 1 == steps.Length ? Whole : child.Add(steps, at + 1);
        }

        return this;
    }
}
