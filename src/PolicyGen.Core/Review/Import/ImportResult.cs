using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Review.Import;

/// <summary>
/// The intent an import wrote, and what it could not express (NPG870 warnings naming the policy
/// and rule). A non-empty <see cref="Notes"/> means the import is partial: the intent allows less
/// or more than the policies did, as each note says.
/// </summary>
public sealed record ImportResult(string Intent, ImmutableArray<Diagnostic> Notes, int Policies, int Apps, int Namespaces)
{
    public bool Partial => !Notes.IsEmpty;
}
