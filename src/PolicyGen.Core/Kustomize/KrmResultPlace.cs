namespace PolicyGen.Kustomize;

/// <summary>
/// Where a KRM result points: the object (<paramref name="Resource"/>, for resourceRef), the field in
/// it, the file relative to the root and the document index in it, and the line and column in the
/// user's own file (null when only a tool's copy was at hand).
/// </summary>
public sealed record KrmResultPlace(MappingNode? Resource, string? FilePath, int? Index, string? FieldPath, int? Line, int? Column, string? Code);
