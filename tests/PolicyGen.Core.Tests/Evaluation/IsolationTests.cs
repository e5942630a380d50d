namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>S2 (isolation per pod and direction) and S3 (effective policyTypes).</summary>
public sealed class IsolationTests
{
    private static Scenario Cluster() => Scenario.Create()
        .Namespaces("x", "y")
        .Pods("""
            x/a pod=a ip=10.1.0.1
            x/b pod=b ip=10.1.0.2
            y/a pod=a ip=10.2.0.1
            y/b pod=b ip=10.2.0.2
            """);

    // ---- S2.1 -------------------------------------------------------------------------------

    [Fact]
    public void S2_1_a_pod_selected_for_ingress_is_isolated_by_that_policy()
    {
        var s = Cluster().Policy("x/deny-b", """
            podSelector: {matchLabels: {pod: b}}
            policyTypes: [Ingress]
            """).Build();

        var toB = s.Eval("x/a", "x/b", 80);
        Expect.Halves(toB, egress: true, ingress: false);
        Expect.IsolatedBy(toB.Ingress, "x/deny-b");
        Assert.Empty(toB.Ingress.AllowingRules);
        Assert.Contains("x/deny-b", toB.Ingress.Reason, StringComparison.Ordinal);

        var toA = s.Eval("x/b", "x/a", 80); // x/a does not match the podSelector
        Expect.Allowed(toA);
        Expect.NotIsolated(toA.Ingress);
    }

    [Fact]
    public void S2_1_isolation_is_per_direction()
    {
        var s = Cluster().Policy("x/deny-b-ingress", """
            podSelector: {matchLabels: {pod: b}}
            policyTypes: [Ingress]
            """).Build();

        var fromB = s.Eval("x/b", "y/a", 80); // x/b's egress is untouched
        Expect.Allowed(fromB);
        Expect.NotIsolated(fromB.Egress);
        Expect.Denied(s.Eval("y/a", "x/b", 80));
    }

    [Fact]
    public void S2_1_every_policy_that_selects_the_pod_for_the_direction_isolates_it()
    {
        var s = Cluster()
            .Policy("x/one", "podSelector: {}\npolicyTypes: [Ingress]")
            .Policy("x/two", "podSelector: {matchLabels: {pod: b}}\npolicyTypes: [Ingress, Egress]")
            .Policy("x/three", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Ingress]")
            .Build();

        var verdict = s.Eval("x/b", "x/b", 80);
        Expect.IsolatedBy(verdict.Ingress, "x/one", "x/two");
        Expect.IsolatedBy(verdict.Egress, "x/two");
    }

    // ---- S2.2 -------------------------------------------------------------------------------

    [Fact]
    public void S2_2_a_policy_in_another_namespace_does_not_isolate()
    {
        // y/deny-all selects pod=b, but only in y: x/b keeps all its traffic.
        var s = Cluster().Policy("y/deny-all", """
            podSelector: {matchLabels: {pod: b}}
            policyTypes: [Ingress, Egress]
            """).Build();

        var toXb = s.Eval("x/a", "x/b", 80);
        Expect.Allowed(toXb);
        Expect.NotIsolated(toXb.Ingress);
        Expect.Allowed(s.Eval("x/b", "y/a", 80));

        var toYb = s.Eval("x/a", "y/b", 80);
        Expect.Halves(toYb, egress: true, ingress: false);
        Expect.IsolatedBy(toYb.Ingress, "y/deny-all");
    }

    [Fact]
    public void S2_2_a_policy_in_another_namespace_can_only_mention_the_pod_as_a_peer()
    {
        var s = Cluster().Policy("y/allow-from-x-a", """
            podSelector: {}
            ingress:
            - from: [{namespaceSelector: {matchLabels: {ns: x}}, podSelector: {matchLabels: {pod: a}}}]
            """).Build();

        var mentioned = s.Eval("x/a", "y/b", 80);
        Expect.Allowed(mentioned);
        Expect.NotIsolated(mentioned.Egress); // x/a is a peer of y's policy, not selected by it
        Expect.AllowedBy(mentioned.Ingress, ("y/allow-from-x-a", 0));
        Expect.Denied(s.Eval("x/b", "y/b", 80));
        Expect.NotIsolated(s.Eval("y/a", "x/a", 80).Ingress);
    }

    [Fact]
    public void S2_2_an_unisolated_direction_has_no_restriction_at_all()
    {
        var s = Cluster().Policy("x/egress-only", """
            podSelector: {}
            policyTypes: [Egress]
            """).Build();

        foreach (var from in new[] { "y/a", "y/b", "203.0.113.1" })
        {
            var verdict = s.Eval(from, "x/a", 12345, Model.Protocol.UDP);
            Expect.Allowed(verdict);
            Expect.NotIsolated(verdict.Ingress);
        }

        // From x/b the egress half is judged on x/b (isolated); the ingress half of x/a is still unrestricted.
        var inside = s.Eval("x/b", "x/a", 12345, Model.Protocol.UDP);
        Expect.Halves(inside, egress: false, ingress: true);
        Expect.NotIsolated(inside.Ingress);
    }

