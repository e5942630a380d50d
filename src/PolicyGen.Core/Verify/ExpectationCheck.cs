using System.Collections.Immutable;
using System.Net;
using PolicyGen.Diagnostics;
using PolicyGen.Evaluation;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// Checks every <c>expect:</c> against the generated policies. A pod end stands for a pod that
/// may have any address of <c>spec.podNetwork</c>, and an ipBlock matches pod addresses too
/// (S6.2), so an expectation holds only if it holds at every such address: <c>allowed: true</c>
/// means allowed wherever the pods run, <c>allowed: false</c> denied wherever they run. The
/// addresses tried are the pod network's edges and those of every block the intent or the
/// policies name, inside the pod network: between two of them every ipBlock answers alike.
/// </summary>
internal static class ExpectationCheck
{
    public static IEnumerable<Diagnostic> Run(NetworkIntent intent, WitnessWorld world, ImmutableArray<NetworkPolicy> policies, PolicyEvaluator evaluator)
    {
        var expectations = intent.Expectations;
        if (expectations.IsEmpty)
        {
            yield break;
        }

        // Without an ipBlock no verdict depends on an address: the address-less witnesses answer for all.
        var blocks = PolicyBlocks(policies);
        var addressed = blocks.Count > 0 ? AddressedWorld.Build(intent, world, blocks, policies) : null;
        foreach (var expectation in expectations)
        {
            var from = world.Find(expectation.From);
            var to = world.Find(expectation.To);
            if (from is null || to is null)
            {
                yield return Diagnostic.Error(DiagnosticCodes.ExpectationFailed,
                    $"expect: no pod or address stands for {(from is null ? expectation.From.Display : expectation.To.Display)}", expectation.Source.Location);
                continue;
            }

            if (addressed is null || ReferenceEquals(from, to) || (!from.IsPod && !to.IsPod))
            {
                var verdict = evaluator.Evaluate(End(evaluator, from), End(evaluator, to), expectation.Port.Low, expectation.Port.Protocol);
                if (verdict.Allowed != expectation.Allowed)
                {
                    yield return Failed(expectation, verdict, null);
                }

                continue;
            }

            if (addressed.Judge(expectation, from, to) is { } failure)
            {
                yield return failure;
            }
        }
    }

    internal static Diagnostic Failed(Expectation expectation, Verdict verdict, string? where, Func<string, string>? rename = null)
        => Diagnostic.Error(DiagnosticCodes.ExpectationFailed,
            $"expected {expectation.From.Display} -> {expectation.To.Display} {expectation.Port} to be {(expectation.Allowed ? "allowed" : "denied")}, but the policies {(verdict.Allowed ? "allow it" : "deny it")}{where} ({(rename ?? (r => r))(verdict.Allowed ? VerdictReasons.Allowing(verdict) : VerdictReasons.Denying(verdict))})",
            expectation.Source.Location,
            where is not null && expectation.Allowed
                ? "a network's ipBlock matches pods only at the addresses it contains: allow the pods as an app or a namespace peer, or set spec.podNetwork to the cluster's pod CIDRs (default 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"
                : where is not null
                ? "a network's ipBlock matches pod addresses too: add the pod network to the network's except list, or set spec.podNetwork to the cluster's pod CIDRs (default 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"
                : expectation.Allowed ? "add the edge to the intent (calls: or ingress:), or fix the expectation" : "remove the edge that allows it, or fix the expectation");

    internal static ConnectionEnd End(PolicyEvaluator evaluator, Witness witness)
    {
        if (witness.IsPod)
        {
            evaluator.TryResolve(witness.Pod!.Id, out var end, out _);
            return end!;
        }

        return ConnectionEnd.External(witness.Address!);
    }

    private static List<IpBlock> PolicyBlocks(ImmutableArray<NetworkPolicy> policies)
        => [.. policies.SelectMany(p => p.Ingress.Concat(p.Egress)).SelectMany(r => r.Peers).Select(p => p.IpBlock).OfType<IpBlock>()];

    /// <summary>The witness world plus, for each pod that an expectation names, one copy at each candidate address.</summary>
    private sealed class AddressedWorld
    {
        private readonly PolicyEvaluator evaluator;
        private readonly Dictionary<Witness, List<(IPAddress Address, ConnectionEnd End)>> copies;

        /// <summary>A copy's made-up name, as the pod it copies at its address, for messages.</summary>
        private readonly List<(string Id, string Display)> displays;

        private AddressedWorld(PolicyEvaluator evaluator, Dictionary<Witness, List<(IPAddress, ConnectionEnd)>> copies, List<(string, string)> displays)
            => (this.evaluator, this.copies, this.displays) = (evaluator, copies, displays);

        private string Rename(string reason)
        {
            // Longest names first, so that npgen-expect-1-at-10 is not read as npgen-expect-1-at-1.
            foreach (var (id, display) in displays.OrderByDescending(d => d.Id.Length))
            {
                reason = reason.Replace(id, display, StringComparison.Ordinal);
            }

            return reason;
        }

