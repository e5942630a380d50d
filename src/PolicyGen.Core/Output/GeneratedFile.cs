namespace PolicyGen.Output;

/// <summary>
/// One file npgen generates: its path relative to the output directory, '/'-separated and made of
/// lowercase names (e.g. <c>shop/web-ingress.yaml</c>), and its text, which must start with
/// <see cref="OutputDirectoryWriter.GeneratedMarker"/> and use LF line endings.
/// </summary>
public sealed record GeneratedFile(string RelativePath, string Content);
