using System.Collections.Immutable;
using PolicyGen.Model;

namespace PolicyGen.Check;

/// <summary>
/// The cluster as it will be once an intent's policies are applied: the NetworkPolicies that intent
/// generated earlier (labels <c>app.kubernetes.io/managed-by: npgen</c> and <c>npgen.dev/intent: NAME</c>),
/// and any policy with the name of a new one, are replaced by the new ones; every other policy stays.
/// </summary>
public sealed record IntentPolicySubstitution(Cluster Cluster, ImmutableArray<string> Replaced, ImmutableArray<string> Kept, int Generated)
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string IntentLabel = "npgen.dev/intent";

    public static IntentPolicySubstitution Apply(Cluster cluster, string intentName, IReadOnlyCollection<NetworkPolicy> generated)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(generated);
        var names = generated.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        bool OfThisIntent(NetworkPolicy p)
            => names.Contains(p.Id)
               || (p.Labels.TryGetValue(ManagedByLabel, out var by) && by == "npgen"
                   && p.Labels.TryGetValue(IntentLabel, out var intent) && intent == intentName);

        var replaced = cluster.Policies.Where(OfThisIntent).ToList();
        var kept = cluster.Policies.Where(p => !OfThisIntent(p)).ToList();

        // The new policies may name namespaces the manifests never mention: they exist with their name label (S5.4).
        var namespaces = cluster.Namespaces.ToList();
        foreach (var ns in generated.Select(p => p.Namespace).Distinct(StringComparer.Ordinal))
        {
            if (!namespaces.Any(n => n.Name == ns))
            {
                namespaces.Add(Namespace.Create(ns, [], null));
            }
        }

        var result = cluster with
        {
            Namespaces = [.. namespaces.OrderBy(n => n.Name, StringComparer.Ordinal)],
            Policies = [.. kept.Concat(generated).OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)],
        };
        return new IntentPolicySubstitution(result, [.. replaced.Select(p => p.Id)], [.. kept.Select(p => p.Id)], generated.Count);
    }
}
