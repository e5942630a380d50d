using System.Collections.Immutable;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// The model cluster the proof runs on: the witnesses (<see cref="WitnessWorldBuilder"/> says
/// which) and the namespaces they live in, with the pods in the evaluator's order.
/// </summary>
internal sealed class WitnessWorld
{
    private readonly Dictionary<Witness, int> indexes = new(ReferenceEqualityComparer.Instance);

    internal WitnessWorld(NetworkIntent intent, ImmutableArray<Namespace> namespaces, ImmutableArray<Witness> witnesses)
    {
        Intent = intent;
        AppsByName = intent.Apps.ToDictionary(a => a.Name, StringComparer.Ordinal);
        Namespaces = namespaces;
        Witnesses = witnesses;
        var pods = witnesses.Where(w => w.IsPod).OrderBy(w => w.Pod!.Namespace, StringComparer.Ordinal).ThenBy(w => w.Pod!.Name, StringComparer.Ordinal).ToList();
        Endpoints = [.. pods.Select(w => w.Pod!)];
        for (var i = 0; i < pods.Count; i++)
        {
            indexes[pods[i]] = i;
        }

        NamespaceLabels = namespaces.ToDictionary(n => n.Name, n => (IReadOnlyDictionary<string, string>)n.Labels, StringComparer.Ordinal);
    }

    public NetworkIntent Intent { get; }
    public Dictionary<string, App> AppsByName { get; }
    public ImmutableArray<Namespace> Namespaces { get; }
    public ImmutableArray<Endpoint> Endpoints { get; }
    public ImmutableArray<Witness> Witnesses { get; }
    public Dictionary<string, IReadOnlyDictionary<string, string>> NamespaceLabels { get; }

    /// <summary>Index of a pod witness in <see cref="Endpoints"/> (the evaluator's order).</summary>
    public int IndexOf(Witness witness) => indexes[witness];

    /// <summary>The witness that stands for an end of an <c>expect:</c>.</summary>
    public Witness? Find(ExpectationEnd end)
    {
        if (end.Address is { } address)
        {
            return Witnesses.FirstOrDefault(w => address.Equals(w.Address));
        }

        return end.Peer switch
        {
            AppPeer a => Witnesses.FirstOrDefault(w => w.App?.Name == a.App),
            _ => Witnesses.FirstOrDefault(w => PeerMatching.Matches(end.Peer, w, this)),
        };
    }

    /// <param name="workloads">Real namespaces and pods (npgen diff -f): their labels are the truth, so
    /// they come first; the intent's witnesses still stand for the pods the manifests do not show.</param>
    public static WitnessWorld Build(NetworkIntent intent, ImmutableArray<AppConnectivity> apps, ImmutableArray<NetworkPolicy> policies = default,
        Cluster? workloads = null)
        => new WitnessWorldBuilder(intent, workloads).Build(apps, policies);
}
