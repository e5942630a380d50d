using System.Globalization;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;
using PolicyGen.Pipeline;

namespace PolicyGen.Core.Tests.IntentOracle;

/// <summary>
/// The compiler checked against the documentation: each seeded intent is built through the real
/// pipeline (load, bind, compile, render, parse back, validate, verify), and on a witness cluster
/// made from the intent alone the core evaluator's verdicts for the generated policies must equal
/// the intent oracle's (docs/intent.md as simple code) for every ordered pair of pods and of a pod
/// and an address, on every port class. The proof inside the build (NPG400) compares against
/// npgen's own reading of the intent; this compares against an independent one.
/// NPGEN_INTENT_ORACLE_SEEDS=N runs N intents instead of the default (tests/README.md).
/// </summary>
public sealed class IntentOraclePropertyTests
{
    private const int DefaultIntents = 300;
    private const int Batch = 25;

    private static int Intents
        => int.TryParse(Environment.GetEnvironmentVariable("NPGEN_INTENT_ORACLE_SEEDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultIntents;

    public static TheoryData<int> Batches()
    {
        var data = new TheoryData<int>();
        for (var first = 1; first <= Intents; first += Batch)
        {
            data.Add(first);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void Generated_policies_allow_exactly_what_docs_intent_md_says_the_intent_allows(int firstSeed)
    {
        for (var seed = firstSeed; seed < Math.Min(firstSeed + Batch, Intents + 1); seed++)
        {
            Check(seed);
        }
    }

    [Fact]
    public void The_generator_reaches_every_corner_of_the_grammar()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 1; seed <= Intents; seed++)
        {
            var intent = new IntentGenerator(seed).Generate();
            var peers = intent.Apps.SelectMany(a => a.Ingress.SelectMany(r => r.From).Concat(a.Calls.Select(c => c.To))).Concat(intent.DnsPeers ?? []).ToList();
            seen.UnionWith(peers.Select(p => p switch
            {
                GenAppPeer { Bare: true } => "bare app name",
                GenNamespacePeer { PodLabels: not null } => "namespace + podLabels",
                GenNamespaceLabelsPeer { Labels.Count: 0 } => "namespaceLabels: {}",
                GenNamespaceLabelsPeer { PodLabels: not null } => "namespaceLabels + podLabels",
                _ => p.GetType().Name,
            }));
            seen.UnionWith(intent.Apps.Select(a => $"ingress {a.IngressForm}"));
            seen.UnionWith(intent.Apps.Select(a => $"calls {a.CallsForm}"));
            seen.UnionWith(intent.Networks.Select(n => $"network {n.Form}"));
            seen.UnionWith(intent.Apps.SelectMany(a => a.Ports).Select(p => p.Range.Protocol + (p.Range.Low == p.Range.High ? "" : " range")));
            if (intent.Apps.Any(a => a.EgressNone)) seen.Add("egress: none");
            if (intent.Apps.Any(a => a.Dns == false)) seen.Add("dns: false");
            if (intent.Apps.Any(a => a.Ports.Count == 0 && intent.Apps.Any(c => c.Calls.Any(x => x.To is GenAppPeer p && p.App == a.Name && x.Ports is null)))) seen.Add("call to an app without ports");
            if (intent.Namespaces.Any(n => n.Managed)) seen.Add("managed namespace");
            if (intent.Namespaces.Any(n => !n.Managed && n.Labels.Count == 0)) seen.Add("namespace referred to only");
            if (intent.Networks.Any(n => n.Blocks.Any(b => b.Except.Count > 0))) seen.Add("except");
            if (intent.Networks.Any(n => n.Blocks.Any(b => b.Cidr.Contains(':', StringComparison.Ordinal)))) seen.Add("IPv6");
            if (intent.Controller is not null) seen.Add("custom ingressController");
            if (intent.ApiServer is { Ports: null }) seen.Add("apiServer default ports");
            if (intent.DnsPeers?.Any(p => p is GenAppPeer) == true) seen.Add("DNS server app");
            if (intent.DnsEnabled == false) seen.Add("dns.enabled: false");
            if (intent.DenyIngress == false || intent.DenyEgress == false) seen.Add("defaultDeny off");
            if (intent.Apps.Any(a => a.Calls.Any(c => c.Ports?.Any(p => !char.IsAsciiDigit(p.Written[0])) == true))) seen.Add("port name in a call");
            if (intent.Apps.Any(a => a.Ingress.Any(r => r.Ports?.Any(p => p.Written.Contains("/udp", StringComparison.Ordinal)) == true))) seen.Add("lower-case protocol");
            var namespaceWide = intent.Namespaces.Select(n => n.Rules).OfType<GenNamespaceRules>().ToList();
            seen.UnionWith(namespaceWide.Select(r => $"namespace ingress {r.IngressForm}"));
            seen.UnionWith(namespaceWide.Select(r => r.EgressNone ? "namespace egress: none" : $"namespace calls {r.CallsForm}"));
            if (namespaceWide.Any(r => r.Dns == false)) seen.Add("namespace dns: false");
            if (namespaceWide.Any(r => r.Calls.Any(c => c.To is GenAppPeer) || r.Ingress.Any(x => x.From.Any(p => p is GenAppPeer)))) seen.Add("namespace-wide rule naming an app");
            if (intent.Namespaces.Any(n => n.EveryApp is not null)) seen.Add("everyApp in a namespace");
            if (intent.EveryApp is not null) seen.Add("defaults.everyApp");
            if (intent.DnsPeers?.Any(p => p is GenAppPeer) == true && namespaceWide.Any(r => r.CallsForm != ListForm.Absent)) seen.Add("DNS server app and namespace-egress");
            if (intent.Namespaces.Select(n => n.EveryApp).Append(intent.EveryApp).OfType<GenEveryApp>()
                .Any(e => e.Ingress.Any(r => r.Ports?.Any(p => char.IsAsciiLetter(p.Written[0])) == true))) seen.Add("everyApp port name");
        }

        string[] corners =
        [
            "bare app name", "GenAppPeer", "GenNamespacePeer", "namespace + podLabels", "namespaceLabels: {}", "namespaceLabels + podLabels",
            "GenPodLabelsPeer", "GenNetworkPeer", "GenControllerPeer", "GenApiServerPeer", "GenAnywherePeer",
            "ingress Absent", "ingress Empty", "ingress NullValue", "ingress Items", "ingress None",
            "calls Absent", "calls Empty", "calls NullValue", "calls Items",
            "network Scalar", "network List", "network Block", "network Mixed",
            "TCP", "UDP", "SCTP", "TCP range", "egress: none", "dns: false", "call to an app without ports",
            "managed namespace", "namespace referred to only", "except", "IPv6", "custom ingressController", "apiServer default ports",
            "DNS server app", "dns.enabled: false", "defaultDeny off", "port name in a call", "lower-case protocol",
            "namespace ingress Items", "namespace ingress Empty", "namespace ingress None", "namespace ingress Absent",
            "namespace calls Items", "namespace calls Empty", "namespace egress: none", "namespace dns: false",
            "namespace-wide rule naming an app", "everyApp in a namespace", "defaults.everyApp", "everyApp port name", "DNS server app and namespace-egress",
        ];
        Assert.All(corners, c => Assert.Contains(c, seen));
    }

    /// <summary>Builds one generated intent and compares every flow; the failure names the seed, the intent and the first differing flows.</summary>
    internal static void Check(int seed)
    {
        var generated = new IntentGenerator(seed).Generate();
        var yaml = IntentYamlWriter.Write(generated);
        var (intent, loadDiagnostics) = IntentLoader.LoadText("generated.yaml", yaml, []);
        Assert.True(intent is not null, $"seed {seed}: the generated intent does not load:\n{Dump(loadDiagnostics)}\n{yaml}");
        var result = BuildPipeline.Run(intent!, new BuildOptions(), loadDiagnostics);
        Assert.True(result.Succeeded, $"seed {seed}: the build failed:\n{Dump(result.Diagnostics)}\n{yaml}");

        var witnesses = new WitnessCluster(generated);
        var oracle = new DocumentedMeaning(generated);
        foreach (var (name, labels) in witnesses.Namespaces)
        {
            oracle.WitnessNamespaceLabels[name] = labels;
        }

        var cluster = new Cluster
        {
            Namespaces = [.. witnesses.Namespaces.Select(n => Namespace.Create(n.Key, oracle.NamespaceLabels(n.Key), null))],
            Endpoints = [.. witnesses.Pods.Select(p => new Endpoint
            {
                Namespace = p.Namespace!,
                Name = p.Name!,
                Kind = "Pod",
                Labels = Labels.Of(p.Labels),
                Addresses = [p.Address],
            })],
            Policies = [.. result.Policies.Select(p => p.Parsed)],
        };
        var evaluator = PolicyEvaluator.Create(cluster);
        var ends = witnesses.Pods.Select(p =>
        {
            Assert.True(evaluator.TryResolve($"{p.Namespace}/{p.Name}", out var end, out var error), error);
            return (Oracle: p, End: end!);
        }).Concat(witnesses.Addresses.Select(a => (Oracle: a, End: ConnectionEnd.External(a.Address)))).ToList();

        var differences = new List<string>();
        var probes = Probes(generated).Select(p => (p.Protocol, p.Port, Parsed: Enum.Parse<Protocol>(p.Protocol))).ToList();
        foreach (var from in ends)
        {
            foreach (var to in ends)
            {
                if (ReferenceEquals(from.Oracle, to.Oracle) || (!from.Oracle.IsPod && !to.Oracle.IsPod))
                {
                    continue; // a pod may always reach itself (S12); two addresses are no policy's business
                }

                var flow = oracle.Between(from.Oracle, to.Oracle);
                foreach (var (protocol, port, parsed) in probes)
                {
                    var actual = evaluator.IsAllowed(from.End, to.End, port, parsed);
                    var documented = flow.Carries(protocol, port);
                    if (actual != documented && differences.Count < 10)
                    {
                        differences.Add($"{from.Oracle} -> {to.Oracle} {port}/{protocol}: the doc {(documented ? "allows" : "denies")}, the policies {(actual ? "allow" : "deny")}");
                    }
                }
            }
        }

        Assert.True(differences.Count == 0,
            $"seed {seed}: the policies and docs/intent.md disagree:\n{string.Join("\n", differences)}\n--- intent\n{yaml}\n--- policies\n{string.Join("---\n", result.Policies.Select(p => p.Yaml))}");
    }

    /// <summary>Each range's edges and the ports just outside, DNS, the API server's defaults, and the extremes, per protocol.</summary>
    private static SortedSet<(string Protocol, int Port)> Probes(GenIntent intent)
    {
        var ranges = intent.Apps.SelectMany(a => a.Ports.Select(p => p.Range)
                .Concat(a.Ingress.SelectMany(r => r.Ports ?? []).Select(p => p.Means))
                .Concat(a.Calls.SelectMany(c => c.Ports ?? []).Select(p => p.Means)))
            .Concat(intent.ApiServer?.Ports ?? [])
            .Append(new GenPort("UDP", 53, 53)).Append(new GenPort("TCP", 53, 53))
            .Append(new GenPort("TCP", 443, 443)).Append(new GenPort("TCP", 6443, 6443));
        var probes = new SortedSet<(string Protocol, int Port)>();
        foreach (var protocol in new[] { "TCP", "UDP", "SCTP" })
        {
            probes.Add((protocol, 1));
            probes.Add((protocol, 65535));
        }

        foreach (var range in ranges)
        {
            foreach (var port in new[] { range.Low - 1, range.Low, range.High, range.High + 1 })
            {
                if (port is >= 1 and <= 65535)
                {
                    probes.Add((range.Protocol, port));
                }
            }
        }

        return probes;
    }

    private static string Dump(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d => d.ToString()));
}
