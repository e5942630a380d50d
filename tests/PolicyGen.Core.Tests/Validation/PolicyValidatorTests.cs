using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using PolicyGen.Validation;

namespace PolicyGen.Tests.Validation;

public class PolicyValidatorTests
{
    private static readonly LabelSelector Web = new() { MatchLabels = Labels.Of(("app", "web")) };

    /// <summary>A small valid policy; each test changes one thing with a <c>with</c> expression.</summary>
    private static readonly NetworkPolicy Valid = new()
    {
        Namespace = "shop",
        Name = "allow-web",
        PodSelector = Web,
        PolicyTypes = ["Ingress"],
        Ingress =
        [
            new PolicyRule
            {
                Peers = [new PolicyPeer { PodSelector = new LabelSelector { MatchLabels = Labels.Of(("app", "client")) } }],
                Ports = [new PolicyPort { Protocol = "TCP", Port = IntOrString.FromNumber(80) }],
            },
        ],
    };

    private static NetworkPolicy WithIngressPort(PolicyPort port)
        => Valid with { Ingress = [new PolicyRule { Ports = [port] }] };

    private static NetworkPolicy WithIngressPeer(PolicyPeer peer)
        => Valid with { Ingress = [new PolicyRule { Peers = [peer] }] };

    private static NetworkPolicy WithIpBlock(string cidr, params string[] except)
        => WithIngressPeer(new PolicyPeer { IpBlock = new IpBlock(cidr, [.. except]) });

    private static PolicyPort Numeric(int port, int? endPort = null)
        => new() { Port = IntOrString.FromNumber(port), EndPort = endPort };

    private static PolicyPort Named(string name, int? endPort = null)
        => new() { Port = IntOrString.FromName(name), EndPort = endPort };

    private static LabelSelectorRequirement Expression(string key, string op, params string[] values)
        => new(key, op, [.. values]);

    private static NetworkPolicy WithExpression(LabelSelectorRequirement expression)
        => Valid with { PodSelector = new LabelSelector { MatchExpressions = [expression] } };

    private static void AssertValid(NetworkPolicy policy)
    {
        var problems = PolicyValidator.Validate(policy);
        Assert.True(problems.IsEmpty, string.Join("\n", problems.Select(p => p.Format(policy))));
    }

