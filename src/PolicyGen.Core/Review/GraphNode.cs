namespace PolicyGen.Review;

/// <summary>
/// One box of a picture. <see cref="Key"/> identifies it (edges name it); <see cref="Namespace"/>
/// puts it inside that namespace's frame (null: outside every namespace).
/// </summary>
public sealed record GraphNode(string Key, string Label, GraphNodeKind Kind, string? Namespace);
