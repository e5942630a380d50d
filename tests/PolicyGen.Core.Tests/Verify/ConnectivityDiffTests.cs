using PolicyGen.Intent;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using PolicyGen.Verify;

namespace PolicyGen.Core.Tests.Verify;

/// <summary>
/// ConnectivityDiff says in words what a change of policies changes in who may reach whom: computed
/// by the evaluator on one witness cluster, not read off a text diff.
/// </summary>
public sealed class ConnectivityDiffTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-diff-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private const string Header = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shop}
        spec:
          namespaces:
            shop: {managed: true}
            monitoring: {}
          apps:
            web: {namespace: shop, selector: {app: web}, ports: {http: 8080/TCP}}

        """;

    private const string Version1 = Header + """
            api: {namespace: shop, selector: {app: api}, ports: {http: 8080/TCP}}
            db:
              namespace: shop
              selector: {app: db}
              ports: {pg: 5432/TCP}
              ingress: [{from: [{namespace: monitoring}], ports: [pg]}]
        """;

    /// <summary>web now calls api; monitoring may no longer reach db.</summary>
    private const string Version2 = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shop}
        spec:
          namespaces:
            shop: {managed: true}
            monitoring: {}
          apps:
            web: {namespace: shop, selector: {app: web}, ports: {http: 8080/TCP}, calls: [{app: api}]}
            api: {namespace: shop, selector: {app: api}, ports: {http: 8080/TCP}}
            db: {namespace: shop, selector: {app: db}, ports: {pg: 5432/TCP}}
        """;

    private (NetworkIntent Intent, List<NetworkPolicy> Policies) Build(string name, string text)
    {
        var path = Path.Combine(temp, name + ".yaml");
        File.WriteAllText(path, text);
        var build = BuildPipeline.Run(path, new BuildOptions());
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        return (build.Intent!, [.. build.Policies.Select(p => p.Parsed)]);
    }

    private static ConnectivityChanges Compare(NetworkIntent intent, IReadOnlyList<NetworkPolicy> before, IReadOnlyList<NetworkPolicy> after)
        => ConnectivityDiff.Compare(intent, AppConnectivity.Of(intent).Apps, before, after);

    [Fact]
    public void Same_policies_change_nothing()
    {
        var (intent, policies) = Build("v1", Version1);
        Assert.True(Compare(intent, policies, policies).IsEmpty);
    }

    [Fact]
    public void A_new_call_and_a_removed_ingress_read_as_one_added_and_one_removed_flow()
    {
        var (_, before) = Build("v1", Version1);
        var (intent, after) = Build("v2", Version2);
        var changes = Compare(intent, before, after);
        Assert.Equal(["+ shop/web -> shop/api 8080/TCP"], changes.Added.Select(c => c.ToString()));
        Assert.Equal(["- monitoring/* -> shop/db 5432/TCP"], changes.Removed.Select(c => c.ToString()));

        // And backwards: the same flows with the signs swapped, judged on the newer intent's witnesses.
        var back = Compare(intent, after, before);
        Assert.Equal(["+ monitoring/* -> shop/db 5432/TCP"], back.Added.Select(c => c.ToString()));
        Assert.Equal(["- shop/web -> shop/api 8080/TCP"], back.Removed.Select(c => c.ToString()));
    }

    [Fact]
    public void A_removed_app_is_still_seen_through_the_old_policies_selectors()
    {
        // v1 lets web call cart; v2 drops cart from the intent. No witness of v2 is labelled app=cart,
        // but the old policies select app=cart, so a pod with those labels takes part.
        var (_, before) = Build("v1", (Header + """
                cart: {namespace: shop, selector: {app: cart}, ports: {http: 9000/TCP}}
            """).Replace("    web: {namespace: shop, selector: {app: web}, ports: {http: 8080/TCP}}",
                "    web: {namespace: shop, selector: {app: web}, ports: {http: 8080/TCP}, calls: [{app: cart}]}", StringComparison.Ordinal));
        var (intent, after) = Build("v2", Header);
        var changes = Compare(intent, before, after);
        Assert.Empty(changes.Added);
        Assert.True(changes.Removed.Any(c => c.ToString() == "- shop/web -> shop/{app=cart} 9000/TCP"), string.Join("\n", changes.All));
        // cart's pods also lose their DNS egress: without the app they are just pods of a default-deny namespace.
        Assert.Contains("- shop/{app=cart} -> kube-system/{k8s-app=kube-dns} 53/TCP, 53/UDP", changes.Removed.Select(c => c.ToString()));
        Assert.Equal(2, changes.Removed.Length);
    }

    [Fact]
    public void Address_changes_name_the_ipBlock_that_covers_them()
    {
        const string Partner = """
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              namespaces: {shop: {managed: true}}
              networks: {partner: NETWORK}
              apps:
                web: {namespace: shop, selector: {app: web}, calls: [{network: partner, ports: [443/TCP]}]}
            """;
        var (_, before) = Build("v1", Partner.Replace("NETWORK", "[203.0.113.0/28]", StringComparison.Ordinal));
        var (intent, after) = Build("v2", Partner.Replace("NETWORK", "[{cidr: 198.51.100.0/24, except: [198.51.100.128/25]}]", StringComparison.Ordinal));
        var changes = Compare(intent, before, after);
        Assert.Equal(["+ shop/web -> 198.51.100.0/24 except 198.51.100.128/25 443/TCP"], changes.Added.Select(c => c.ToString()));
        Assert.Equal(["- shop/web -> 203.0.113.0/28 443/TCP"], changes.Removed.Select(c => c.ToString()));
    }

    [Fact]
    public void No_policies_before_means_everything_was_allowed()
    {
        var (intent, after) = Build("v1", Version1);
        var changes = Compare(intent, [], after);
        Assert.Empty(changes.Added);
        Assert.Contains("- shop/web -> shop/api all ports", changes.Removed.Select(c => c.ToString()));
        Assert.Contains(changes.Removed, c => c.From == "monitoring/*" && c.To == "shop/db" && c.Ports != "5432/TCP");
    }
}
