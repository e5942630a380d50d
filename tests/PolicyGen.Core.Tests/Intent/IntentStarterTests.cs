using PolicyGen.Diagnostics;
using PolicyGen.Intent;
using PolicyGen.Pipeline;
using PolicyGen.Tests.Shared;

namespace PolicyGen.Core.Tests.Intent;

/// <summary>The starter file of <c>npgen init</c>: it must build and verify as it is, and show every section.</summary>
public sealed class IntentStarterTests : IDisposable
{
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("npgen-starter-");

    public void Dispose() => scratch.Delete(recursive: true);

    private BuildResult Build(string text)
    {
        var path = Path.Join(scratch.FullName, "intents.yaml");
        File.WriteAllText(path, text);
        return BuildPipeline.Run(path, new BuildOptions());
    }

    [Fact]
    public void Starter_builds_and_verifies_as_it_is_with_every_expectation_checked()
    {
        var build = Build(IntentStarter.Text);
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        Assert.DoesNotContain(build.Diagnostics, d => d.Severity == Severity.Warning);
        Assert.True(build.Verification!.Succeeded);
        Assert.Equal(build.Intent!.Expectations.Length, build.Verification.ExpectationsChecked);
        Assert.Contains(build.Intent.Expectations, e => e.Allowed);
        Assert.Contains(build.Intent.Expectations, e => !e.Allowed);
        Assert.Equal(["shop/api-egress", "shop/api-ingress", "shop/default-deny", "shop/web-egress", "shop/web-ingress"],
            build.Policies.Select(p => p.Plan.Id));
    }

    [Fact]
    public void Starter_shows_every_section_by_example()
    {
        var intent = IntentLoader.LoadText("intents.yaml", IntentStarter.Text).Intent!;
        Assert.Contains(intent.Namespaces, n => n.Managed);
        Assert.True(intent.Apps.Length >= 2);
        Assert.Contains(intent.Apps, a => a.Calls.Any(c => c.To is AppPeer));
        Assert.Contains(intent.Apps, a => a.Ingress.Any(r => r.From.Any(p => p is IngressControllerPeer)));
        Assert.Contains(intent.Networks, n => n.Blocks.Any(b => !b.Except.IsEmpty));
        Assert.NotNull(intent.Dns.Source); // written out, not only the default
        Assert.NotEmpty(intent.Expectations);
        Assert.Contains("npgen schema > intent.schema.json", IntentStarter.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_commented_forms_in_the_starter_build_too_once_uncommented()
    {
        var lines = IntentStarter.Text.Split('\n').ToList();
        var start = lines.FindIndex(l => l.Contains("# More forms, to copy:", StringComparison.Ordinal));
        Assert.True(start > 0);
        for (var i = start + 1; i < lines.Count && lines[i].Length > 0; i++)
        {
            var hash = lines[i].IndexOf("# ", StringComparison.Ordinal);
            lines[i] = lines[i].Remove(hash, 2);
        }

        var build = Build(string.Join('\n', lines));
        Assert.True(build.Succeeded, string.Join("\n", build.Diagnostics));
        Assert.Contains(build.Intent!.Apps, a => a.Name == "batch" && a.IngressNone && a.EgressNone);
    }

    [Fact]
    public void Text_is_the_embedded_file()
    {
        var file = Path.Combine(ConformanceCase.RepositoryRoot(), "src", "PolicyGen.Core", "Intent", "starter-intents.yaml");
        Assert.Equal(File.ReadAllText(file).ReplaceLineEndings("\n"), IntentStarter.Text);
    }
}
