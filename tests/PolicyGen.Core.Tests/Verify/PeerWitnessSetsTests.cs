using PolicyGen.Intent;
using PolicyGen.Manifests;
using PolicyGen.Pipeline;
using PolicyGen.Verify;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Verify;

/// <summary>
/// The proof's peer sets test only the witnesses a peer could match (its namespace, the pods with
/// the rarest of its labels, the addresses): each set must hold exactly the witnesses that
/// <see cref="PeerMatching.Matches"/> accepts when every witness is tested.
/// </summary>
public sealed class PeerWitnessSetsTests
{
    private const string Intent = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shop}
        spec:
          namespaces:
            shop: {managed: true, labels: {team: shop}}
            pay: {labels: {team: pay}}
            monitoring: {labels: {purpose: monitoring}}
          networks:
            office: [10.20.0.0/16]
          apps:
            web:
              namespace: shop
              selector: {app: web, tier: front}
              calls:
              - app: api
              - {namespace: pay, podLabels: {app: ledger, tier: back}}
              - {namespaceLabels: {team: pay}, podLabels: {app: ledger}}
              - {network: office, ports: [443/TCP]}
            api:
              namespace: shop
              selector: {app: api}
              ports: {http: 8080/TCP}
              ingress:
              - from: [{app: web}, {podLabels: {tier: front}}, {namespace: monitoring}, {podLabels: {app: nothing-has-this}}]
                ports: [http]
            ledger:
              namespace: pay
              selector: {app: ledger, tier: back}
              ports: {grpc: 9000/TCP}
              ingress:
              - from: [{namespaceLabels: {team: shop}}, {preset: ingressController}]
            ledger-tools:
              namespace: pay
              selector: {app: ledger, tier: tools}
        """;

    [Fact]
    public void Every_peer_set_holds_exactly_the_witnesses_a_full_scan_matches()
    {
        var intent = LoadValid(Intent);
        var build = BuildPipeline.Run(intent, new BuildOptions());
        Assert.True(build.Succeeded, Dump(build.Diagnostics));
        var (apps, _) = AppConnectivity.Of(intent);
        var world = WitnessWorld.Build(intent, apps, [.. build.Policies.Select(p => p.Parsed)]);
        var sets = new PeerWitnessSets(world);
        var peers = apps.SelectMany(a => a.Inbound.Concat(a.Outbound)).Select(e => e.Peer).Distinct().ToList();
        Assert.True(peers.Count >= 8, $"only {peers.Count} peers: the intent no longer covers every kind");

        foreach (var peer in peers)
        {
            var scanned = Enumerable.Range(0, world.Witnesses.Length).Where(w => PeerMatching.Matches(peer, world.Witnesses[w], world)).ToList();
            var set = sets.Matching(sets.IdOf(peer));
            Assert.Equal(scanned, Enumerable.Range(0, world.Witnesses.Length).Where(w => set[w]).ToList());
        }
    }
}
