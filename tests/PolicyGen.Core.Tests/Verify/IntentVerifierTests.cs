using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using PolicyGen.Verify;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Verify;

public sealed class IntentVerifierTests
{
    [Fact]
    public void A_peer_written_with_an_apps_labels_means_that_apps_pods()
    {
        // {podLabels: {app: web}} in shop are web's pods; the verifier must judge them as web
        // (egress-isolated, calling api), not as some other pod of the managed namespace.
        var result = BuildPipeline.Run(LoadValid("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              namespaces:
                shop: {managed: true}
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls:
                  - app: api
                api:
                  namespace: shop
                  selector: {app: api}
                  ports: {http: 8080/TCP}
                  ingress:
                  - from: [{podLabels: {app: web}}]
            """), new BuildOptions());
        Assert.True(result.Succeeded, Dump(result.Diagnostics));
        Assert.Empty(result.Verification!.Mismatches);
    }

    private const string TwoApps = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shop}
        spec:
          namespaces:
            shop: {managed: true}
          apps:
            web:
              namespace: shop
              selector: {app: web, tier: front}
              calls:
              - app: api
            api:
              namespace: shop
              selector: {app: api}
              ports: {http: 8080/TCP}
        """;

    private static ImmutableArray<NetworkPolicy> Policies(string yaml)
    {
        var loaded = ManifestLoader.LoadText("policies.yaml", yaml);
        Assert.False(loaded.HasErrors, Dump(loaded.Diagnostics));
        return loaded.Cluster.Policies;
    }

    private static string Peer(string name, string podLabels) =>
        "apiVersion: networking.k8s.io/v1\n"
        + "kind: NetworkPolicy\n"
        + $"metadata: {{name: {name}, namespace: shop}}\n"
        + "spec:\n"
        + "  podSelector: {matchLabels: {app: api}}\n"
        + "  policyTypes: [Ingress]\n"
        + "  ingress:\n"
        + "  - from:\n"
        + $"    - podSelector: {{matchLabels: {{{podLabels}}}}}\n";

    [Fact]
    public void A_policy_peer_with_an_existing_pods_labels_adds_no_witness()
    {
        // web's pod already carries {app: web, tier: front} in shop: a policy naming exactly those labels needs no new pod.
        var intent = LoadValid(TwoApps);
        var (apps, _) = AppConnectivity.Of(intent);
        var world = WitnessWorld.Build(intent, apps, Policies(Peer("extra", "app: web, tier: front")));
        Assert.DoesNotContain(world.Witnesses, w => w.Pod?.Name.StartsWith("npgen-selected-", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void A_policy_peer_with_new_labels_gets_a_witness_that_is_the_apps_pod_when_its_labels_match()
    {
        // {app: web, tier: back} is no pod yet ({app: web} is: web's pod without tier), so a witness is added;
        // {app: api, extra: x} in shop carries api's selector, so that witness is one of api's pods.
        var intent = LoadValid(TwoApps);
        var (apps, _) = AppConnectivity.Of(intent);
        var world = WitnessWorld.Build(intent, apps, Policies(Peer("extra", "app: web, tier: back") + "---\n" + Peer("extra2", "app: api, extra: x")));
        var selected = world.Witnesses.Where(w => w.Pod?.Name.StartsWith("npgen-selected-", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(["pods labelled {app: web, tier: back} in namespace shop, which only the policies name", "pods labelled {app: api, extra: x} in namespace shop, which only the policies name"],
            selected.Select(w => w.Display));
        Assert.Null(selected[0].App);
        Assert.Equal("api", selected[1].App?.Name);
    }

    [Fact]
    public void Pod_to_address_flows_are_checked_for_every_pod_and_address()
    {
        var intent = LoadValid(TwoApps);
        var result = BuildPipeline.Run(intent, new BuildOptions());
        Assert.True(result.Succeeded, Dump(result.Diagnostics));
        var report = result.Verification!;
        long pods = report.PodWitnesses;
        long addresses = report.AddressWitnesses;
        Assert.True(addresses > 0);
        Assert.Equal(report.Ports * ((pods * (pods - 1)) + (2 * pods * addresses)), report.FlowsChecked);
    }
    [Fact]
    public void Failed_expectations_name_witness_pods_as_the_intent_does_and_print_each_hint_once()
    {
        var result = BuildPipeline.Run(LoadValid("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              namespaces:
                shop: {managed: true}
              apps:
                api:
                  namespace: shop
                  selector: {app: api}
                  ports: {http: 8080/TCP}
                  ingress:
                  - from: [{namespace: monitoring, podLabels: {app: prom}}]
                    ports: [http]
              expect:
              - {from: {namespace: monitoring, podLabels: {app: prom}}, to: api, port: 9999/TCP, allowed: true}
              - {from: {namespace: monitoring, podLabels: {app: prom}}, to: api, port: 9998/TCP, allowed: true}
            """), new BuildOptions());
        Assert.False(result.Succeeded);
        var failed = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.ExpectationFailed).ToList();
        Assert.Equal(2, failed.Count);
        Assert.Equal([16, 17], failed.Select(d => d.Location!.Line));
        Assert.All(failed, d => Assert.DoesNotContain("npgen-", d.Message, StringComparison.Ordinal));
        Assert.All(failed, d => Assert.Contains("allows from {namespace: monitoring, podLabels: {app: prom}}", d.Message, StringComparison.Ordinal));
        Assert.NotNull(failed[0].Hint);
        Assert.Null(failed[1].Hint); // the same hint, printed once
    }
}
