using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Model;
using PolicyGen.Pipeline;
using static PolicyGen.Core.Tests.Intent.IntentTestSupport;

namespace PolicyGen.Core.Tests.Intent;

/// <summary>
/// Environment overlays: maps merge by key, scalar lists are replaced, lists of maps are
/// appended, <c>remove:</c> deletes base items; every diagnostic names the file it is about.
/// </summary>
public sealed class OverlayTests : IDisposable
{
    private const string Base = """
        apiVersion: npgen.dev/v1alpha1
        kind: NetworkIntent
        metadata: {name: shop}
        spec:
          namespaces:
            shop: {managed: true, labels: {team: shop}}
          networks:
            office: [10.20.0.0/16, 10.30.0.0/16]
          apps:
            web:
              namespace: shop
              selector: {app: web}
              ports: {http: 8080/TCP}
              ingress:
              - from: [{network: office}]
                ports: [http]
              calls:
              - app: api
              - {network: office, ports: [443/TCP]}
            api:
              namespace: shop
              selector: {app: api}
              ports: {http: 9090/TCP}
          expect:
          - {from: web, to: api, port: http, allowed: true}
        """;

    private const string Prod = """
        spec:
          namespaces:
            shop: {labels: {env: prod}}
          networks:
            office: [192.0.2.0/24]
            partner: [198.51.100.0/24]
          apps:
            web:
              ports: {admin: 9000/TCP}
              calls:
              - remove: {network: office}
              - {network: partner, ports: [443/TCP]}
            api:
              selector: {tier: backend}
          expect:
          - {from: 203.0.113.9, to: web, port: http, allowed: false}
        """;

    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("npgen-overlay-");

    public void Dispose() => scratch.Delete(recursive: true);

    private string IntentPath => Path.Join(scratch.FullName, "intents.yaml");

    private string EnvPath(string environment) => Path.Combine(scratch.FullName, "environments", environment + ".yaml");