    /// <summary>Asserts exactly one problem, at <paramref name="path"/>, whose message contains <paramref name="gist"/>.</summary>
    private static PolicyProblem AssertSingle(NetworkPolicy policy, string path, string gist, Severity severity = Severity.Error)
    {
        var problems = PolicyValidator.Validate(policy);
        var problem = Assert.Single(problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains(gist, problem.Message, StringComparison.Ordinal);
        Assert.Equal(severity, problem.Severity);
        return problem;
    }

    /// <summary>Asserts that some problem is at <paramref name="path"/> with <paramref name="gist"/> in its message.</summary>
    private static void AssertHas(NetworkPolicy policy, string path, string gist, Severity severity = Severity.Error)
    {
        var problems = PolicyValidator.Validate(policy);
        Assert.Contains(problems, p => p.Path == path && p.Message.Contains(gist, StringComparison.Ordinal) && p.Severity == severity);
    }

    // ---- The whole policy ----

    [Fact]
    public void Baseline_is_valid() => AssertValid(Valid);

    [Fact]
    public void Policy_using_every_feature_is_valid()
    {
        var policy = new NetworkPolicy
        {
            Namespace = "shop-prod",
            Name = "db.allow-app-1",
            PodSelector = new LabelSelector
            {
                MatchLabels = Labels.Of(("app.kubernetes.io/name", "postgres"), ("tier", "")),
                MatchExpressions =
                [
                    Expression("env", LabelOperators.In, "prod", "staging"),
                    Expression("example.com/Track", LabelOperators.NotIn, "canary_1"),
                    Expression("role", LabelOperators.Exists),
                    Expression("legacy", LabelOperators.DoesNotExist),
                ],
            },
            PolicyTypes = ["Ingress", "Egress"],
            Ingress =
            [
                new PolicyRule
                {
                    Peers =
                    [
                        new PolicyPeer
                        {
                            NamespaceSelector = new LabelSelector { MatchLabels = Labels.Of((Namespace.NameLabel, "apps")) },
                            PodSelector = new LabelSelector { MatchLabels = Labels.Of(("app", "api")) },
                        },
                        new PolicyPeer { IpBlock = new IpBlock("10.0.0.0/8", ["10.1.0.0/16", "10.2.3.4/32"]) },
                        new PolicyPeer { IpBlock = new IpBlock("2001:db8::/32", ["2001:db8:1::/48"]) },
                    ],
                    Ports =
                    [
                        new PolicyPort { Port = IntOrString.FromName("postgres") },
                        new PolicyPort { Protocol = "TCP", Port = IntOrString.FromNumber(5432), EndPort = 5440 },
                    ],
                },
            ],
            Egress =
            [
                new PolicyRule
                {
                    Peers = [new PolicyPeer { NamespaceSelector = new LabelSelector() }],
                    Ports =
                    [
                        new PolicyPort { Protocol = "UDP", Port = IntOrString.FromNumber(53) },
                        new PolicyPort { Protocol = "SCTP" },
                    ],
                },
                new PolicyRule(),
            ],
        };

        AssertValid(policy);
    }

    [Fact]
    public void Problems_come_in_field_order()
    {
        var policy = Valid with
        {
            Name = "Bad_Name",
            PolicyTypes = ["Ingres"],
            Ingress =
            [
                new PolicyRule
                {
                    Peers = [new PolicyPeer(), new PolicyPeer { IpBlock = new IpBlock("10.0.0.0/8", ["10.0.0.0/8"]) }],
                    Ports = [new PolicyPort { Protocol = "tcp", Port = IntOrString.FromNumber(0) }],
                },
            ],
            Egress = [new PolicyRule { Ports = [Named("http", 90)] }],
        };

        var paths = PolicyValidator.Validate(policy).Select(p => p.Path);

        Assert.Equal(
            [
                "metadata.name",
                "spec.policyTypes[0]",
                "spec.ingress[0].from[0]",
                "spec.ingress[0].from[1].ipBlock.except[0]",
                "spec.ingress[0].ports[0].protocol",
                "spec.ingress[0].ports[0].port",
                "spec.egress[0].ports[0].endPort",
            ],
            paths);
    }

    // ---- S14.1 metadata ----

    [Theory]
    [InlineData("a")]
    [InlineData("allow-web")]
    [InlineData("web.shop-1")]
    [InlineData("0-start-with-digit")]
    public void S14_1_name_that_is_a_dns1123_subdomain_is_valid(string name) => AssertValid(Valid with { Name = name });

    [Fact]
    public void S14_1_name_of_253_characters_is_valid()
        => AssertValid(Valid with { Name = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('a', 61) });

    [Theory]
    [InlineData("Allow-Web")]
    [InlineData("-web")]
    [InlineData("web-")]
    [InlineData("web_db")]
    [InlineData("web..db")]
    [InlineData("web.-db")]
    [InlineData(".web")]
    [InlineData("web/db")]
    public void S14_1_name_must_be_a_dns1123_subdomain(string name)
    {
        var problem = AssertSingle(Valid with { Name = name }, "metadata.name", "RFC 1123 subdomain");
        Assert.StartsWith($"Invalid value: \"{name}\": ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S14_1_name_longer_than_253_characters_is_invalid()
        => AssertSingle(Valid with { Name = new string('a', 254) }, "metadata.name", "must be no more than 253 characters");

    [Fact]
    public void S14_1_empty_name_is_required()
        => AssertSingle(Valid with { Name = "" }, "metadata.name", "Required value");

    [Theory]
    [InlineData("shop")]
    [InlineData("kube-system")]
    [InlineData("a")]
    public void S14_1_namespace_that_is_a_dns1123_label_is_valid(string ns) => AssertValid(Valid with { Namespace = ns });

    [Fact]
    public void S14_1_namespace_of_63_characters_is_valid() => AssertValid(Valid with { Namespace = new string('n', 63) });

    [Theory]
    [InlineData("shop.prod")]
    [InlineData("Shop")]
    [InlineData("shop-")]
    [InlineData("shop_prod")]
    public void S14_1_namespace_must_be_a_dns1123_label(string ns)
        => AssertSingle(Valid with { Namespace = ns }, "metadata.namespace", "RFC 1123 label");

    [Fact]
    public void S14_1_namespace_longer_than_63_characters_is_invalid()
        => AssertSingle(Valid with { Namespace = new string('n', 64) }, "metadata.namespace", "must be no more than 63 characters");

    [Fact]
    public void S14_1_empty_namespace_is_required()
        => AssertSingle(Valid with { Namespace = "" }, "metadata.namespace", "Required value");

    // ---- S14.2 protocol ----

    [Theory]
    [InlineData(null)]
    [InlineData("TCP")]
    [InlineData("UDP")]
    [InlineData("SCTP")]
    public void S14_2_protocol_TCP_UDP_SCTP_or_omitted_is_valid(string? protocol)
        => AssertValid(WithIngressPort(new PolicyPort { Protocol = protocol, Port = IntOrString.FromNumber(80) }));

    [Theory]
    [InlineData("tcp")]
    [InlineData("Udp")]
    [InlineData("ICMP")]
    [InlineData("")]
    public void S14_2_protocol_is_case_sensitive_and_limited(string protocol)
    {
        var problem = AssertSingle(
            WithIngressPort(new PolicyPort { Protocol = protocol }),
            "spec.ingress[0].ports[0].protocol",
            "Unsupported value");
        Assert.Equal($"Unsupported value: \"{protocol}\": supported values: \"TCP\", \"UDP\", \"SCTP\"", problem.Message);
    }

    // ---- S14.3 numeric port ----

    [Theory]
    [InlineData(1)]
    [InlineData(80)]
    [InlineData(65535)]
    public void S14_3_port_between_1_and_65535_is_valid(int port) => AssertValid(WithIngressPort(Numeric(port)));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void S14_3_port_outside_1_to_65535_is_invalid(int port)
    {
        var problem = AssertSingle(WithIngressPort(Numeric(port)), "spec.ingress[0].ports[0].port", "must be between 1 and 65535, inclusive");
        Assert.StartsWith($"Invalid value: {port}: ", problem.Message, StringComparison.Ordinal);
    }

    // ---- S14.4 endPort ----

    [Theory]
    [InlineData(80, 80)]
    [InlineData(80, 90)]
    [InlineData(1, 65535)]
    public void S14_4_endPort_at_or_above_numeric_port_is_valid(int port, int endPort)
        => AssertValid(WithIngressPort(Numeric(port, endPort)));

    [Fact]
    public void S14_4_endPort_below_port_is_invalid()
    {
        var policy = Valid with { Egress = [new PolicyRule { Ports = [Numeric(53), Numeric(8080, 8000)] }] };
        var problem = AssertSingle(policy, "spec.egress[0].ports[1].endPort", "must be greater than or equal to `port`");
        Assert.StartsWith("Invalid value: 8000: ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S14_4_endPort_above_65535_is_invalid()
        => AssertSingle(WithIngressPort(Numeric(80, 65536)), "spec.ingress[0].ports[0].endPort", "must be between 1 and 65535, inclusive");

    [Fact]
    public void S14_4_endPort_0_is_below_port_and_out_of_range()
    {
        var problems = PolicyValidator.Validate(WithIngressPort(Numeric(80, 0)));
        Assert.Equal(2, problems.Length);
        Assert.All(problems, p => Assert.Equal("spec.ingress[0].ports[0].endPort", p.Path));
        Assert.Contains("greater than or equal to `port`", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 65535", problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S14_4_endPort_with_named_port_is_invalid()
        => AssertSingle(WithIngressPort(Named("http", 90)), "spec.ingress[0].ports[0].endPort", "may not be specified when `port` is non-numeric");

    [Fact]
    public void S14_4_endPort_without_port_is_invalid()
        => AssertSingle(
            WithIngressPort(new PolicyPort { Protocol = "TCP", EndPort = 90 }),
            "spec.ingress[0].ports[0].endPort",
            "may not be specified when `port` is not specified");

    // ---- S14.5 named port ----

    [Theory]
    [InlineData("http")]
    [InlineData("web-80")]
    [InlineData("8080a")]
    [InlineData("a")]
    [InlineData("abcdefghijklmno")] // 15 characters
    public void S14_5_named_port_that_is_an_iana_svc_name_is_valid(string name)
        => AssertValid(WithIngressPort(Named(name)));

    [Fact]
    public void S14_5_quoted_number_is_a_name_without_a_letter()
    {
        var problem = AssertSingle(WithIngressPort(Named("80")), "spec.ingress[0].ports[0].port", "must contain at least one letter (a-z)");
        Assert.StartsWith("Invalid value: \"80\": ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("write it unquoted (port: 80)", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP", "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")]
    [InlineData("my_port", "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")]
    [InlineData("-http", "must not begin or end with a hyphen")]
    [InlineData("http-", "must not begin or end with a hyphen")]
    [InlineData("web--80", "must not contain consecutive hyphens")]
    [InlineData("abcdefghijklmnop", "must be no more than 15 characters")]
    public void S14_5_named_port_must_be_an_iana_svc_name(string name, string gist)
        => AssertHas(WithIngressPort(Named(name)), "spec.ingress[0].ports[0].port", gist);

    [Fact]
    public void S14_5_empty_port_name_is_invalid()
        => AssertHas(WithIngressPort(Named("")), "spec.ingress[0].ports[0].port", "must contain at least one letter");

    // ---- S14.6 peers ----

    public static TheoryData<PolicyPeer> ValidPeers => new()
    {
        new PolicyPeer { PodSelector = Web },
        new PolicyPeer { PodSelector = LabelSelector.Everything },
        new PolicyPeer { NamespaceSelector = LabelSelector.Everything },
        new PolicyPeer { NamespaceSelector = Web, PodSelector = Web },
        new PolicyPeer { IpBlock = new IpBlock("192.168.0.0/16", []) },
    };

    [Theory]
    [MemberData(nameof(ValidPeers))]
    public void S14_6_peer_with_one_kind_or_both_selectors_is_valid(PolicyPeer peer) => AssertValid(WithIngressPeer(peer));

    [Fact]
    public void S14_6_empty_peer_must_specify_a_peer()
        => AssertSingle(WithIngressPeer(new PolicyPeer()), "spec.ingress[0].from[0]", "Required value: must specify a peer");

    [Fact]
    public void S14_6_empty_egress_peer_is_reported_under_to()
    {
        var policy = Valid with { Egress = [new PolicyRule { Peers = [new PolicyPeer { PodSelector = Web }, new PolicyPeer()] }] };
        AssertSingle(policy, "spec.egress[0].to[1]", "must specify a peer");
    }

    [Fact]
    public void S14_6_ipBlock_with_podSelector_is_invalid()
        => AssertSingle(
            WithIngressPeer(new PolicyPeer { PodSelector = Web, IpBlock = new IpBlock("10.0.0.0/8", []) }),
            "spec.ingress[0].from[0]",
            "may not specify both ipBlock and another peer");

    [Fact]
    public void S14_6_ipBlock_with_namespaceSelector_is_invalid()
        => AssertSingle(
            WithIngressPeer(new PolicyPeer { NamespaceSelector = LabelSelector.Everything, IpBlock = new IpBlock("10.0.0.0/8", []) }),
            "spec.ingress[0].from[0]",
            "Forbidden: may not specify both ipBlock and another peer");

    // ---- S14.7 ipBlock ----

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("0.0.0.0/0")]
    [InlineData("192.168.1.1/32")]
    [InlineData("2001:db8::/32")]
    [InlineData("::/0")]
    public void S14_7_canonical_cidr_is_valid(string cidr) => AssertValid(WithIpBlock(cidr));

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.0.0/16")]
    [InlineData("10.0.0.0/8", "10.255.255.255/32")]
    [InlineData("0.0.0.0/0", "10.0.0.0/8")]
    [InlineData("2001:db8::/32", "2001:db8:ff::/48")]
    public void S14_7_except_inside_cidr_with_longer_prefix_is_valid(string cidr, string except)
        => AssertValid(WithIpBlock(cidr, except));

    [Fact]
    public void S14_7_missing_cidr_is_required()
        => AssertSingle(WithIpBlock(""), "spec.ingress[0].from[0].ipBlock.cidr", "Required value");

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0/16")]
    [InlineData("not-a-cidr")]
    [InlineData("2001:db8::/129")]
    public void S14_7_cidr_must_parse(string cidr)
    {
        var problem = AssertSingle(WithIpBlock(cidr), "spec.ingress[0].from[0].ipBlock.cidr", "must be a valid CIDR value");
        Assert.StartsWith($"Invalid value: \"{cidr}\": ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S14_7_except_must_parse()
    {
        var policy = Valid with
        {
            Ingress = [new PolicyRule { Peers = [new PolicyPeer { PodSelector = Web }, new PolicyPeer { IpBlock = new IpBlock("10.0.0.0/8", ["10.1.0.0/40"]) }] }],
        };
        AssertSingle(policy, "spec.ingress[0].from[1].ipBlock.except[0]", "must be a valid CIDR value");
    }

    [Fact]
    public void S14_7_except_equal_prefix_is_not_a_strict_subset()
    {
        var policy = Valid with
        {
            Ingress = [new PolicyRule { Peers = [new PolicyPeer { PodSelector = Web }, new PolicyPeer { IpBlock = new IpBlock("10.0.0.0/8", ["10.0.0.0/8"]) }] }],
        };
        var problem = AssertSingle(policy, "spec.ingress[0].from[1].ipBlock.except[0]", "must be a strict subset of `cidr`");
        Assert.Equal("Invalid value: \"10.0.0.0/8\": must be a strict subset of `cidr`", problem.Message);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "11.0.0.0/16")] // outside
    [InlineData("10.0.0.0/16", "10.0.0.0/8")] // shorter prefix
    [InlineData("10.0.0.0/8", "2001:db8::/64")] // other family
    [InlineData("2001:db8::/32", "10.0.0.0/16")] // other family
    [InlineData("2001:db8::/32", "2001:db9::/48")] // outside
    public void S14_7_except_outside_cidr_or_of_other_family_is_not_a_strict_subset(string cidr, string except)
        => AssertSingle(WithIpBlock(cidr, except), "spec.ingress[0].from[0].ipBlock.except[0]", "must be a strict subset of `cidr`");

    [Fact]
    public void S14_7_second_except_is_reported_at_its_index()
        => AssertSingle(WithIpBlock("10.0.0.0/8", "10.1.0.0/16", "192.168.0.0/16"), "spec.ingress[0].from[0].ipBlock.except[1]", "strict subset");

    [Fact]
    public void S14_7_cidr_with_host_bits_is_a_warning_naming_the_canonical_form()
    {
        var problem = AssertSingle(
            WithIpBlock("10.1.2.3/8"),
            "spec.ingress[0].from[0].ipBlock.cidr",
            "should be written in canonical form \"10.0.0.0/8\"",
            Severity.Warning);
        Assert.Contains("bits set beyond the prefix length", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("010.0.0.0/8", "10.0.0.0/8")]
    [InlineData("10.0.0.0/08", "10.0.0.0/8")]
    [InlineData("2001:DB8::/32", "2001:db8::/32")]
    [InlineData("2001:0db8:0:0::/32", "2001:db8::/32")]
    public void S14_7_cidr_with_leading_zeros_or_other_spelling_is_a_warning(string cidr, string canonical)
        => AssertSingle(
            WithIpBlock(cidr),
            "spec.ingress[0].from[0].ipBlock.cidr",
            $"should be written in canonical form \"{canonical}\"",
            Severity.Warning);

    [Fact]
    public void S14_7_non_canonical_except_is_a_warning()
        => AssertSingle(
            WithIpBlock("10.0.0.0/8", "10.1.2.3/16"),
            "spec.ingress[0].from[0].ipBlock.except[0]",
            "should be written in canonical form \"10.1.0.0/16\"",
            Severity.Warning);

    [Fact]
    public void S14_7_subset_check_uses_the_masked_except()
    {
        // 10.0.0.1/8 masks to 10.0.0.0/8: the same block as cidr, so not a strict subset.
        var problems = PolicyValidator.Validate(WithIpBlock("10.0.0.0/8", "10.0.0.1/8"));
        Assert.Equal([Severity.Warning, Severity.Error], problems.Select(p => p.Severity));
        Assert.Contains("strict subset", problems[1].Message, StringComparison.Ordinal);
    }

    // ---- S14.8 label selectors ----

    [Theory]
    [InlineData("app")]
    [InlineData("app.kubernetes.io/name")]
    [InlineData("kubernetes.io/metadata.name")]
    [InlineData("A_b.c-D9")]
    [InlineData("x")]
    public void S14_8_matchLabels_key_that_is_a_qualified_name_is_valid(string key)
        => AssertValid(Valid with { PodSelector = new LabelSelector { MatchLabels = Labels.Of((key, "v")) } });

    [Fact]
    public void S14_8_matchLabels_key_with_63_character_name_and_253_character_prefix_is_valid()
    {
        var prefix = string.Join('.', Enumerable.Repeat(new string('p', 63), 3)) + "." + new string('p', 61);
        var key = prefix + "/" + new string('N', 63);
        AssertValid(Valid with { PodSelector = new LabelSelector { MatchLabels = Labels.Of((key, "v")) } });
    }

    [Theory]
    [InlineData("-app", "name part must consist of alphanumeric characters")]
    [InlineData("app_", "name part must consist of alphanumeric characters")]
    [InlineData("my app", "name part must consist of alphanumeric characters")]
    [InlineData("app/", "name part must be non-empty")]
    [InlineData("/app", "prefix part must be non-empty")]
    [InlineData("Example.com/app", "prefix part a lowercase RFC 1123 subdomain")]
    [InlineData("a/b/c", "a qualified name must consist of")]
    public void S14_8_matchLabels_key_must_be_a_qualified_name(string key, string gist)
    {
        var policy = Valid with { PodSelector = new LabelSelector { MatchLabels = Labels.Of((key, "v")) } };
        var problem = AssertSingle(policy, "spec.podSelector.matchLabels", gist);
        Assert.StartsWith($"Invalid value: \"{key}\": ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S14_8_matchLabels_key_name_longer_than_63_is_invalid()
        => AssertSingle(
            Valid with { PodSelector = new LabelSelector { MatchLabels = Labels.Of((new string('k', 64), "v")) } },
            "spec.podSelector.matchLabels",
            "name part must be no more than 63 characters");

    [Theory]
    [InlineData("")]
    [InlineData("v1")]
    [InlineData("My_value.1-2")]
    public void S14_8_label_value_empty_or_qualified_is_valid(string value)
        => AssertValid(Valid with { PodSelector = new LabelSelector { MatchLabels = Labels.Of(("app", value)) } });

    [Theory]
    [InlineData("-web", "a valid label must be an empty string or consist of alphanumeric characters")]
    [InlineData("web app", "a valid label must be an empty string or consist of alphanumeric characters")]
    [InlineData("web/app", "a valid label must be an empty string or consist of alphanumeric characters")]
    public void S14_8_matchLabels_value_must_be_a_label_value(string value, string gist)
    {
        var problem = AssertSingle(
            Valid with { PodSelector = new LabelSelector { MatchLabels = Labels.Of(("app", value)) } },
            "spec.podSelector.matchLabels",
            gist);
        Assert.StartsWith($"Invalid value: \"{value}\": ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S14_8_label_value_longer_than_63_is_invalid()
        => AssertSingle(
            Valid with { PodSelector = new LabelSelector { MatchLabels = Labels.Of(("app", new string('v', 64))) } },
            "spec.podSelector.matchLabels",
            "must be no more than 63 characters");

    [Theory]
    [InlineData(LabelOperators.In, new[] { "a" })]
    [InlineData(LabelOperators.In, new[] { "a", "" })]
    [InlineData(LabelOperators.NotIn, new[] { "a", "b" })]
    [InlineData(LabelOperators.Exists, new string[0])]
    [InlineData(LabelOperators.DoesNotExist, new string[0])]
    public void S14_8_expression_with_fitting_values_is_valid(string op, string[] values)
        => AssertValid(WithExpression(Expression("app", op, values)));

    [Theory]
    [InlineData(LabelOperators.In)]
    [InlineData(LabelOperators.NotIn)]
    public void S14_8_In_and_NotIn_need_values(string op)
        => AssertSingle(
            WithExpression(Expression("app", op)),
            "spec.podSelector.matchExpressions[0].values",
            "Required value: must be specified when `operator` is 'In' or 'NotIn'");

    [Theory]
    [InlineData(LabelOperators.Exists)]
    [InlineData(LabelOperators.DoesNotExist)]
    public void S14_8_Exists_and_DoesNotExist_forbid_values(string op)
        => AssertSingle(
            WithExpression(Expression("app", op, "web")),
            "spec.podSelector.matchExpressions[0].values",
            "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");

    [Theory]
    [InlineData("Equals")]
    [InlineData("in")]
    [InlineData("")]
    public void S14_8_other_operator_is_unsupported(string op)
    {
        var problem = AssertSingle(WithExpression(Expression("app", op, "web")), "spec.podSelector.matchExpressions[0].operator", "Unsupported value");
        Assert.Equal($"Unsupported value: \"{op}\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\"", problem.Message);
    }

    [Fact]
    public void S14_8_expression_key_must_be_a_qualified_name()
        => AssertSingle(
            WithExpression(Expression("app name", LabelOperators.Exists)),
            "spec.podSelector.matchExpressions[0].key",
            "Invalid value: \"app name\": name part must consist of alphanumeric characters");

    [Fact]
    public void S14_8_expression_value_must_be_a_label_value()
        => AssertSingle(
            WithExpression(Expression("app", LabelOperators.NotIn, "web", "db!")),
            "spec.podSelector.matchExpressions[0].values[1]",
            "Invalid value: \"db!\": a valid label must be");

    [Fact]
    public void S14_8_peer_namespaceSelector_is_validated()
    {
        var peer = new PolicyPeer
        {
            NamespaceSelector = new LabelSelector { MatchExpressions = [Expression("team", LabelOperators.Exists), Expression("team", "Equals", "a")] },
        };
        AssertSingle(WithIngressPeer(peer), "spec.ingress[0].from[0].namespaceSelector.matchExpressions[1].operator", "Unsupported value: \"Equals\"");
    }

    [Fact]
    public void S14_8_peer_podSelector_is_validated()
    {
        var policy = Valid with
        {
            Egress = [new PolicyRule { Peers = [new PolicyPeer { PodSelector = new LabelSelector { MatchLabels = Labels.Of(("app", "-x")) } }] }],
        };
        AssertSingle(policy, "spec.egress[0].to[0].podSelector.matchLabels", "a valid label must be");
    }

    // ---- S14.9 policyTypes ----

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Ingress")]
    [InlineData("Egress")]
    [InlineData("Ingress,Egress")]
    [InlineData("Egress,Ingress")]
    public void S14_9_policyTypes_Ingress_and_Egress_are_valid(string? types)
        => AssertValid(Valid with { PolicyTypes = types is null ? null : [.. types.Split(',', StringSplitOptions.RemoveEmptyEntries)] });

    [Theory]
    [InlineData("ingress")]
    [InlineData("Both")]
    [InlineData("")]
    public void S14_9_other_policyType_is_unsupported(string type)
    {
        var problem = AssertSingle(Valid with { PolicyTypes = ["Egress", type] }, "spec.policyTypes[1]", "Unsupported value");
        Assert.Equal($"Unsupported value: \"{type}\": supported values: \"Ingress\", \"Egress\"", problem.Message);
    }

    [Fact]
    public void S14_9_more_than_two_policyTypes_is_invalid()
        => AssertSingle(Valid with { PolicyTypes = ["Ingress", "Egress", "Ingress"] }, "spec.policyTypes", "may not specify more than two policyTypes");

    [Fact]
    public void S14_9_more_than_two_policyTypes_still_reports_each_unsupported_entry()
    {
        var problems = PolicyValidator.Validate(Valid with { PolicyTypes = ["Ingress", "Egress", "Other"] });
        Assert.Equal(["spec.policyTypes", "spec.policyTypes[2]"], problems.Select(p => p.Path));
        Assert.Contains("may not specify more than two policyTypes", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("Unsupported value: \"Other\"", problems[1].Message, StringComparison.Ordinal);
    }

    // ---- Locations and formatting ----

    [Fact]
    public void Problem_location_is_the_field_location()
    {
        var at = new SourceLocation("p.yaml", 12, 7);
        var policy = WithIngressPort(new PolicyPort { Protocol = "tcp" }) with
        {
            Location = new SourceLocation("p.yaml", 1, 1),
            FieldLocations = ImmutableDictionary<string, SourceLocation>.Empty.Add("spec.ingress[0].ports[0].protocol", at),
        };

        Assert.Equal(at, Assert.Single(PolicyValidator.Validate(policy)).Location);
    }

    [Fact]
    public void Problem_location_falls_back_to_the_nearest_written_ancestor()
    {
        var ipBlock = new SourceLocation("p.yaml", 20, 9);
        var policy = WithIpBlock("10.0.0.0/8", "10.0.0.0/8") with
        {
            Location = new SourceLocation("p.yaml", 1, 1),
            FieldLocations = ImmutableDictionary<string, SourceLocation>.Empty.Add("spec.ingress[0].from[0].ipBlock", ipBlock),
        };

        Assert.Equal(ipBlock, Assert.Single(PolicyValidator.Validate(policy)).Location);
    }

    [Fact]
    public void Problem_location_falls_back_to_the_object()
    {
        var policy = Valid with { Name = "Bad", Location = new SourceLocation("p.yaml", 3, 1) };
        Assert.Equal(policy.Location, Assert.Single(PolicyValidator.Validate(policy)).Location);
    }

    [Fact]
    public void Format_prints_file_line_column_object_path_and_message()
    {
        const string path = "spec.ingress[0].from[0].ipBlock.except[0]";
        var policy = WithIpBlock("10.0.0.0/8", "10.0.0.0/8") with
        {
            FieldLocations = ImmutableDictionary<string, SourceLocation>.Empty.Add(path, new SourceLocation("p.yaml", 12, 7)),
        };

        var problem = Assert.Single(PolicyValidator.Validate(policy));

        Assert.Equal(
            "p.yaml:12:7: shop/allow-web: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"10.0.0.0/8\": must be a strict subset of `cidr`",
            problem.Format(policy));
    }

    [Fact]
    public void Format_without_location_starts_with_the_object()
    {
        var policy = Valid with { PolicyTypes = ["ingress"] };
        var problem = Assert.Single(PolicyValidator.Validate(policy));

        Assert.Null(problem.Location);
        Assert.Equal(
            "shop/allow-web: spec.policyTypes[0]: Unsupported value: \"ingress\": supported values: \"Ingress\", \"Egress\"",
            problem.Format(policy));
    }

    [Fact]
    public void Quoted_values_escape_quotes_and_control_characters()
    {
        var problem = Assert.Single(PolicyValidator.Validate(Valid with { PolicyTypes = ["a\"b\n"] }));
        Assert.Contains("Unsupported value: \"a\\\"b\\n\"", problem.Message, StringComparison.Ordinal);
    }
}
