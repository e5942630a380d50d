namespace PolicyGen.Manifests;

/// <summary>
/// The same input once more, for <see cref="ListTailReader"/>: how to open it again (a file, or the
/// bytes held of standard input) and how long it is.
/// </summary>
internal sealed record ListReadAhead(Func<Stream> Open, long Length);
