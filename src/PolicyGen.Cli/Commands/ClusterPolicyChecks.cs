using PolicyGen.Diagnostics;
using PolicyGen.Model;
using PolicyGen.Validation;

namespace PolicyGen.Cli.Commands;

/// <summary>Prints the S18.8 problems of AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects to stderr.</summary>
internal static class ClusterPolicyChecks
{
    /// <summary>False (after printing) when the API server would reject a cluster policy: then nothing is evaluated.</summary>
    public static bool Report(Cluster cluster)
    {
        var problems = ClusterPolicyValidator.Validate(cluster);
        foreach (var problem in problems)
        {
            Console.Error.WriteLine(string.Join("\n", problem.ToString().Split('\n').Select(TextEscaping.ForLine)));
        }

        if (problems.Any(p => p.Severity == Severity.Error))
        {
            Console.Error.WriteLine("npgen: the API server would reject these cluster policies, so they cannot be evaluated; fix them (npgen validate lists every problem).");
            return false;
        }

        return true;
    }
}
