namespace PolicyGen.Manifests;

/// <summary>
/// The path of a field in an object (<c>spec.containers[0].ports[1]</c>) for messages, or none:
/// <see cref="None"/> composes to nothing and formats no text, so a first reading of a clean object
/// allocates no path strings. Read again with a real path only when that reading reports something
/// (<see cref="ManifestLoader"/>'s quiet reads), so every message still names its field.
/// </summary>
internal readonly record struct FieldPath(string? Text)
{
    public static FieldPath None => default;

    public FieldPath Then(string field)
        => Text is null ? this : new(Text.Length == 0 ? field : $"{Text}.{field}");

    public FieldPath At(int index)
        => Text is null ? this : new($"{Text}[{index}]");

    public override string ToString() => Text ?? "";

    public static implicit operator string(FieldPath path) => path.ToString();
}
