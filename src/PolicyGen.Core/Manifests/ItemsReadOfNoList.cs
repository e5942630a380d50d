namespace PolicyGen.Manifests;

/// <summary>
/// Thrown when a document whose items were converted as they ended (kubectl prints a List's kind
/// after its items) turns out to be no List: the loader forgets what the source gave and reads it
/// again with the same fast reader, this time keeping every item until the document's kind is known.
/// </summary>
internal sealed class ItemsReadOfNoList() : Exception("a document with items that is no List");
