using PolicyGen.Manifests;
using PolicyGen.Model;

namespace PolicyGen.Core.Tests.ClusterPolicies;

/// <summary>S18.1: the three cluster-scoped kinds and Nodes are read into the model, in both API versions' shapes.</summary>
public sealed class ClusterPolicyReaderTests
{
    [Fact]
    public void S18_1_an_AdminNetworkPolicy_is_read_with_priority_subject_rules_peers_and_every_port_form()
    {
        var result = ManifestLoader.LoadText("anp.yaml", """
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: deny-monitoring}
            spec:
              priority: 10
              subject:
                namespaces: {matchLabels: {team: shop}}
              ingress:
              - name: from-monitoring
                action: Deny
                from:
                - namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
                ports:
                - portNumber: {protocol: UDP, port: 53}
                - portRange: {start: 8000, end: 8080}
                - namedPort: metrics
              egress:
              - action: Pass
                to:
                - pods:
                    namespaceSelector: {}
                    podSelector: {matchLabels: {app: db}}
                - networks: [10.0.0.0/8]
                - nodes: {matchLabels: {role: infra}}
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Unmodeled);
        var policy = Assert.Single(result.Cluster.ClusterPolicies);
        Assert.Equal((ClusterPolicyKind.AdminNetworkPolicy, "deny-monitoring", 10, ClusterPolicyTier.Admin), (policy.Kind, policy.Name, policy.Priority, policy.Tier));
        Assert.Equal("shop", policy.Subject.Namespaces!.MatchLabels["team"]);
        var ingress = Assert.Single(policy.Ingress);
        Assert.Equal(("from-monitoring", ClusterPolicyAction.Deny), (ingress.Name, ingress.Action(policy.Kind)));
        Assert.Equal<ClusterPolicyPort[]>(
            [new ClusterPolicyPort { Protocol = "UDP", Start = 53, End = 53, FieldCount = 1 },
             new ClusterPolicyPort { Start = 8000, End = 8080, IsRange = true, FieldCount = 1 },
             new ClusterPolicyPort { Name = "metrics", FieldCount = 1 }],
            ingress.Ports!.Value.ToArray());
        var egress = Assert.Single(policy.Egress);
        Assert.Equal(ClusterPolicyAction.Pass, egress.Action(policy.Kind));
        Assert.Null(egress.Ports);
        Assert.Equal("db", egress.Peers[0].Pods!.PodSelector.MatchLabels["app"]);
        Assert.Equal<string[]>(["10.0.0.0/8"], egress.Peers[1].Networks!.Value.ToArray());
        Assert.Equal("infra", egress.Peers[2].Nodes!.MatchLabels["role"]);
        Assert.Equal(new PolicyGen.Diagnostics.SourceLocation("anp.yaml", 20, 7), policy.LocationOf("spec.egress[0].to[0]"));
    }

    [Fact]
    public void S18_1_a_ClusterNetworkPolicy_reads_tier_Accept_and_the_v1alpha2_protocols_shape()
    {
        var result = ManifestLoader.LoadText("cnp.yaml", """
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: baseline}
            spec:
              tier: Baseline
              priority: 3
              subject: {pods: {namespaceSelector: {}, podSelector: {}}}
              egress:
              - action: Accept
                to: [{namespaces: {}}]
                protocols:
                - tcp: {destinationPort: {number: 443}}
                - udp: {destinationPort: {range: {start: 5000, end: 5010}}}
                - destinationNamedPort: dns
            """);
        Assert.Empty(result.Diagnostics);
        var policy = Assert.Single(result.Cluster.ClusterPolicies);
        Assert.Equal((ClusterPolicyKind.ClusterNetworkPolicy, ClusterPolicyTier.Baseline, 3), (policy.Kind, policy.Tier, policy.Priority));
        var rule = Assert.Single(policy.Egress);
        Assert.Equal(ClusterPolicyAction.Allow, rule.Action(policy.Kind));
        Assert.Equal<ClusterPolicyPort[]>(
            [new ClusterPolicyPort { Protocol = "TCP", Start = 443, End = 443, FieldCount = 1 },
             new ClusterPolicyPort { Protocol = "UDP", Start = 5000, End = 5010, IsRange = true, FieldCount = 1 },
             new ClusterPolicyPort { Name = "dns", FieldCount = 1 }],
            rule.Ports!.Value.ToArray());
    }

    [Fact]
    public void S18_1_Allow_is_not_a_v1alpha2_action_and_Pass_is_not_a_baseline_admin_action()
    {
        var rule = new ClusterPolicyRule { ActionText = "Allow" };
        Assert.Null(rule.Action(ClusterPolicyKind.ClusterNetworkPolicy));
        Assert.Equal(ClusterPolicyAction.Allow, rule.Action(ClusterPolicyKind.AdminNetworkPolicy));
        Assert.Null(new ClusterPolicyRule { ActionText = "Pass" }.Action(ClusterPolicyKind.BaselineAdminNetworkPolicy));
        Assert.Null(new ClusterPolicyRule { ActionText = "Accept" }.Action(ClusterPolicyKind.AdminNetworkPolicy));
    }

    [Fact]
    public void S18_6_nodes_are_read_with_their_labels_and_ip_addresses_only()
    {
        var result = ManifestLoader.LoadText("nodes.yaml", """
            apiVersion: v1
            kind: Node
            metadata: {name: n1, labels: {role: infra}}
            status:
              addresses:
              - {type: InternalIP, address: 192.168.1.10}
              - {type: Hostname, address: n1}
            """);
        Assert.Empty(result.Diagnostics);
        var node = Assert.Single(result.Cluster.Nodes);
        Assert.Equal("infra", node.Labels["role"]);
        Assert.Equal<System.Net.IPAddress[]>([System.Net.IPAddress.Parse("192.168.1.10")], node.Addresses.ToArray());
    }

    [Fact]
    public void S18_1_two_cluster_policies_of_one_kind_and_name_are_a_duplicate()
    {
        var anp = "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: a}\nspec: {priority: 1, subject: {namespaces: {}}}\n";
        var result = ManifestLoader.LoadText("d.yaml", anp + "---\n" + anp);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("duplicate object: AdminNetworkPolicy a", StringComparison.Ordinal));
        Assert.Single(result.Cluster.ClusterPolicies);
    }
}
