using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Tests.Shared;

namespace PolicyGen.Core.Tests.Intent;

/// <summary>An overlay that changes an app the intent lacks: a typo named once, with the closest app, and the overlay's other mistakes still found.</summary>
public sealed class OverlayUnknownAppTests
{
    private static readonly string Shop = File.ReadAllText(Path.Combine(ConformanceCase.RepositoryRoot(), "examples", "shop", "intents.yaml"));

    [Fact]
    public void A_typo_is_named_with_the_closest_app_and_the_overlays_other_errors_still_show()
    {
        const string Overlay = "spec:\n  networks:\n    office: [192.0.2.1/24]\n  apps:\n    wbe:\n      ports: {http: 9090/TCP}\n";
        var (intent, diagnostics) = IntentLoader.LoadText("intents.yaml", Shop, [("typo.yaml", Overlay)]);
        Assert.Null(intent);
        var typo = Assert.Single(diagnostics, d => d.Code == DiagnosticCodes.OverlayUnknownApp);
        Assert.Equal(new SourceLocation("typo.yaml", 5, 5), typo.Location);
        Assert.StartsWith("did you mean web? ", typo.Hint, StringComparison.Ordinal);
        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.IntentBadCidr && d.Location?.File == "typo.yaml");
        Assert.DoesNotContain(diagnostics, d => d.Code == DiagnosticCodes.IntentMissingField);
    }

    [Fact]
    public void An_app_the_overlay_declares_is_a_new_app_not_a_typo()
    {
        const string Overlay = "spec:\n  apps:\n    cache:\n      namespace: shop\n      selector: {app: cache}\n";
        var (intent, diagnostics) = IntentLoader.LoadText("intents.yaml", Shop, [("new.yaml", Overlay)]);
        Assert.DoesNotContain(diagnostics, d => d.Code == DiagnosticCodes.OverlayUnknownApp);
        Assert.NotNull(intent);
        Assert.Contains(intent.Apps, a => a.Name == "cache");
    }
}
