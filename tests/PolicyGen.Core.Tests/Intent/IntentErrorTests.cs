using PolicyGen.Diagnostics;
using PolicyGen.Pipeline;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Intent;

/// <summary>
/// One test per class of mistake in an intent file: the diagnostic's code, its exact line and
/// column, and the gist of its message and hint. Line numbers in the comments count from the
/// first line of each inline intent.
/// </summary>
public sealed class IntentErrorTests
{
    // ---- NPG300 unknown key ------------------------------------------------------------------

    [Fact]
    public void Unknown_key_in_an_app_suggests_the_closest_key()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  ingres:
                  - from: [{anywhere: true}]
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentUnknownKey, 9, 7, "app \"web\": unknown key \"ingres\"", "did you mean \"ingress\"?");
    }

    [Fact]
    public void Unknown_key_under_spec_suggests_the_closest_key()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              netwroks:
                office: [10.20.0.0/16]
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentUnknownKey, 5, 3, "spec: unknown key \"netwroks\"", "did you mean \"networks\"?");
    }

    [Fact]
    public void Unknown_key_far_from_every_key_lists_the_keys()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web: {namespace: shop, selector: {app: web}, colour: blue}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentUnknownKey, 6, 50, "unknown key \"colour\"",
            "the keys here are: namespace, selector, ports, ingress, calls, egress, dns");
    }

    [Fact]
    public void Unknown_key_in_a_peer_lists_only_keys_that_work()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls:
                  - {namespace: monitoring, where: here}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentUnknownKey, 10, 33, "calls[0]: unknown key \"where\"",
            "the keys here are: app, namespace, namespaceLabels, podLabels, network, preset, anywhere, ports");
    }

    // ---- NPG303 unknown references -----------------------------------------------------------

    [Fact]
    public void Unknown_app_in_a_call_suggests_the_closest_app()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls:
                  - app: apii
                api:
                  namespace: shop
                  selector: {app: api}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentUnknownReference, 10, 14, "calls[0]: no app is named \"apii\"", "did you mean \"api\"?");
    }

    [Fact]
    public void Unknown_app_without_a_close_match_lists_the_apps()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls:
                  - app: payments
                api:
                  namespace: shop
                  selector: {app: api}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentUnknownReference, 10, 14, "calls[0]: no app is named \"payments\"", "the apps are: web, api");
    }

    [Fact]
    public void Unknown_app_in_the_bare_name_shorthand_is_an_unknown_reference_with_a_suggestion()
    {
        // "- web" is short for {app: web}: a typo there is the same mistake as in {app: ...}.
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls: [apii]
                api:
                  namespace: shop
                  selector: {app: api}
                  ingress:
                  - from: [webb]
            """);
        Assert.True(errors.Length == 2, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentUnknownReference, 9, 15, "no app is named \"apii\"", "did you mean \"api\"?");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentUnknownReference, 14, 16, "no app is named \"webb\"", "did you mean \"web\"?");
    }

    [Fact]
    public void Quoted_bare_name_of_an_existing_app_is_the_shorthand_too()
    {
        // YAML "api" and api are the same string; the error must not claim there is no app "api".
        var intent = LoadValid("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls: ["api"]
                api:
                  namespace: shop
                  selector: {app: api}
            """);
        Assert.Equal(new PolicyGen.Intent.AppPeer("api"), Assert.Single(intent.FindApp("web")!.Calls).To);
    }

    [Fact]
    public void Unknown_app_in_an_expectation_suggests_the_closest_app()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                api:
                  namespace: shop
                  selector: {app: api}
                  ports: {http: 8080/TCP}
              expect:
              - {from: apii, to: api, port: http, allowed: false}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentUnknownReference, 11, 12, "expect[0].from: \"apii\" is neither an app nor an IP address", "did you mean \"api\"?");
    }

    [Fact]
    public void Unknown_network_suggests_the_closest_network_or_says_where_to_declare_it()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              networks:
                office: [10.20.0.0/16]
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  ingress:
                  - from: [{network: ofice}]
                  calls:
                  - {network: vpn, ports: [443/TCP]}
            """);
        Assert.True(errors.Length == 2, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentUnknownReference, 12, 26, "ingress[0].from[0]: no network is named \"ofice\"", "did you mean \"office\"?");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentUnknownReference, 14, 19, "calls[0]: no network is named \"vpn\"", "declare it under spec.networks");
    }

    // ---- NPG309 port names and port syntax ---------------------------------------------------

    [Fact]
    public void Unknown_port_name_names_the_declared_ports_of_the_destination()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls:
                  - app: api
                    ports: [grpc]
                api:
                  namespace: shop
                  selector: {app: api}
                  ports: {http: 8080/TCP, metrics: 9100/TCP}
                  ingress:
                  - from: [web]
                    ports: [admin]
            """);
        Assert.True(errors.Length == 2, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentBadPort, 11, 17, "calls[0].ports: app \"api\" declares no port named \"grpc\"",
            "declared ports: http (8080/TCP), metrics (9100/TCP)");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentBadPort, 18, 17, "ingress[0].ports: app \"api\" declares no port named \"admin\"",
            "declared ports: http (8080/TCP), metrics (9100/TCP)");
    }

    [Fact]
    public void Unknown_port_name_on_an_app_without_ports_says_how_to_declare_one()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls:
                  - {app: api, ports: [http]}
                api:
                  namespace: shop
                  selector: {app: api}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentBadPort, 10, 28, "app \"api\" declares no port named \"http\"", "declare it under app api: ports: {http: 8080/TCP}");
    }

    [Fact]
    public void Port_name_with_a_network_or_namespace_needs_a_number()
    {
        // "http" is a port of web itself, but the ports of a call belong to the other end.
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              networks:
                office: [10.20.0.0/16]
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  ports: {http: 8080/TCP}
                  calls:
                  - network: office
                    ports: [https]
                  - namespace: monitoring
                    ports: [http]
            """);
        Assert.True(errors.Length == 2, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentBadPort, 14, 17, "calls[0].ports: the port name \"https\" has nothing to resolve on",
            "for networks, namespaces and presets write the number, e.g. 443/TCP");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentBadPort, 16, 17, "calls[1].ports: the port name \"http\" has nothing to resolve on",
            "for networks, namespaces and presets write the number, e.g. 443/TCP");
    }

    [Fact]
    public void Port_name_in_an_expectation_to_an_address_needs_a_number()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  ports: {http: 8080/TCP}
              expect:
              - {from: web, to: 203.0.113.9, port: http, allowed: false}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentBadPort, 11, 40, "expect[0].port: the port name \"http\" has nothing to resolve on", "write the number, e.g. 443/TCP");
    }

    [Theory]
    [InlineData("0/TCP")]
    [InlineData("70000/TCP")]
    [InlineData("8080/ICMP")]
    [InlineData("9000-8000/TCP")]
    [InlineData("8080/TCP/UDP")]
    [InlineData("1-2-3/TCP")]
    [InlineData("8o8o")]
    [InlineData("80/")]
    [InlineData("-80/TCP")]
    [InlineData(" 80/TCP")]
    [InlineData("")]
    public void Bad_port_syntax_in_an_apps_ports(string port)
    {
        var error = SingleError($$"""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  ports: {http: "{{port}}"}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentBadPort, 9, 21, $"app \"web\": port http: \"{port}\" is not a port",
            "write N/PROTO or A-B/PROTO with ports 1-65535 and PROTO TCP, UDP or SCTP");
    }

    [Fact]
    public void Bad_port_syntax_is_reported_where_declared_not_again_where_the_name_is_used()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls:
                  - {app: api, ports: [http]}
                api:
                  namespace: shop
                  selector: {app: api}
                  ports: {http: 8080/TPC}
              expect:
              - {from: web, to: api, port: http, allowed: true}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentBadPort, 14, 21, "app \"api\": port http: \"8080/TPC\" is not a port", "write N/PROTO");
    }

    [Fact]
    public void Bad_port_syntax_in_a_call()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              networks:
                office: [10.20.0.0/16]
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls:
                  - {network: office, ports: [443/TCP, 99999/TCP]}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentBadPort, 12, 44, "calls[0].ports: \"99999/TCP\" is not a port", "ports 1-65535");
    }

    // ---- NPG101 duplicate names --------------------------------------------------------------

    [Fact]
    public void Duplicate_app_is_a_duplicate_key()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                web:
                  namespace: shop
                  selector: {app: web2}
            """);
        AssertDiagnostic(error, DiagnosticCodes.YamlSyntax, 9, 5, ["invalid YAML", "Duplicate key", "web"], "each key may appear once in a mapping");
    }

    [Fact]
    public void Duplicate_network_and_port_name_are_duplicate_keys_too()
    {
        var network = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              networks:
                office: [10.20.0.0/16]
                office: [10.30.0.0/16]
            """);
        AssertDiagnostic(network, DiagnosticCodes.YamlSyntax, 7, 5, ["Duplicate key", "office"], "each key may appear once in a mapping");

        var port = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  ports: {http: 8080/TCP, http: 8081/TCP}
            """);
        AssertDiagnostic(port, DiagnosticCodes.YamlSyntax, 9, 31, ["Duplicate key", "http"], "each key may appear once in a mapping");
    }

    // ---- NPG305 / NPG306 CIDRs ---------------------------------------------------------------

    [Fact]
    public void Bad_cidr_says_how_to_write_one()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              networks:
                office: [10.20.0.0/16, 10.300.0.0/16]
                vpn: 10.1.2.3
                v6: ["2001:db8::1"]
            """);
        Assert.True(errors.Length == 3, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentBadCidr, 6, 28, "spec.networks.office: \"10.300.0.0/16\" is not a CIDR", "write an IPv4 or IPv6 CIDR such as 203.0.113.0/24");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentBadCidr, 7, 10, "spec.networks.vpn: \"10.1.2.3\" is not a CIDR", "a single address is written with a prefix: 10.1.2.3/32");
        AssertDiagnostic(errors[2], DiagnosticCodes.IntentBadCidr, 8, 10, "spec.networks.v6: \"2001:db8::1\" is not a CIDR", "a single address is written with a prefix: 2001:db8::1/128");
    }

    [Fact]
    public void Cidr_with_host_bits_names_the_block_it_stands_for()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              networks:
                lab: 10.20.1.0/16
                partner: {cidr: 10.0.0.1/8}
            """);
        Assert.True(errors.Length == 2, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentBadCidr, 6, 10, "\"10.20.1.0/16\" has bits set beyond its prefix", "write 10.20.0.0/16, the block it stands for");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentBadCidr, 7, 21, "\"10.0.0.1/8\" has bits set beyond its prefix", "write 10.0.0.0/8, the block it stands for");
    }

    [Fact]
    public void Except_outside_its_cidr_or_equal_to_it_or_of_the_other_family()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              networks:
                partner: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}
                all:
                  cidr: 0.0.0.0/0
                  except:
                  - 0.0.0.0/0
                  - "2001:db8::/32"
                  - 10.0.0.0/8
            """);
        Assert.True(errors.Length == 3, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentExceptOutsideCidr, 6, 42, "spec.networks.partner: except 192.168.0.0/16 is not inside 10.0.0.0/8",
            "an except must be a smaller block inside its cidr");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentExceptOutsideCidr, 10, 9, "except 0.0.0.0/0 is not inside 0.0.0.0/0", "a smaller block inside its cidr");
        AssertDiagnostic(errors[2], DiagnosticCodes.IntentExceptOutsideCidr, 11, 9, "except 2001:db8::/32 is not inside 0.0.0.0/0", "a smaller block inside its cidr");
    }

    // ---- NPG307 overlapping apps -------------------------------------------------------------

    [Fact]
    public void Overlapping_selectors_in_one_namespace_are_an_error()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                web-canary:
                  namespace: shop
                  selector: {app: web, track: canary}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentOverlappingApps, 11, 17,
            "apps \"web\" and \"web-canary\" in namespace shop can select the same pods ({app=web} and {app=web,track=canary})",
            "give both selectors a common key with different values");
    }

    [Fact]
    public void Selectors_without_a_common_key_overlap()
    {
        // A pod can carry both app=web and tier=front.
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web: {namespace: shop, selector: {app: web}}
                front: {namespace: shop, selector: {tier: front}}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentOverlappingApps, 7, 40, "apps \"web\" and \"front\"", "a common key with different values");
    }

    [Fact]
    public void Selectors_that_differ_on_a_key_or_live_in_other_namespaces_do_not_overlap()
    {
        var intent = LoadValid("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web-stable: {namespace: shop, selector: {app: web, track: stable}}
                web-canary: {namespace: shop, selector: {app: web, track: canary}}
                api: {namespace: shop, selector: {app: api}}
                api-staging: {namespace: staging, selector: {app: api}}
            """);
        Assert.Equal(4, intent.Apps.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Overlapping_apps_are_every_pair_that_no_key_tells_apart_in_order(int seed)
    {
        // The check compares only pairs the namespace's most common key does not tell apart: it must
        // report exactly the pairs the definition (no common key with different values) gives, in order.
        var random = new Random(seed);
        string[] keys = ["app", "tier", "track"];
        string[] values = ["a", "b", "c"];
        var apps = new List<(string Name, string Namespace, SortedDictionary<string, string> Selector)>();
        for (var i = 0; i < 24; i++)
        {
            var selector = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in keys.Where(_ => random.Next(3) > 0))
            {
                selector[key] = values[random.Next(values.Length)];
            }

            if (selector.Count == 0)
            {
                selector["app"] = $"only-{i}";
            }

            apps.Add(($"app-{i:D2}", random.Next(3) == 0 ? "other" : "shop", selector));
        }

        // Reported at the later app's selector: in the order of the later app, then of the earlier one.
        var expected = new List<string>();
        for (var j = 0; j < apps.Count; j++)
        {
            for (var i = 0; i < j; i++)
            {
                if (apps[i].Namespace == apps[j].Namespace
                    && !apps[i].Selector.Any(l => apps[j].Selector.TryGetValue(l.Key, out var v) && v != l.Value))
                {
                    expected.Add($"apps \"{apps[i].Name}\" and \"{apps[j].Name}\"");
                }
            }
        }

        var text = new System.Text.StringBuilder("apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nmetadata: {name: shop}\nspec:\n  apps:\n");
        foreach (var (name, ns, selector) in apps)
        {
            text.Append($"    {name}: {{namespace: {ns}, selector: {{{string.Join(", ", selector.Select(l => $"{l.Key}: {l.Value}"))}}}}}\n");
        }

        var overlaps = Errors(text.ToString()).Where(d => d.Code == DiagnosticCodes.IntentOverlappingApps).Select(d => d.Message[..d.Message.IndexOf(" in namespace", StringComparison.Ordinal)]).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, overlaps);
    }

    // ---- NPG308 what NetworkPolicy v1 cannot enforce -----------------------------------------

    [Fact]
    public void Fqdn_in_a_call_is_unenforceable()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls:
                  - fqdn: api.stripe.com
                    ports: [443/TCP]
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentUnenforceable, 10, 9, "calls[0]: \"fqdn\" cannot be enforced by NetworkPolicy v1",
            "pin the addresses in a named network");
    }

    [Theory]
    [InlineData("action: deny", "action", "no deny rules")]
    [InlineData("deny: true", "deny", "no deny rules")]
    [InlineData("http: {paths: [/admin]}", "http", "cannot match HTTP paths, methods or headers")]
    [InlineData("paths: [/admin]", "paths", "cannot match HTTP paths")]
    [InlineData("methods: [GET]", "methods", "cannot match HTTP methods")]
    [InlineData("icmp: {type: 8}", "icmp", "only covers TCP, UDP and SCTP")]
    public void Deny_http_and_icmp_in_an_ingress_rule_are_unenforceable(string line, string key, string hint)
    {
        var error = SingleError($$"""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  ingress:
                  - from: [{anywhere: true}]
                    {{line}}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentUnenforceable, 11, 9, $"ingress[0]: \"{key}\" cannot be enforced by NetworkPolicy v1", hint);
    }

    [Fact]
    public void Http_and_deny_in_a_peer_are_unenforceable()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  ingress:
                  - from: [{anywhere: true, http: {paths: [/api]}}]
                  - from: [{deny: true}]
            """);
        Assert.True(errors.Length == 2, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentUnenforceable, 10, 33, "ingress[0].from[0]: \"http\" cannot be enforced", "use a service mesh policy for L7");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentUnenforceable, 11, 17, "ingress[1].from[0]: \"deny\" cannot be enforced", "no deny rules");
    }

    [Fact]
    public void Deny_list_on_an_app_is_unenforceable()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  deny:
                  - from: [{namespace: attackers}]
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentUnenforceable, 9, 7, "app \"web\": \"deny\" cannot be enforced by NetworkPolicy v1", "no deny rules");
    }

    // ---- NPG310 names --------------------------------------------------------------------------

    [Fact]
    public void App_name_with_capitals_is_not_a_valid_name()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                Web:
                  namespace: shop
                  selector: {app: web}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentBadName, 6, 5, ["app \"Web\": \"Web\" is not a valid name", "lowercase RFC 1123 label"],
            "use lower-case letters, digits and '-'");
    }

    [Fact]
    public void Namespace_and_port_names_are_checked()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: Shop_NS
                  selector: {app: web}
                  ports: {HTTP: 8080/TCP}
            """);
        Assert.True(errors.Length == 2, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentBadName, 7, 18, "app \"web\": namespace: \"Shop_NS\" is not a valid name", "use lower-case letters");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentBadName, 9, 15, "port name \"HTTP\" is not a valid port name", "at most 15 lower-case letters");
    }

    [Fact]
    public void Bad_label_key_is_not_a_valid_name()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {Team/app: web}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentBadName, 8, 18, ["app \"web\": selector: label key \"Team/app\"", "prefix part"], "label key");
    }

    [Fact]
    public void Bad_label_value_is_not_a_valid_name()
    {
        var errors = Errors($$"""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: "web!", tier: {{new string('x', 64)}}}
            """);
        Assert.True(errors.Length == 2, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentBadName, 8, 23, ["selector: label value \"web!\"", "alphanumeric characters"], "label value");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentBadName, 8, 37, ["label value \"xxxx", "must be no more than 63 characters"], "label value");
    }

    // ---- NPG311 contradictions ---------------------------------------------------------------

    [Fact]
    public void Egress_none_with_calls_is_a_contradiction()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  egress: none
                  calls:
                  - app: api
                api:
                  namespace: shop
                  selector: {app: api}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentContradiction, 9, 15, "app \"web\" has egress: none but also calls",
            "remove egress: none to allow the calls, or remove the calls");
    }

    [Fact]
    public void Ingress_none_on_an_app_someone_calls_is_a_contradiction()
    {
        var intent = LoadValid("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls:
                  - app: api
                api:
                  namespace: shop
                  selector: {app: api}
                  ingress: none
            """);
        var result = BuildPipeline.Run(intent, new BuildOptions());
        Assert.False(result.Succeeded);
        Assert.Empty(result.Policies);
        var error = Assert.Single(result.Diagnostics);
        AssertDiagnostic(error, DiagnosticCodes.IntentContradiction, 10, 9, "app \"web\" calls app \"api\", which has ingress: none",
            "remove ingress: none from api to accept the call, or remove the call");
    }

    // ---- NPG313 header -----------------------------------------------------------------------

    [Fact]
    public void Wrong_api_version_and_kind()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1
            kind: NetworkPolicy
            metadata: {name: shop}
            spec:
              apps: {}
            """);
        Assert.True(errors.Length == 2, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentBadHeader, 1, 13, "apiVersion \"npgen.dev/v1\" is not supported", "apiVersion: npgen.dev/v1alpha1");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentBadHeader, 2, 7, "kind \"NetworkPolicy\" is not NetworkIntent", "write kind: NetworkIntent");
    }

    [Fact]
    public void Missing_api_version_and_kind()
    {
        var errors = Errors("""
            metadata: {name: shop}
            spec:
              apps: {}
            """);
        Assert.True(errors.Length == 2, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentBadHeader, 1, 1, "apiVersion is missing", "apiVersion: npgen.dev/v1alpha1");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentBadHeader, 1, 1, "kind is missing", "kind: NetworkIntent");
    }

    [Fact]
    public void Empty_file()
    {
        var error = SingleError("# nothing yet\n");
        AssertDiagnostic(error, DiagnosticCodes.IntentBadHeader, 1, 1, "the intent file is empty", "npgen init");
    }

    // ---- NPG301 missing fields ---------------------------------------------------------------

    [Fact]
    public void Missing_spec()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentMissingField, 1, 1, "spec is missing", "add spec: with apps:");
    }

    [Fact]
    public void Missing_namespace_and_selector()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  selector: {app: web}
                api:
                  namespace: shop
                db:
                  namespace: shop
                  selector: {}
            """);
        Assert.True(errors.Length == 3, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentMissingField, 7, 7, "app \"web\" has no namespace", "add namespace: <name> to the app");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentMissingField, 9, 7, "app \"api\" has no selector", "selector: {app: web}");
        AssertDiagnostic(errors[2], DiagnosticCodes.IntentMissingField, 12, 17, "app \"db\" has no selector", "selector: {app: web}");
    }

    // ---- NPG302 wrong types ------------------------------------------------------------------

    [Fact]
    public void List_where_a_mapping_belongs_is_one_wrong_type_error()
    {
        // The selector is there, only mistyped: it must not also be reported missing.
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: shop
                  selector:
                  - app: web
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentWrongType, 9, 7, "app \"web\": selector: expected a mapping (key: value), found a list", "key: value");
    }

    [Fact]
    public void Apps_as_a_list_is_a_wrong_type()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
              - web:
                  namespace: shop
                  selector: {app: web}
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentWrongType, 6, 3, "spec.apps: expected a mapping (key: value), found a list", "key: value");
    }

    [Fact]
    public void Spec_as_a_list_is_a_wrong_type_not_missing()
    {
        var error = SingleError("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec: [apps]
            """);
        AssertDiagnostic(error, DiagnosticCodes.IntentWrongType, 4, 7, "spec: expected a mapping (key: value), found a list", "key: value");
    }

    [Fact]
    public void List_where_a_value_belongs_and_mapping_where_a_list_belongs()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              apps:
                web:
                  namespace: [shop]
                  selector: {app: web}
                  calls:
                    app: api
                api:
                  namespace: shop
                  selector: {app: api}
            """);
        Assert.True(errors.Length == 2, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentWrongType, 7, 18, "app \"web\": namespace: expected a value, found a list", "a single value");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentWrongType, 10, 9, "app \"web\": calls: expected a list, found a mapping", "write a YAML list");
    }

    // ---- several mistakes, one run -----------------------------------------------------------

    [Fact]
    public void One_run_reports_every_mistake_in_file_order()
    {
        var errors = Errors("""
            apiVersion: npgen.dev/v1alpha1
            kind: NetworkIntent
            metadata: {name: shop}
            spec:
              networks:
                office: [10.20.0.300/16]
              apps:
                web:
                  namespace: shop
                  selector: {app: web}
                  calls:
                  - app: apii
                api:
                  namespace: shop
                  selector: {app: api}
                  ports: {http: 8080/UDPX}
            """);
        Assert.True(errors.Length == 3, Dump(errors));
        AssertDiagnostic(errors[0], DiagnosticCodes.IntentBadCidr, 6, 14, "\"10.20.0.300/16\" is not a CIDR", "write an IPv4 or IPv6 CIDR");
        AssertDiagnostic(errors[1], DiagnosticCodes.IntentUnknownReference, 12, 14, "no app is named \"apii\"", "did you mean \"api\"?");
        AssertDiagnostic(errors[2], DiagnosticCodes.IntentBadPort, 16, 21, "\"8080/UDPX\" is not a port", "write N/PROTO");
    }
}
