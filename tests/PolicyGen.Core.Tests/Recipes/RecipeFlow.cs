using System.Net;
using PolicyGen.Evaluation;

namespace PolicyGen.Core.Tests.Recipes;

/// <summary>One connection the equivalence test compares: a client end, a server end (<c>namespace/pod</c> or an address) and a probe port.</summary>
public sealed record RecipeFlow(string From, string To, PortProbe Probe)
{
    /// <summary>True when <paramref name="end"/> is an outside address rather than a pod.</summary>
    public static bool IsAddress(string end) => IPAddress.TryParse(end, out _);

    public override string ToString() => $"{From} -> {To} {Probe}";
}
