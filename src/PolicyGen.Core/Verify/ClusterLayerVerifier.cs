using System.Collections.Immutable;
using System.Globalization;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// Proves that the three layers together (admin tier, NetworkPolicy, baseline tier, then the
/// default allow; per direction, on both ends of a connection) allow exactly what an intent with
/// <c>spec.cluster</c> means (docs/intent.md, "What the cluster section means"). The witness world
/// of the NetworkPolicy proof gains a namespace the intent never names (a namespace created later),
/// the exempt and protected namespaces, and the monitoring and DNS pods, so "new namespaces are
/// covered" is checked, not assumed. The NetworkPolicy layer is judged by the core evaluator; the
/// cluster-scoped objects are the ones read back from the rendered templates.
/// </summary>
internal static class ClusterLayerVerifier
{
    /// <summary>The namespace no intent names: it stands for every namespace created after the build.</summary>
    public const string LaterNamespace = "npgen-created-later";

    private const int MaxReported = 20;

    public static ImmutableArray<Diagnostic> Verify(NetworkIntent intent, ImmutableArray<AppConnectivity> apps, ImmutableArray<NetworkPolicy> policies,
        ImmutableArray<ClusterPolicyObject> objects, IReadOnlyList<string>? templateOverrides = null)
    {
        if (intent.Cluster is not { } cluster)
        {
            return [];
        }

        var world = WitnessWorld.Build(intent, apps, policies, ExtraWitnesses(intent, cluster));
        var evaluator = PolicyEvaluator.Create(new Cluster { Namespaces = world.Namespaces, Endpoints = world.Endpoints, Policies = policies });
        var layers = new ClusterLayers(intent, cluster, world, objects);
        var meaning = new IntentMeaning(intent, apps, world);
        var witnesses = world.Witnesses;
        var ends = witnesses.Select(w => End(evaluator, w)).ToArray();
        var differing = new SortedDictionary<(string From, string To, bool Intended), (List<string> Ports, string Why)>();
        foreach (var probe in Probes(intent, cluster, policies))
        {
            var (egressRows, ingressRows) = meaning.Rows(probe);
            for (var f = 0; f < witnesses.Length; f++)
            {
                for (var t = 0; t < witnesses.Length; t++)
                {
                    if (f == t || (!witnesses[f].IsPod && !witnesses[t].IsPod))
                    {
                        continue;
                    }

                    var intended = layers.IntendedEgress(witnesses[f], witnesses[t], probe, egressRows[f], t)
                        && layers.IntendedIngress(witnesses[t], witnesses[f], probe, ingressRows[t], f);
                    var verdict = evaluator.Evaluate(ends[f], ends[t], probe.Port, probe.Protocol);
                    var (egress, egressWhy) = layers.Actual(PolicyDirection.Egress, witnesses[f], witnesses[t], probe, verdict.Egress);
                    var (ingress, ingressWhy) = layers.Actual(PolicyDirection.Ingress, witnesses[t], witnesses[f], probe, verdict.Ingress);
                    if (intended != (egress && ingress))
                    {
                        var key = (witnesses[f].FullDisplay, witnesses[t].FullDisplay, intended);
                        if (!differing.TryGetValue(key, out var entry))
                        {
                            differing[key] = entry = ([], !egress ? egressWhy : !ingress ? ingressWhy : $"{egressWhy}; {ingressWhy}");
                        }

                        entry.Ports.Add(probe.ToString());
                    }
                }
            }
        }

        return Diagnose(differing, cluster, templateOverrides);
    }

    private static ImmutableArray<Diagnostic> Diagnose(SortedDictionary<(string From, string To, bool Intended), (List<string> Ports, string Why)> differing,
        ClusterIntent cluster, IReadOnlyList<string>? templateOverrides)
    {
        var overrides = templateOverrides is { Count: > 0 } ? string.Join(", ", templateOverrides) : null;
        var hint = overrides is null
            ? "the bundled templates and the proof disagree, which is a bug in npgen: please report it with this intent"
            : $"a template in --templates ({overrides}) changed what the cluster-wide policies mean; fix it, or remove it to use the bundled one";
        var result = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var ((from, to, intended), (ports, why)) in differing.Take(MaxReported))
        {
            result.Add(Diagnostic.Error(DiagnosticCodes.VerificationMismatch,
                $"{from} -> {to} on {string.Join(", ", ports.Distinct())}: the intent {(intended ? "allows" : "denies")} it, but the cluster-wide and namespaced policies together {(intended ? "deny" : "allow")} it ({why})",
                cluster.Source.Location, result.Count == 0 ? hint : null));
        }