    /// <summary>Writes the intent file and environments/&lt;name&gt;.yaml for each given environment.</summary>
    private void Write(string intent, params (string Environment, string Text)[] environments)
    {
        File.WriteAllText(IntentPath, intent);
        foreach (var (environment, text) in environments)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(EnvPath(environment))!);
            File.WriteAllText(EnvPath(environment), text);
        }
    }

    private static ImmutableSortedDictionary<string, string> L(params (string Key, string Value)[] labels) => Labels.Of(labels);

    [Fact]
    public void Env_overlay_merges_maps_by_key_replaces_scalar_lists_appends_lists_of_maps_and_removes()
    {
        Write(Base, ("prod", Prod));
        var (intent, diagnostics) = IntentLoader.Load(IntentPath, "prod");
        Assert.True(intent is not null && diagnostics.IsEmpty, Dump(diagnostics));

        // Maps merge by key, at every depth; what the overlay does not mention stays.
        var shop = intent.FindNamespace("shop")!;
        Assert.True(shop.Managed);
        Assert.Equal(L(("env", "prod"), ("team", "shop")), shop.Labels);
        Assert.Equal(L(("app", "api"), ("tier", "backend")), intent.FindApp("api")!.Selector);
        var web = intent.FindApp("web")!;
        Assert.Equal(["http 8080/TCP", "admin 9000/TCP"], web.Ports.Select(p => $"{p.Name} {p.Range}"));
        Assert.Equal("shop", web.Namespace);
        Assert.Single(web.Ingress);

        // A list of scalars (a network's CIDRs) is replaced, not extended.
        Assert.Equal(["192.0.2.0/24"], intent.FindNetwork("office")!.Blocks.Select(b => b.ToString()));
        Assert.Equal(["198.51.100.0/24"], intent.FindNetwork("partner")!.Blocks.Select(b => b.ToString()));

        // A list of maps is extended; remove: deleted the base call to office.
        Assert.Equal([new AppPeer("api"), new NetworkPeer("partner")], web.Calls.Select(c => c.To));
        Assert.Equal(2, intent.Expectations.Length);

        // Each node keeps the place it was written: the appended call is in the overlay.
        Assert.Equal(new SourceLocation(IntentPath, 18, 9), web.Calls[0].Source.Location);
        Assert.Equal(new SourceLocation(EnvPath("prod"), 12, 9), web.Calls[1].Source.Location);
    }

    [Fact]
    public void Edge_lists_are_extended_however_they_are_written_and_sources_name_the_overlay()
    {
        // calls: [api] (bare names) must not be replaced by the overlay's calls: [db]: that would drop an edge silently.
        var bareCalls = Base.Replace("      calls:\n      - app: api\n      - {network: office, ports: [443/TCP]}", "      calls: [api]", StringComparison.Ordinal)
            .Replace("  expect:", "    db:\n      namespace: shop\n      selector: {app: db}\n  expect:", StringComparison.Ordinal);
        Assert.Contains("calls: [api]", bareCalls);
        Write(bareCalls,
            ("prod", "spec:\n  apps:\n    web:\n      calls: [db]\n"));
        var (intent, diagnostics) = IntentLoader.Load(IntentPath, "prod");
        Assert.True(intent is not null && diagnostics.IsEmpty, Dump(diagnostics));
        var web = intent.FindApp("web")!;
        Assert.Equal([new AppPeer("api"), new AppPeer("db")], web.Calls.Select(c => c.To));
        Assert.Equal("intents.yaml#/spec/apps/web/calls/0", web.Calls[0].Source.Reference);
        Assert.Equal("prod.yaml#/spec/apps/web/calls/1", web.Calls[1].Source.Reference);
    }

    [Fact]
    public void Env_overlay_builds_and_verifies()
    {
        Write(Base, ("prod", Prod));
        var result = BuildPipeline.Run(IntentPath, new BuildOptions { Environment = "prod" });
        Assert.True(result.Succeeded, Dump(result.Diagnostics));
        var webEgress = result.Policies.Single(p => p.Plan.Name == "web-egress").Parsed;
        var cidrs = webEgress.Egress.SelectMany(r => r.Peers).Select(p => p.IpBlock?.Cidr).OfType<string>();
        Assert.Equal(["198.51.100.0/24"], cidrs);
    }

    [Fact]
    public void Remove_that_matches_nothing_warns_at_the_overlay_line()
    {
        var (intent, diagnostics) = Load(Base, ("prod.yaml", """
            spec:
              apps:
                web:
                  calls:
                  - remove: {network: ofice}
                api:
                  calls:
                  - remove: {app: web}
            """));
        Assert.NotNull(intent);
        Assert.True(diagnostics.Length == 2, Dump(diagnostics));
        Assert.All(diagnostics, d => Assert.Equal(Severity.Warning, d.Severity));
        AssertDiagnostic(diagnostics[0], DiagnosticCodes.IntentOverlay, 5, 9, "remove: matches nothing in the base intent", "check the fields against the base file", file: "prod.yaml");
        AssertDiagnostic(diagnostics[1], DiagnosticCodes.IntentOverlay, 8, 9, "remove: matches nothing in the base intent", "check the fields", file: "prod.yaml");
        Assert.Equal(2, intent.FindApp("web")!.Calls.Length); // nothing removed
        Assert.Empty(intent.FindApp("api")!.Calls);
    }

    [Fact]
    public void Remove_inside_what_the_overlay_adds_is_not_data_and_warns()
    {
        // The base has no db app: its calls list is new, so the remove: has nothing to remove.
        var (intent, diagnostics) = Load(Base, ("prod.yaml", """
            spec:
              apps:
                db:
                  namespace: shop
                  selector: {app: db}
                  calls:
                  - remove: {app: web}
                  - app: api
            """));
        Assert.NotNull(intent);
        var warning = Assert.Single(diagnostics);
        AssertDiagnostic(warning, DiagnosticCodes.IntentOverlay, 7, 9, "remove: matches nothing in the base intent", "check the fields", file: "prod.yaml");
        Assert.Equal([new AppPeer("api")], intent.FindApp("db")!.Calls.Select(c => c.To));
    }

    [Fact]
    public void Missing_environment_file_lists_the_environments_found()
    {
        Write(Base, ("prod", Prod), ("dev", "spec: {}\n"));
        var (intent, diagnostics) = IntentLoader.Load(IntentPath, "staging");
        Assert.Null(intent);
        var error = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.IntentOverlay, error.Code);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal($"environment \"staging\" has no overlay file {EnvPath("staging")}", error.Message);
        Assert.Equal("environments found: dev, prod", error.Hint);
    }

    [Fact]
    public void Missing_environment_file_without_an_environments_folder_says_where_to_put_it()
    {
        Write(Base);
        var (intent, diagnostics) = IntentLoader.Load(IntentPath, "prod");
        Assert.Null(intent);
        var error = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.IntentOverlay, error.Code);
        Assert.Contains("environment \"prod\" has no overlay file", error.Message, StringComparison.Ordinal);
        Assert.Equal("create environments/<env>.yaml next to the intent file", error.Hint);
    }

    [Fact]
    public void Error_inside_the_env_overlay_names_the_overlay_file_and_line()
    {
        Write(Base, ("dev", """
            spec:
              apps:
                web:
                  calls:
                  - {app: apii}
                  selecter: {app: web}
            """));
        var (intent, diagnostics) = IntentLoader.Load(IntentPath, "dev");
        Assert.Null(intent);
        Assert.True(diagnostics.Length == 2, Dump(diagnostics));
        AssertDiagnostic(diagnostics[0], DiagnosticCodes.IntentUnknownReference, 5, 15, "calls[2]: no app is named \"apii\"", "did you mean \"api\"?", file: EnvPath("dev"));
        AssertDiagnostic(diagnostics[1], DiagnosticCodes.IntentUnknownKey, 6, 7, "app \"web\": unknown key \"selecter\"", "did you mean \"selector\"?", file: EnvPath("dev"));
    }

    [Fact]
    public void Errors_in_base_and_overlay_each_name_their_file_base_first()
    {
        var diagnostics = Errors(Base.Replace("ports: {http: 9090/TCP}", "ports: {http: 9090/TCPX}", StringComparison.Ordinal), ("prod.yaml", """
            spec:
              networks:
                office: [192.0.2.1/24]
              apps:
                cache:
                  selector: {app: cache}
            """));
        Assert.True(diagnostics.Length == 3, Dump(diagnostics));
        AssertDiagnostic(diagnostics[0], DiagnosticCodes.IntentBadPort, 23, 21, "\"9090/TCPX\" is not a port", "write N/PROTO");
        AssertDiagnostic(diagnostics[1], DiagnosticCodes.IntentBadCidr, 3, 14, "\"192.0.2.1/24\" has bits set beyond its prefix", "write 192.0.2.0/24", file: "prod.yaml");
        AssertDiagnostic(diagnostics[2], DiagnosticCodes.IntentMissingField, 6, 7, "app \"cache\" has no namespace", "add namespace:", file: "prod.yaml");
    }

    [Fact]
    public void Overlay_with_a_yaml_error_or_without_spec_names_the_overlay()
    {
        var syntax = SingleError(Base, ("bad.yaml", "spec:\n  apps: [\n"));
        Assert.Equal(DiagnosticCodes.YamlSyntax, syntax.Code);
        Assert.Equal("bad.yaml", syntax.Location?.File);

        var noSpec = SingleError(Base, ("nospec.yaml", "apps:\n  web: {}\n"));
        AssertDiagnostic(noSpec, DiagnosticCodes.IntentOverlay, 1, 1, "an overlay must be a mapping with spec:", "write spec: with only the parts that change", file: "nospec.yaml");
    }

    [Fact]
    public void Missing_overlay_file_is_file_not_found()
    {
        var (intent, diagnostics) = IntentLoader.Load(WriteAndReturn(Base), null, [Path.Join(scratch.FullName, "nope.yaml")]);
        Assert.Null(intent);
        var error = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.FileNotFound, error.Code);
        Assert.Contains("nope.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlays_merge_in_order_the_later_wins()
    {
        var intent = LoadValid(Base,
            ("a.yaml", "spec:\n  networks:\n    office: [192.0.2.0/24]\n"),
            ("b.yaml", "spec:\n  networks:\n    office: [203.0.113.0/24]\n"));
        Assert.Equal(["203.0.113.0/24"], intent.FindNetwork("office")!.Blocks.Select(b => b.ToString()));
    }

    private string WriteAndReturn(string intent)
    {
        Write(intent);
        return IntentPath;
    }
}
