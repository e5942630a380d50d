namespace PolicyGen.Manifests;

/// <summary>The text of one input: a file (named by the path the user gave) or standard input (<c>-</c>).</summary>
public sealed record ManifestSource(string Name, string Text);