        public static AddressedWorld Build(NetworkIntent intent, WitnessWorld world, List<IpBlock> blocks, ImmutableArray<NetworkPolicy> policies)
        {
            var addresses = PodAddresses.Candidates(intent, blocks);
            var pods = intent.Expectations.SelectMany(e => new[] { world.Find(e.From), world.Find(e.To) })
                .OfType<Witness>().Where(w => w.IsPod).Distinct().ToList();
            var endpoints = world.Endpoints.ToBuilder();
            var names = new Dictionary<Witness, List<(IPAddress Address, string Id)>>();
            for (var p = 0; p < pods.Count; p++)
            {
                var list = names[pods[p]] = [];
                for (var a = 0; a < addresses.Count; a++)
                {
                    var copy = pods[p].Pod! with { Name = $"npgen-expect-{p}-at-{a}", Addresses = [addresses[a]] };
                    endpoints.Add(copy);
                    list.Add((addresses[a], copy.Id));
                }
            }

            var evaluator = PolicyEvaluator.Create(new Cluster { Namespaces = world.Namespaces, Endpoints = endpoints.ToImmutable(), Policies = policies });
            var copies = names.ToDictionary(n => n.Key, n => n.Value.Select(c =>
            {
                evaluator.TryResolve(c.Id, out var end, out _);
                return (c.Address, end!);
            }).ToList(), (IEqualityComparer<Witness>)ReferenceEqualityComparer.Instance);
            var displays = names.SelectMany(n => n.Value.Select(c => (c.Id, $"{n.Key.Pod!.Id} at {c.Address}"))).ToList();
            return new AddressedWorld(evaluator, copies, displays);
        }

        /// <summary>
        /// Egress is judged on the client and depends only on the server's address; ingress on the
        /// server and only on the client's address (S8.1). So each half is tried at every address
        /// of its peer end, and the expectation holds when every combination agrees with it.
        /// </summary>
        public Diagnostic? Judge(Expectation expectation, Witness from, Witness to)
        {
            var (port, protocol) = (expectation.Port.Low, expectation.Port.Protocol);
            var fromEnds = from.IsPod ? copies[from] : [(from.Address!, ConnectionEnd.External(from.Address!))];
            var toEnds = to.IsPod ? copies[to] : [(to.Address!, ConnectionEnd.External(to.Address!))];
            var byServerAddress = toEnds.Select(t => (t.Item1, Verdict: evaluator.Evaluate(fromEnds[0].Item2, t.Item2, port, protocol))).ToList();
            var byClientAddress = fromEnds.Select(f => (f.Item1, Verdict: evaluator.Evaluate(f.Item2, toEnds[0].Item2, port, protocol))).ToList();
            var egress = byServerAddress.Select(v => v.Verdict.Egress.Allowed).ToList();
            var ingress = byClientAddress.Select(v => v.Verdict.Ingress.Allowed).ToList();
            var uniform = egress.Distinct().Count() == 1 && ingress.Distinct().Count() == 1;
            // The same at every address, but only because pods have addresses (an ipBlock matches them): say so.
            var addressless = evaluator.Evaluate(End(evaluator, from), End(evaluator, to), port, protocol).Allowed;
            var everywhere = uniform && addressless != (egress[0] && ingress[0]) ? " at every pod address of spec.podNetwork" : null;
            if (expectation.Allowed)
            {
                if (egress.All(e => e) && ingress.All(i => i))
                {
                    return null;
                }

                // A denial: at a server address whose egress half denies, or a client address whose ingress half does.
                var (address, verdict, end) = egress.Contains(false)
                    ? (byServerAddress[egress.IndexOf(false)].Item1, byServerAddress[egress.IndexOf(false)].Verdict, expectation.To.Display)
                    : (byClientAddress[ingress.IndexOf(false)].Item1, byClientAddress[ingress.IndexOf(false)].Verdict, expectation.From.Display);
                return Failed(expectation, verdict, uniform ? everywhere : $" when {end} has the pod address {address}", Rename);
            }

            if (!egress.Contains(true) || !ingress.Contains(true))
            {
                return null;
            }

            // An allowed combination: a server address whose egress half allows with a client address whose ingress half does.
            var (serverAddress, serverEnd) = toEnds[egress.IndexOf(true)];
            var (clientAddress, clientEnd) = fromEnds[ingress.IndexOf(true)];
            var allowed = evaluator.Evaluate(clientEnd, serverEnd, port, protocol);
            var where = uniform ? everywhere
                : $" when {string.Join(" and ", new[] { ingress.Distinct().Count() > 1 ? $"{expectation.From.Display} has the pod address {clientAddress}" : null, egress.Distinct().Count() > 1 ? $"{expectation.To.Display} has the pod address {serverAddress}" : null }.OfType<string>())}";
            return Failed(expectation, allowed, where, Rename);
        }
    }
}