    // ---- S2.3 -------------------------------------------------------------------------------

    [Fact]
    public void S2_3_empty_podSelector_selects_every_pod_of_the_policy_namespace_only()
    {
        var s = Cluster().Policy("x/deny-all", """
            podSelector: {}
            policyTypes: [Ingress]
            """).Build();

        Expect.IsolatedBy(s.Eval("y/a", "x/a", 80).Ingress, "x/deny-all");
        Expect.IsolatedBy(s.Eval("y/a", "x/b", 80).Ingress, "x/deny-all");
        Expect.Denied(s.Eval("y/a", "x/a", 80));
        Expect.Denied(s.Eval("y/a", "x/b", 80));
        Expect.NotIsolated(s.Eval("x/a", "y/a", 80).Ingress);
        Expect.NotIsolated(s.Eval("x/a", "y/b", 80).Ingress);
    }

    [Fact]
    public void S2_3_an_absent_podSelector_reads_as_empty()
    {
        var s = Cluster().Policy("x/deny-all", "policyTypes: [Ingress]").Build();

        Expect.IsolatedBy(s.Eval("y/a", "x/a", 80).Ingress, "x/deny-all");
        Expect.IsolatedBy(s.Eval("y/a", "x/b", 80).Ingress, "x/deny-all");
        Expect.NotIsolated(s.Eval("x/a", "y/a", 80).Ingress);
    }

    // ---- S2.4 -------------------------------------------------------------------------------

    [Fact]
    public void S2_4_a_policy_without_ingress_rules_denies_all_ingress()
    {
        var s = Cluster().Policy("x/default-deny", "podSelector: {}\npolicyTypes: [Ingress]").Build();

        foreach (var from in new[] { "x/b", "y/a", "10.9.9.9" })
        {
            var verdict = s.Eval(from, "x/a", 80);
            Expect.Halves(verdict, egress: true, ingress: false);
            Expect.IsolatedBy(verdict.Ingress, "x/default-deny");
        }
    }

    [Fact]
    public void S2_4_an_empty_ingress_list_is_default_deny_too()
    {
        var s = Cluster().Policy("x/default-deny", "podSelector: {}\ningress: []").Build();

        var verdict = s.Eval("y/a", "x/a", 80);
        Expect.Halves(verdict, egress: true, ingress: false);
        Expect.IsolatedBy(verdict.Ingress, "x/default-deny");
    }

    [Fact]
    public void S2_4_a_policy_without_egress_rules_denies_all_egress()
    {
        var s = Cluster().Policy("x/default-deny-egress", """
            podSelector: {}
            policyTypes: [Egress]
            egress: []
            """).Build();

        foreach (var to in new[] { "x/b", "y/a", "8.8.8.8" })
        {
            var verdict = s.Eval("x/a", to, 53, Model.Protocol.UDP);
            Expect.Halves(verdict, egress: false, ingress: true);
            Expect.IsolatedBy(verdict.Egress, "x/default-deny-egress");
        }
    }

    // ---- S3.1 -------------------------------------------------------------------------------

    [Fact]
    public void S3_1_non_empty_policyTypes_is_used_as_written()
    {
        // Only ingress rules, but Egress is listed: x/a is egress-isolated with no egress rule.
        var s = Cluster().Policy("x/both", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Ingress, Egress]
            ingress: [{}]
            """).Build();

        var verdict = s.Eval("x/a", "y/a", 80);
        Expect.Halves(verdict, egress: false, ingress: true);
        Expect.IsolatedBy(verdict.Egress, "x/both");
        Expect.Allowed(s.Eval("y/a", "x/a", 80));
    }

    [Fact]
    public void S3_1_egress_rules_of_a_policy_listing_only_Ingress_neither_isolate_nor_allow()
    {
        var s = Cluster()
            .Policy("x/ingress-only", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Ingress]
                egress:
                - to: [{ipBlock: {cidr: 10.2.0.1/32}}]
                """)
            .Build();

