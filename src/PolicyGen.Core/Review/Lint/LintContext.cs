using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Model;
using PolicyGen.Validation;

namespace PolicyGen.Review.Lint;

/// <summary>
/// What every rule needs: the manifests, who each policy selects and each peer matches (evaluated
/// the way the evaluator does, S2, S5), and an evaluator over the policies the API server would accept.
/// </summary>
public sealed class LintContext
{
    private readonly Dictionary<string, Namespace> namespaces;
    private readonly ILookup<string, Endpoint> endpointsByNamespace;
    private PolicyEvaluator? evaluator;

    public LintContext(Cluster cluster)
    {
        Cluster = cluster;
        namespaces = cluster.Namespaces.ToDictionary(n => n.Name, StringComparer.Ordinal);
        endpointsByNamespace = cluster.Endpoints.ToLookup(e => e.Namespace, StringComparer.Ordinal);
        Rules = [.. cluster.Policies.SelectMany(p => Enum.GetValues<PolicyDirection>()
            .SelectMany(d => p.Rules(d).Select((r, i) => new RuleSite(p, d, i, r))))];
        Rejected = [.. cluster.Policies.Where(p => PolicyValidator.Validate(p).Any(x => x.Severity == Severity.Error)).Select(p => p.Id)];
    }

    public Cluster Cluster { get; }

    /// <summary>Every rule of every policy, in policy order (namespace, name), ingress before egress.</summary>
    public ImmutableArray<RuleSite> Rules { get; }

    /// <summary>Policies the API server would reject (npgen validate says why); the evaluator leaves them out.</summary>
    public ImmutableHashSet<string> Rejected { get; }

    /// <summary>The inputs hold pods or workloads, so selectors can be checked against something.</summary>
    public bool HasEndpoints => !Cluster.Endpoints.IsEmpty;

    /// <summary>The inputs hold Namespace objects (not only namespaces that objects merely name).</summary>
    public bool HasNamespaceObjects => Cluster.Namespaces.Any(n => n.Location is not null);

    public bool IsDeclared(string ns) => namespaces.TryGetValue(ns, out var n) && n.Location is not null;

    public IEnumerable<Endpoint> EndpointsIn(string ns) => endpointsByNamespace[ns];

    public IReadOnlyDictionary<string, string> NamespaceLabels(string ns)
        => namespaces.TryGetValue(ns, out var n) ? n.Labels : Labels.Empty.Add(Namespace.NameLabel, ns);

    /// <summary>S2.1, S13: the pods the policy's podSelector selects; hostNetwork pods are node traffic and never selected.</summary>
    public IEnumerable<Endpoint> Selected(NetworkPolicy policy)
        => EndpointsIn(policy.Namespace).Where(e => !e.HostNetwork && policy.PodSelector.Matches(e.Labels));

    /// <summary>S5.2: the pods a selector peer matches (an ipBlock peer: the pods whose address lies in it).</summary>
    public IEnumerable<Endpoint> PeerPods(NetworkPolicy policy, PolicyPeer peer)
    {
        if (peer.IpBlock is { } block)
        {
            return IpBlocks.Parse(block) is { } parsed ? Cluster.Endpoints.Where(e => e.Addresses.Any(parsed.Contains)) : [];
        }

        var candidates = peer.NamespaceSelector is { } nsSelector
            ? Cluster.Endpoints.Where(e => nsSelector.Matches(NamespaceLabels(e.Namespace)))
            : EndpointsIn(policy.Namespace);
        return candidates.Where(e => !e.HostNetwork && (peer.PodSelector is null || peer.PodSelector.Matches(e.Labels)));
    }

    /// <summary>S2.1: the policies in the pod's namespace that select it and apply in the direction.</summary>
    public IEnumerable<NetworkPolicy> PoliciesIsolating(Endpoint endpoint, PolicyDirection direction)
        => endpoint.HostNetwork ? [] : Cluster.Policies.Where(p => p.Namespace == endpoint.Namespace && p.AppliesTo(direction) && p.PodSelector.Matches(endpoint.Labels));

    /// <summary>The evaluator over the manifests and the policies the API server accepts.</summary>
    public PolicyEvaluator Evaluator => evaluator ??= PolicyEvaluator.Create(Cluster with { Policies = [.. Cluster.Policies.Where(p => !Rejected.Contains(p.Id))] });

    public static LintFinding Finding(string code, LintSeverity severity, NetworkPolicy policy, string field, string message, string hint)
        => new(code, severity, new LintObject("NetworkPolicy", policy.Namespace, policy.Name), field, policy.LocationOf(field), message, hint);

    public static LintFinding Finding(string code, LintSeverity severity, Endpoint endpoint, string message, string hint)
        => new(code, severity, new LintObject(endpoint.Kind, endpoint.Namespace, endpoint.Name), "", endpoint.Location, message, hint);
}