        if (differing.Count > MaxReported)
        {
            result.Add(Diagnostic.Error(DiagnosticCodes.VerificationMismatch,
                $"... and {(differing.Count - MaxReported).ToString(CultureInfo.InvariantCulture)} more flows differ ({differing.Count.ToString(CultureInfo.InvariantCulture)} in all)", cluster.Source.Location));
        }

        return result.ToImmutable();
    }

    /// <summary>The NetworkPolicy proof's port classes, and the edges of the monitoring ports (which no NetworkPolicy mentions).</summary>
    private static SortedSet<PortProbe> Probes(NetworkIntent intent, ClusterIntent cluster, ImmutableArray<NetworkPolicy> policies)
    {
        var probes = new SortedSet<PortProbe>(PortProbes.For(intent, policies), PortProbe.Order);
        foreach (var range in cluster.Monitoring?.Ports ?? [])
        {
            foreach (var port in new[] { range.Low - 1, range.Low, range.High, range.High + 1 }.Where(p => p is >= 1 and <= 65535))
            {
                probes.Add(new PortProbe(port, range.Protocol));
            }
        }

        return probes;
    }

    private static ConnectionEnd End(PolicyEvaluator evaluator, Witness witness)
    {
        if (witness.IsPod)
        {
            evaluator.TryResolve(witness.Pod!.Id, out var end, out _);
            return end!;
        }

        return ConnectionEnd.External(witness.Address!);
    }

    /// <summary>
    /// Pods the NetworkPolicy proof would not make: one in a namespace no intent names, one per exempt
    /// namespace (by name and by label), one per protected namespace, and the monitoring pods.
    /// </summary>
    private static Cluster ExtraWitnesses(NetworkIntent intent, ClusterIntent cluster)
    {
        var namespaces = new SortedDictionary<string, ImmutableSortedDictionary<string, string>>(StringComparer.Ordinal);
        var pods = new List<Endpoint>();
        void Add(string ns, ImmutableSortedDictionary<string, string>? nsLabels, string pod, ImmutableSortedDictionary<string, string> podLabels)
        {
            if (!namespaces.ContainsKey(ns))
            {
                namespaces[ns] = (nsLabels ?? intent.FindNamespace(ns)?.EffectiveLabels ?? Labels.Empty).SetItem(Namespace.NameLabel, ns);
            }

            pods.Add(new Endpoint { Namespace = ns, Name = pod, Kind = "Pod", Labels = podLabels });
        }

        var plain = Labels.Of(("npgen.dev/witness", "cluster"));
        Add(LaterNamespace, null, "any-pod", plain);
        foreach (var ns in cluster.ExemptNamespaces.Concat(cluster.Protected.Select(p => p.Namespace)))
        {
            Add(ns, null, "npgen-cluster-witness", plain);
        }

        var i = 0;
        foreach (var (key, value) in cluster.ExemptLabels)
        {
            Add($"npgen-exempt-by-label-{(++i).ToString(CultureInfo.InvariantCulture)}", Labels.Of((key, value)), "any-pod", plain);
        }

        switch (cluster.Monitoring?.From)
        {
            case NamespacePeer n:
                Add(n.Namespace, null, "npgen-monitoring", n.PodLabels ?? plain);
                break;
            case NamespaceLabelsPeer l:
                Add("npgen-monitoring", l.Labels, "npgen-monitoring", l.PodLabels ?? plain);
                break;
            default:
                break; // an app: the NetworkPolicy proof already has a pod for it
        }

        return new Cluster
        {
            Namespaces = [.. namespaces.Select(n => new Namespace(n.Key, n.Value, null))],
            Endpoints = [.. pods],
        };
    }
}