        var verdict = s.Eval("x/a", "y/b", 80); // y/b is not in the ignored rule: egress stays open
        Expect.Allowed(verdict);
        Expect.NotIsolated(verdict.Egress);
    }

    [Fact]
    public void S3_1_ingress_rules_of_a_policy_listing_only_Egress_do_not_allow()
    {
        // x/deny isolates x/a for ingress; x/egress-only carries an allow-all ingress rule that must be ignored.
        var s = Cluster()
            .Policy("x/deny", "podSelector: {}\npolicyTypes: [Ingress]")
            .Policy("x/egress-only", """
                podSelector: {}
                policyTypes: [Egress]
                ingress: [{}]
                egress: [{}]
                """)
            .Build();

        var verdict = s.Eval("y/a", "x/a", 80);
        Expect.Halves(verdict, egress: true, ingress: false);
        Expect.IsolatedBy(verdict.Ingress, "x/deny");
        Assert.Empty(verdict.Ingress.AllowingRules);
        Expect.AllowedBy(s.Eval("x/a", "y/a", 80).Egress, ("x/egress-only", 0));
    }

    // ---- S3.2 -------------------------------------------------------------------------------

    [Fact]
    public void S3_2_absent_policyTypes_with_only_ingress_rules_is_Ingress_only()
    {
        var s = Cluster().Policy("x/from-a", """
            podSelector: {matchLabels: {pod: b}}
            ingress:
            - from: [{podSelector: {matchLabels: {pod: a}}}]
            """).Build();

        Expect.Denied(s.Eval("y/a", "x/b", 80));
        var egress = s.Eval("x/b", "y/a", 80);
        Expect.Allowed(egress);
        Expect.NotIsolated(egress.Egress);
    }

    [Fact]
    public void S3_2_absent_policyTypes_adds_Egress_when_there_is_an_egress_rule()
    {
        var s = Cluster().Policy("x/both", """
            podSelector: {matchLabels: {pod: b}}
            ingress: [{}]
            egress:
            - to: [{podSelector: {matchLabels: {pod: a}}}]
            """).Build();

        Expect.AllowedBy(s.Eval("x/b", "x/a", 80).Egress, ("x/both", 0));
        var verdict = s.Eval("x/b", "y/a", 80);
        Expect.Halves(verdict, egress: false, ingress: true);
        Expect.IsolatedBy(verdict.Egress, "x/both");
        Expect.AllowedBy(s.Eval("y/a", "x/b", 80).Ingress, ("x/both", 0));
    }

    [Fact]
    public void S3_2_empty_policyTypes_list_is_defaulted_like_an_absent_one()
    {
        // policyTypes: [] is defaulted (len == 0): Ingress, plus Egress because there is an egress rule.
        var s = Cluster().Policy("x/empty-types", """
            podSelector: {matchLabels: {pod: b}}
            policyTypes: []
            egress:
            - to: [{podSelector: {matchLabels: {pod: a}}}]
            """).Build();

        var ingress = s.Eval("x/a", "x/b", 80);
        Expect.Halves(ingress, egress: true, ingress: false);
        Expect.IsolatedBy(ingress.Ingress, "x/empty-types");

        Expect.Allowed(s.Eval("x/b", "x/a", 80));
        var egress = s.Eval("x/b", "y/a", 80);
        Expect.Halves(egress, egress: false, ingress: true);
        Expect.IsolatedBy(egress.Egress, "x/empty-types");
    }

    [Fact]
    public void S3_2_empty_policyTypes_without_egress_rules_is_Ingress_only()
    {
        var s = Cluster().Policy("x/empty-types", "podSelector: {}\npolicyTypes: []").Build();

        Expect.Halves(s.Eval("y/a", "x/a", 80), egress: true, ingress: false);
        Expect.NotIsolated(s.Eval("x/a", "y/a", 80).Egress);
    }

    // ---- S3.3 -------------------------------------------------------------------------------

    [Fact]
    public void S3_3_egress_only_rules_without_policyTypes_also_isolate_ingress()
    {
        var s = Cluster().Policy("x/egress-to-y", """
            podSelector: {matchLabels: {pod: a}}
            egress:
            - to: [{namespaceSelector: {matchLabels: {ns: y}}}]
            """).Build();

        Expect.Allowed(s.Eval("x/a", "y/b", 80)); // the egress rule works
        foreach (var from in new[] { "x/b", "y/a", "192.0.2.10" })
        {
            var verdict = s.Eval(from, "x/a", 80); // ...and all ingress to x/a is gone
            Expect.Halves(verdict, egress: true, ingress: false);
            Expect.IsolatedBy(verdict.Ingress, "x/egress-to-y");
            Assert.Empty(verdict.Ingress.AllowingRules);
        }
    }

    [Fact]
    public void S3_3_empty_egress_list_without_policyTypes_gives_Ingress_only()
    {
        var s = Cluster().Policy("x/empty-egress", "podSelector: {matchLabels: {pod: a}}\negress: []").Build();

        var outbound = s.Eval("x/a", "y/a", 80);
        Expect.Allowed(outbound);
        Expect.NotIsolated(outbound.Egress);
        Expect.Halves(s.Eval("y/a", "x/a", 80), egress: true, ingress: false);
    }
}
