using PolicyGen.Model;
using PolicyGen.Validation;

namespace PolicyGen.Analysis;

/// <summary>A NetworkPolicy the API server would reject, and why.</summary>
public sealed record PolicyError(NetworkPolicy Policy, PolicyProblem Problem)
{
    /// <summary><c>file:line:col: namespace/name: path: message</c>, one line.</summary>
    public override string ToString() => Problem.Format(Policy);
}
