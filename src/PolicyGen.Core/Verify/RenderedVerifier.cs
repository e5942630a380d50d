using System.Collections.Immutable;
using System.Text.RegularExpressions;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Pipeline;

namespace PolicyGen.Verify;

/// <summary>
/// Checks the NetworkPolicies that reach the cluster: it finds, in any rendered stream (kubectl
/// kustomize output, a directory, a ResourceList's items), the policies an intent generated (by
/// npgen's labels, not by name: a transformer may have renamed or moved them), proves them against
/// the intent with the same verifier as <c>npgen build</c>, and compares each with what the build
/// generates to name the likely cause of every difference (kustomize <c>commonLabels</c>,
/// <c>namespace:</c>, <c>namePrefix</c>/<c>nameSuffix</c>, <c>patches:</c>).
/// </summary>
public static partial class RenderedVerifier
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string IntentLabel = "npgen.dev/intent";
    public const string SourceAnnotation = "npgen.dev/source";
    private const int MaxFlows = 10;

    /// <param name="build">A successful build of the intent: the policies the stream should hold.</param>
    /// <param name="sources">The rendered stream.</param>
    /// <param name="withLocations">
    /// False when the stream is a tool's re-serialized copy (kustomize's stdin, a ResourceList): its
    /// line numbers mean nothing to the user, so problems name the object and field only.
    /// </param>
    public static RenderedVerification Verify(BuildResult build, IReadOnlyList<ManifestSource> sources, bool withLocations = true)
    {
        var intent = build.Intent ?? throw new ArgumentException("the build has no intent", nameof(build));
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var objects = sources.SelectMany(s => RenderedObjects.Scan(s)).ToList();
        var loaded = ManifestLoader.Load(sources);
        var ours = objects.Where(o => o.IsNetworkPolicy && o.Label(ManagedByLabel) == "npgen" && o.Label(IntentLabel) == intent.Name).ToList();

        // Reader problems inside the intent's policies (or in no object at all: a syntax error) are
        // errors; problems in other objects do not touch the proof and are named as skipped.
        foreach (var d in loaded.Diagnostics)
        {
            var inOther = d.Location is { } at && objects.Any(o => o.File == at.File && at.Line >= o.StartLine && at.Line <= o.EndLine)
                && !ours.Any(o => o.File == d.Location.File && d.Location.Line >= o.StartLine && d.Location.Line <= o.EndLine);
            diagnostics.Add(inOther && d.Severity == Severity.Error
                ? Diagnostic.Warning(DiagnosticCodes.RenderedInputIgnored, $"not one of the intent's policies, so not part of the check: {d.Code}: {d.Message}", Where(d.Location, withLocations))
                : d with { Location = Where(d.Location, withLocations) });
        }

        var models = loaded.Cluster.Policies.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var found = new List<Found>();
        foreach (var o in ours)
        {
            if (models.TryGetValue(o.Id, out var model))
            {
                found.Add(new Found(o, model));
            }
            else if (!diagnostics.HasErrors())
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RenderedPolicyUnreadable,
                    $"NetworkPolicy {o.Id} carries {IntentLabel}={intent.Name} but could not be read as a NetworkPolicy", null,
                    "run npgen validate -f on the rendered stream to see why"));
            }
        }

        if (diagnostics.HasErrors())
        {
            return new RenderedVerification(build.Policies.Length, found.Count, null, diagnostics.ToImmutable());
        }

        var expected = build.Policies.Select(p => new Expected(p, RenderedObjects.Scan(new ManifestSource(p.TemplatePath, p.Yaml)).FirstOrDefault())).ToList();
        var (pairs, missing, extra) = Pair(expected, found);

        foreach (var e in missing)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RenderedPolicyMissing,
                $"NetworkPolicy {e.Id}, which the intent generates{Source(e)}, is not in the rendered stream",
                intent.Source.Location,
                "list the NetworkIntentGenerator under generators: of this kustomization or one of its bases, and do not remove its policies with a patch ($patch: delete) or another transformer"));
        }

        foreach (var r in extra)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RenderedPolicyExtra,
                $"NetworkPolicy {r.Object.Id} carries {IntentLabel}={intent.Name}, but the intent does not generate it",
                Where(r.Model.Location, withLocations),
                "remove it: a stale copy of npgen's output, a copy from another environment, or a resource that borrowed npgen's labels; only the generator should emit these policies"));
        }

        Diagnose(pairs, diagnostics, withLocations);

        // The proof, exactly as npgen build runs it, on the final objects.
        var (apps, _) = AppConnectivity.Of(intent);
        var proof = IntentVerifier.Verify(intent, apps, [.. found.Select(f => f.Model)]);
        // With a cause named above, a few flows show the effect; without one, the flows are the finding.
        var shown = diagnostics.HasErrors() ? 3 : MaxFlows;
        diagnostics.AddRange(FlowGroups.Diagnose(proof.Mismatches, new PortClassRanges(PortProbes.MentionedRanges(intent, found.Select(f => f.Model))),
            DiagnosticCodes.RenderedFlowMismatch, intent.Source.Location,
            _ => "the rendered policies do not mean what the intent says; the errors above name the changed objects and fields", [], shown));

        diagnostics.AddRange(proof.Diagnostics.Where(d => d.Code != DiagnosticCodes.VerificationMismatch));

        // Policies npgen does not own, in namespaces it manages, change what is allowed there.
        var managed = build.Policies.Select(p => p.Plan.Namespace).ToHashSet(StringComparer.Ordinal);
        foreach (var o in objects.Where(o => o.IsNetworkPolicy && o.Label(ManagedByLabel) != "npgen" && managed.Contains(o.Namespace)))
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.RenderedForeignPolicy,
                $"NetworkPolicy {o.Id} is not npgen's but selects pods in namespace {o.Namespace}, which intent {intent.Name} manages; the proof covers npgen's policies only, and this one may allow more",
                Where(models.GetValueOrDefault(o.Id)?.Location, withLocations),
                "express the traffic in the intent, or check the combination with npgen eval / npgen matrix -f on the rendered stream"));
        }

        return new RenderedVerification(build.Policies.Length, found.Count, proof, diagnostics.ToImmutable());
    }

    private static SourceLocation? Where(SourceLocation? location, bool withLocations) => withLocations ? location : null;

    private static string Source(Expected e) => e.Metadata?.Annotation(SourceAnnotation) is { } source ? $" from {source}" : "";

    /// <summary>The JSON pointer of npgen.dev/source (the file part differs when kpt hands the intent over inline).</summary>
    private static string? Pointer(string? source) => source is null ? null : source[(source.IndexOf('#', StringComparison.Ordinal) + 1)..];

    /// <summary>
    /// Pairs each expected policy with its rendered form: same namespace/name first, then a name that
    /// contains the generated one (namePrefix/nameSuffix) with the same npgen.dev/source, the most
    /// common prefix/suffix first (a transformer renames every object alike), longer names first.
    /// </summary>
    private static (List<(Expected E, Found R)> Pairs, List<Expected> Missing, List<Found> Extra) Pair(List<Expected> expected, List<Found> found)
    {
        var pairs = new List<(Expected, Found)>();
        var missing = new List<Expected>(expected);
        var extra = new List<Found>(found);
        foreach (var e in expected)
        {
            if (extra.FirstOrDefault(r => r.Object.Id == e.Id) is { } exact)
            {
                pairs.Add((e, exact));
                missing.Remove(e);
                extra.Remove(exact);
            }
        }

        var candidates = (from e in missing
                          from r in extra
                          where r.Object.Name.Contains(e.Name, StringComparison.Ordinal)
                              && Pointer(r.Object.Annotation(SourceAnnotation)) == Pointer(e.Metadata?.Annotation(SourceAnnotation))
                          let at = r.Object.Name.IndexOf(e.Name, StringComparison.Ordinal)
                          select (E: e, R: r, Affix: (r.Object.Name[..at], r.Object.Name[(at + e.Name.Length)..]))).ToList();
        var frequency = candidates.GroupBy(c => c.Affix).ToDictionary(g => g.Key, g => g.Count());
        foreach (var c in candidates.OrderByDescending(c => frequency[c.Affix]).ThenByDescending(c => c.E.Name.Length))
        {
            if (missing.Contains(c.E) && extra.Contains(c.R))
            {
                pairs.Add((c.E, c.R));
                missing.Remove(c.E);
                extra.Remove(c.R);
            }
        }

        return (pairs, missing, extra);
    }

    /// <summary>Names the likely cause of each difference; one error per cause, listing the policies it touched.</summary>
    private static void Diagnose(List<(Expected E, Found R)> pairs, ImmutableArray<Diagnostic>.Builder diagnostics, bool withLocations)
    {
        foreach (var group in pairs.Where(p => p.E.Namespace != p.R.Object.Namespace).GroupBy(p => (From: p.E.Namespace, To: p.R.Object.Namespace)))
        {
            var first = group.First();
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RenderedNamespaceChanged,
                $"kustomize's `namespace:` transformer (or kpt's set-namespace, or a patch) moved {Count(group.Count())} from {group.Key.From} to {group.Key.To} ({Names(group)}): metadata.namespace is {group.Key.To}, but the intent, and so the proof, speak of {group.Key.From}",
                Where(first.R.Model.LocationOf("metadata.namespace"), withLocations),
                $"set the namespace in the intent instead (the apps' namespace: {group.Key.To}, e.g. in an environment file), and remove `namespace:` from the kustomization that holds the generated policies"));
        }

        foreach (var group in pairs.Where(p => p.E.Name != p.R.Object.Name).GroupBy(p => Affix(p.E.Name, p.R.Object.Name)))
        {
            var first = group.First();
            var (prefix, suffix) = group.Key;
            var cause = (prefix, suffix) switch
            {
                (null, null) => "a patch or transformer renamed",
                ("", _) => $"kustomize `nameSuffix: {suffix}` renamed",
                (_, "") => $"kustomize `namePrefix: {prefix}` renamed",
                _ => $"kustomize `namePrefix: {prefix}` and `nameSuffix: {suffix}` renamed",
            };
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RenderedNameChanged,
                $"{cause} {Count(group.Count())} ({string.Join(", ", group.Select(p => $"{p.E.Name} -> {p.R.Object.Name}"))}): what they allow is unchanged, but npgen no longer owns them by name, so `npgen build -o`, `kubectl apply --prune` and Argo CD leave the old names behind and npgen eval names policies the intent does not know",
                Where(first.R.Model.LocationOf("metadata.name"), withLocations),
                "drop namePrefix/nameSuffix from the kustomization that holds the generated policies (use them in a sibling kustomization for the app's own resources), or name the intent per environment instead"));
        }

        var labelAdditions = new List<(Expected E, Found R, string Labels, List<string> Fields)>();
        foreach (var (e, r) in pairs)
        {
            var want = PolicyFields.Flatten(e.Policy.Parsed);
            var have = PolicyFields.Flatten(r.Model);
            var added = have.Keys.Except(want.Keys).ToList();
            var removed = want.Keys.Except(have.Keys).ToList();
            var changed = want.Keys.Intersect(have.Keys).Where(k => want[k] != have[k]).ToList();

            // Labels added to pod selectors, and nothing else about those selectors: commonLabels' signature.
            var selectorLabels = added.Select(k => (Key: k, Match: PodSelectorLabel().Match(k))).Where(x => x.Match.Success && want.ContainsKey(x.Match.Groups["selector"].Value + ".podSelector")).ToList();
            if (selectorLabels.Count > 0)
            {
                var labels = string.Join(",", selectorLabels.Select(x => $"{x.Match.Groups["label"].Value}={have[x.Key]}").Distinct().Order(StringComparer.Ordinal));
                labelAdditions.Add((e, r, labels, selectorLabels.Select(x => x.Match.Groups["selector"].Value).Distinct().ToList()));
                added = added.Except(selectorLabels.Select(x => x.Key)).ToList();
            }

            var differences = changed.Select(k => $"{k} is {have[k]} (npgen generates {want[k]})")
                .Concat(added.Select(k => $"{k} was added ({have[k]})"))
                .Concat(removed.Select(k => $"{k} is gone (npgen generates {want[k]})"))
                .Where(text => !IsStructureOnly(text))
                .ToList();
            if (differences.Count > 0)
            {
                var path = changed.Concat(added).Concat(removed).First();
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RenderedRuleChanged,
                    $"NetworkPolicy {r.Object.Id}{(r.Object.Id == e.Id ? "" : $" (generated as {e.Id})")}: {string.Join("; ", differences.Take(4))}{(differences.Count > 4 ? $"; and {differences.Count - 4} more" : "")}: a kustomize `patches:` entry (or another transformer) changed what the policy allows",
                    Where(r.Model.LocationOf(path), withLocations),
                    "remove the patch; to change what is allowed, change the intent (npgen build shows what it generates)"));
            }
        }

        foreach (var group in labelAdditions.GroupBy(a => a.Labels))
        {
            var first = group.First();
            var peers = group.SelectMany(a => a.Fields.Where(f => f != "spec").Select(f => Describe(a.E.Policy.Parsed, f))).Distinct().ToList();
            var targets = new List<string>();
            if (group.Any(a => a.Fields.Contains("spec")))
            {
                targets.Add("spec.podSelector");
            }

            targets.AddRange(peers.Where(p => p.StartsWith("the DNS peer", StringComparison.Ordinal)));
            var others = peers.Where(p => !p.StartsWith("the DNS peer", StringComparison.Ordinal)).ToList();
            if (others.Count > 0)
            {
                targets.Add($"{(others.Count == 1 ? "the peer" : "the peers")} {string.Join(", ", others.Take(5))}{(others.Count > 5 ? ", ..." : "")}");
            }

            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RenderedSelectorLabelsAdded,
                $"kustomize `commonLabels` (or `labels:` with includeSelectors: true) added {group.Key} to {string.Join(" and to ", targets)} in {Count(group.Count())} ({string.Join(", ", group.Select(a => a.R.Object.Id))}): they now select only pods labelled {group.Key}, which the intent's apps and peers are not",
                Where(first.R.Model.LocationOf("spec.podSelector"), withLocations),
                "use `labels:` with `includeSelectors: false` (labels on metadata only), or add the label to the intent's selectors if the pods really carry it"));
        }
    }

    /// <summary>Marker entries ("rule", "peer", "selector") differ only together with a real field; they are not worth a line of their own.</summary>
    private static bool IsStructureOnly(string text) => text.EndsWith("was added (rule)", StringComparison.Ordinal) || text.EndsWith("was added (peer)", StringComparison.Ordinal)
        || text.EndsWith("was added (selector)", StringComparison.Ordinal) || text.EndsWith("(npgen generates rule)", StringComparison.Ordinal)
        || text.EndsWith("(npgen generates peer)", StringComparison.Ordinal) || text.EndsWith("(npgen generates selector)", StringComparison.Ordinal);

    /// <summary><c>the DNS peer kube-system/{k8s-app=kube-dns}</c>, <c>store/{app=api}</c>.</summary>
    private static string Describe(NetworkPolicy policy, string peerPath)
    {
        var match = PeerPath().Match(peerPath);
        if (!match.Success)
        {
            return peerPath;
        }

        var rules = match.Groups["direction"].Value == "ingress" ? policy.Ingress : policy.Egress;
        var (r, p) = (int.Parse(match.Groups["rule"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups["peer"].Value, System.Globalization.CultureInfo.InvariantCulture));
        if (r >= rules.Length || p >= rules[r].Peers.Length)
        {
            return peerPath;
        }

        var peer = rules[r].Peers[p];
        var ns = peer.NamespaceSelector is null ? policy.Namespace
            : peer.NamespaceSelector.MatchLabels.TryGetValue(Namespace.NameLabel, out var name) ? name
            : $"(namespaces {peer.NamespaceSelector.CanonicalText()})";
        var pods = peer.PodSelector?.CanonicalText() ?? "{}";
        var dns = ns == "kube-system" && pods.Contains("kube-dns", StringComparison.Ordinal) ? "the DNS peer " : "";
        return $"{dns}{ns}/{{{pods}}}";
    }

    /// <summary>(prefix, suffix) when the rendered name is the generated one with text around it; (null, null) otherwise.</summary>
    private static (string? Prefix, string? Suffix) Affix(string generated, string rendered)
    {
        var at = rendered.IndexOf(generated, StringComparison.Ordinal);
        return at < 0 ? (null, null) : (rendered[..at], rendered[(at + generated.Length)..]);
    }

    private static string Count(int n) => n == 1 ? "1 NetworkPolicy" : $"{n} NetworkPolicies";

    private static string Names(IEnumerable<(Expected E, Found R)> pairs) => string.Join(", ", pairs.Select(p => p.R.Object.Name));

    [GeneratedRegex(@"^(?<selector>spec|spec\.(ingress|egress)\[\d+\]\.(from|to)\[\d+\])\.podSelector\.matchLabels\.(?<label>.+)$")]
    private static partial Regex PodSelectorLabel();

    [GeneratedRegex(@"^spec\.(?<direction>ingress|egress)\[(?<rule>\d+)\]\.(from|to)\[(?<peer>\d+)\]$")]
    private static partial Regex PeerPath();

    private sealed record Expected(GeneratedPolicy Policy, RenderedObject? Metadata)
    {
        public string Namespace => Policy.Plan.Namespace;
        public string Name => Policy.Plan.Name;
        public string Id => $"{Namespace}/{Name}";
    }

    private sealed record Found(RenderedObject Object, NetworkPolicy Model);
}
