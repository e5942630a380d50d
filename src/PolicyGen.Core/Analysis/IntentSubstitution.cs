using PolicyGen.Check;
using PolicyGen.Diagnostics;
using PolicyGen.Pipeline;

namespace PolicyGen.Analysis;

/// <summary>
/// What became of <c>--intent</c>: it could not be read (<see cref="ReadError"/>), or it was built
/// (<see cref="Build"/>, with its diagnostics) and, when that succeeded, its policies replaced the
/// ones it generated before (<see cref="Substitution"/>).
/// </summary>
public sealed record IntentSubstitution(Diagnostic? ReadError, BuildResult? Build, IntentPolicySubstitution? Substitution)
{
    public bool Succeeded => Substitution is not null;
}
